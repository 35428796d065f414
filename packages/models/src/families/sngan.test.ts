import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { sngan } from './sngan.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

// One D step per G step keeps the tests fast (the default is the paper's n_dis = 5).
const small = { hidden: 16, batchSize: 32, dSteps: 1 };

/** Largest singular value of a rows × cols row-major matrix, by many power iterations in float64. */
function topSingularValue(a: Float32Array, rows: number, cols: number): number {
  let u: number[] = Array.from({ length: cols }, (_, i) => 1 + i / cols);
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const v = Array.from({ length: rows }, (_, r) => u.reduce((acc, x, c) => acc + a[r * cols + c]! * x, 0));
    const w = Array.from({ length: cols }, (_, c) => v.reduce((acc, x, r) => acc + a[r * cols + c]! * x, 0));
    const n = Math.hypot(...w);
    s = Math.sqrt(n / Math.hypot(...u));
    u = w.map((x) => x / n);
  }
  return s;
}

describe('sngan', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(sngan, small, 37);
  });

  it('checkpoints every D layer’s power-iteration vectors', async () => {
    const b = await build(sngan, small);
    for (let i = 0; i < 3; i++) {
      expect(b.model.variables.has(`D.${i}.sn.u`)).toBe(true);
      expect(b.model.variables.has(`D.${i}.sn.v`)).toBe(true);
    }
    b.model.dispose();
  });

  it('tracks σ(W) of every D layer with its persistent u, v', async () => {
    // One power-iteration step per update converges because u persists across updates (a fresh
    // random u each time would leave the estimate far below σ for the 16 × 16 layer).
    const b = await build(sngan, small);
    train(b, 300);
    for (let i = 0; i < 3; i++) {
      const W = b.model.variables.get(`D.${i}.W`)!;
      const u = b.model.variables.get(`D.${i}.sn.u`)!.dataSync();
      const v = b.model.variables.get(`D.${i}.sn.v`)!.dataSync();
      const [rows, cols] = W.shape as [number, number];
      const w = W.dataSync() as Float32Array;
      let est = 0;
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) est += v[r]! * w[r * cols + c]! * u[c]!;
      const truth = topSingularValue(w, rows, cols);
      expect(est).toBeLessThanOrEqual(truth * (1 + 1e-4)); // vᵀWu ≤ σ for unit u, v
      expect(est).toBeGreaterThan(0.97 * truth);
    }
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    await expectLearnsPoint(sngan, { ...small, lr: 2e-3 });
  });

  it('is deterministic in the seed', () => expectDeterministic(sngan, small));

  it('resumes from saved variables (u, v included) and optimiser slots', async () => {
    await expectResumeEquivalent(sngan, { ...small, dSteps: 2 });
  });

  it('does not leak tensors', () => expectNoLeaks(sngan, { ...small, dSteps: 2 }));
});

describe('sngan on images (DCGAN generator, spectrally normalised conv critic)', () => {
  imageGanChecks(sngan);

  it('normalises every critic layer (no batch norm) and runs its power iterations in training', async () => {
    const b = await buildImage(sngan, { dSteps: 2 });
    const v = [...b.model.variables].filter(([n]) => n.startsWith('D.') && n.endsWith('.sn.v'));
    // Two convs and the dense head at 28 px.
    expect(v.length).toBe(3);
    expect([...b.model.variables.keys()].some((n) => n.startsWith('D.bn'))).toBe(false);
    const v0 = v.map(([, x]) => Array.from(x.dataSync()));
    train(b, 1);
    v.forEach(([n, x], i) => expect(Array.from(x.dataSync()), n).not.toEqual(v0[i]));
    b.model.dispose();
  });

  it('refuses more than one power-iteration step on images', async () => {
    await expect(buildImage(sngan, { powerIterations: 2 })).rejects.toThrow(/power-iteration/);
  });
});
