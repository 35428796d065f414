import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { Rng } from '../rng.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { build, train } from './family.test-helper.js';
import { infogan } from './infogan.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

const small = { hidden: 16, batchSize: 32 };

describe('infogan', () => {
  it('samples n × 2 finite points, with or without a fixed categorical code', async () => {
    const b = await build(infogan, small);
    train(b, 2);
    for (const opts of [undefined, { label: 7 }]) {
      const xs = b.model.sample(37, new Rng(3), opts);
      expect(xs.length).toBe(74);
      expect(xs.every(Number.isFinite)).toBe(true);
    }
    expect(() => b.model.sample(4, new Rng(1), { label: 8 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    b.model.dispose();
  });

  it('names the shared body and both heads among its variables', async () => {
    const b = await build(infogan, small);
    const names = [...b.model.variables.keys()];
    for (const prefix of ['G.', 'D.body.', 'D.head.', 'Q.head.']) expect(names.some((n) => n.startsWith(prefix))).toBe(true);
    // Q's head outputs 8 categorical logits and 2 continuous means.
    expect(b.model.variables.get('Q.head.0.W')!.shape).toEqual([16, 10]);
    b.model.dispose();
  });

  it('lowers the information loss (Q recovers the codes from G’s output)', async () => {
    // Slightly wider than `small`: at width 16 the codes barely move G's output for ~1000 steps.
    const b = await build(infogan, { hidden: 32, batchSize: 64, lr: 1e-3 });
    const losses = train(b, 500);
    const avg = (ls: typeof losses) => ls.reduce((s, l) => s + l.mi_loss!, 0) / ls.length;
    const first = avg(losses.slice(0, 10));
    const last = avg(losses.slice(-10));
    // At init Q knows nothing: CE ≈ ln 8 ≈ 2.08 plus 0.1 · E(c − μ)² ≈ 0.03.
    expect(first).toBeGreaterThan(1.9);
    expect(last).toBeLessThan(0.75 * first);
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    await expectLearnsPoint(infogan, { ...small, lr: 2e-3 }, 300, 0.25);
  });

  it('accepts a single kind of code', async () => {
    for (const codes of [{ catCodes: 0 }, { contCodes: 0 }]) {
      const b = await build(infogan, { ...small, ...codes });
      const [l] = train(b, 1);
      expect(Number.isFinite(l!.mi_loss)).toBe(true);
      b.model.dispose();
    }
    await expect(build(infogan, { ...small, catCodes: 0, contCodes: 0 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });

  it('is deterministic in the seed', () => expectDeterministic(infogan, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(infogan, small);
  });

  it('does not leak tensors', () => expectNoLeaks(infogan, small));
});

describe('infogan on images (10-way categorical + 2 continuous codes on MNIST)', () => {
  imageGanChecks(infogan, {}, { sample: { label: 4 }, prefixStable: false });

  it('uses the paper’s MNIST codes and reads Q off D’s conv features', async () => {
    expect(schemaDefaults(infogan.hyperParams, 'images')).toMatchObject({ catCodes: 10, contCodes: 2, latentDim: 62 });
    const b = await buildImage(infogan);
    // Flattened last feature map at 28 px and width 8: 7 × 7 × 16; Q: 10 logits + 2 means.
    expect(b.model.variables.get('Q.head.0.W')!.shape).toEqual([7 * 7 * 16, 12]);
    // G's projection reads z (8) and the 12 code columns.
    expect(b.model.variables.get('G.project.W')!.shape[0]).toBe(20);
    const [l] = train(b, 1);
    // At init Q knows nothing: CE ≈ ln 10 ≈ 2.30 (+ 0.1 · E(c − μ)²).
    expect(l!.mi_loss).toBeGreaterThan(1.8);
    expect(l!.mi_loss).toBeLessThan(3.5);
    expect(() => b.model.sample(2, new Rng(1), { label: 10 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    b.model.dispose();
  });
});
