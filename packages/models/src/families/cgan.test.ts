import { describe, expect, it } from 'vitest';
import { buildOn, expectDeterministic, expectNoLeaks, expectResumeEquivalent, mean2, pointDataset } from './family-checks.test-helper.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { cgan } from './cgan.js';
import { build, train } from './family.test-helper.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

const small = { hidden: 16, batchSize: 32 };

/** Two labelled points: class 0 at (1, −1), class 1 at (−1, 1), ±0.01. */
const twoPoints: Dataset = {
  name: 'two-points',
  description: 'two labelled points',
  dims: 2,
  classes: 2,
  sample(n, rng) {
    const x = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(2);
      labels[i] = c;
      const s = c === 0 ? 1 : -1;
      x[2 * i] = s + 0.01 * (2 * rng.uniform() - 1);
      x[2 * i + 1] = -s + 0.01 * (2 * rng.uniform() - 1);
    }
    return { n, dims: 2, x, labels };
  },
};

describe('cgan', () => {
  it('declares that it needs labels and refuses unlabelled data', async () => {
    expect(cgan.condition).toEqual({ kind: 'label' });
    await expect(buildOn(cgan, small, pointDataset())).rejects.toThrow(/labels/);
  });

  it('samples n × 2 finite points, with or without a label', async () => {
    const b = await build(cgan, small);
    train(b, 2);
    for (const opts of [undefined, { label: 5 }]) {
      const xs = b.model.sample(37, new Rng(3), opts);
      expect(xs.length).toBe(74);
      expect(xs.every(Number.isFinite)).toBe(true);
    }
    b.model.dispose();
  });

  it('validates the label', async () => {
    const b = await build(cgan, small);
    for (const label of [-1, 8, 1.5, Number.NaN]) expect(() => b.model.sample(4, new Rng(1), { label })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    b.model.dispose();
  });

  it('conditions its output on the label', async () => {
    const b = await build(cgan, small);
    // Same noise, different label: the one-hot input alone changes the output.
    const a0 = b.model.sample(64, new Rng(5), { label: 0 });
    const a3 = b.model.sample(64, new Rng(5), { label: 3 });
    expect(a0).not.toEqual(a3);
    b.model.dispose();
  });

  it('learns a different target per class', async () => {
    const b = await buildOn(cgan, { ...small, lr: 2e-3 }, twoPoints);
    train(b, 400);
    const [x0, y0] = mean2(b.model.sample(500, new Rng(9), { label: 0 }));
    const [x1, y1] = mean2(b.model.sample(500, new Rng(9), { label: 1 }));
    expect(Math.hypot(x0 - 1, y0 + 1)).toBeLessThan(0.25);
    expect(Math.hypot(x1 + 1, y1 - 1)).toBeLessThan(0.25);
    b.model.dispose();
  });

  it('is deterministic in the seed', () => expectDeterministic(cgan, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(cgan, small);
  });

  it('does not leak tensors', () => expectNoLeaks(cgan, small));
});

describe('cgan on images (class-conditional digits)', () => {
  imageGanChecks(cgan, {}, { sample: { label: 7 } });

  it('feeds the one-hot class to G’s input and to D as 10 constant input maps', async () => {
    const b = await buildImage(cgan);
    // D's first conv sees 1 image channel + 10 class maps; G's projection reads z (8) + 10.
    expect(b.model.variables.get('D.conv0.W')!.shape.slice(2)).toEqual([11, 8]);
    expect(b.model.variables.get('G.project.W')!.shape[0]).toBe(18);
    train(b, 1);
    const a0 = b.model.sample(4, new Rng(5), { label: 0 });
    const a3 = b.model.sample(4, new Rng(5), { label: 3 });
    expect(a0).not.toEqual(a3);
    expect(() => b.model.sample(2, new Rng(1), { label: 10 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    b.model.dispose();
  });
});
