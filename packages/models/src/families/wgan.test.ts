import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { build, train } from './family.test-helper.js';
import { buildOn, expectNoLeak, expectResumeEquivalent, mean2, pointDataset } from './resume.test-helper.js';
import { wgan } from './wgan.js';

const small = { hidden: 16, batchSize: 32, nCritic: 2 };

describe('wgan', () => {
  it('samples n × 2 finite points', async () => {
    const b = await build(wgan, small);
    train(b, 2);
    const xs = b.model.sample(37, new Rng(3));
    expect(xs.length).toBe(74);
    expect(xs.every(Number.isFinite)).toBe(true);
    b.model.dispose();
  });

  it('keeps every critic weight within [−c, c] and reports the Wasserstein estimate', async () => {
    // A large learning rate makes the unclipped update leave the box at once.
    const b = await build(wgan, { ...small, lr: 1e-2, clip: 0.05 });
    const losses = train(b, 10);
    for (const l of losses) expect(l.w_estimate).toBeCloseTo(-l.d_loss!, 12);
    let max = 0;
    let atBound = 0;
    for (const [name, v] of b.model.variables) {
      if (!name.startsWith('D.')) continue;
      const vals = v.dataSync();
      for (const x of vals) {
        max = Math.max(max, Math.abs(x));
        if (Math.abs(x) === Math.fround(0.05)) atBound++;
      }
    }
    expect(max).toBeLessThanOrEqual(Math.fround(0.05));
    expect(atBound).toBeGreaterThan(0); // the clip was active, not vacuous
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    const b = await buildOn(wgan, { ...small, lr: 1e-3 }, pointDataset(1, -1));
    const before = mean2(b.model.sample(500, new Rng(9)));
    const losses = train(b, 300);
    const [mx, my] = mean2(b.model.sample(500, new Rng(9)));
    expect(Math.hypot(before[0] - 1, before[1] + 1)).toBeGreaterThan(0.8);
    expect(Math.hypot(mx - 1, my + 1)).toBeLessThan(0.2);
    // The critic's estimate of W shrinks as the fakes reach the point.
    const early = losses.slice(5, 25).reduce((s, l) => s + l.w_estimate!, 0);
    const late = losses.slice(-20).reduce((s, l) => s + l.w_estimate!, 0);
    expect(late).toBeLessThan(early);
    b.model.dispose();
  });

  it('is deterministic in the seed', async () => {
    const run = async (seed: number) => {
      const b = await build(wgan, small, { seed });
      const losses = train(b, 5, seed);
      b.model.dispose();
      return losses;
    };
    const a = await run(4);
    expect(await run(4)).toEqual(a);
    expect(await run(5)).not.toEqual(a);
  });

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(wgan, small);
  });

  it('does not leak tensors', async () => {
    const b = await build(wgan, small);
    expectNoLeak(b);
    b.model.dispose();
  });
});
