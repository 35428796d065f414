import { describe, expect, it } from 'vitest';
import type * as tfNs from '@tensorflow/tfjs';
import { resolveDataset } from '../data/datasets.js';
import type { TF } from '../family.js';
import { testTf } from '../families/family.test-helper.js';
import { Rng } from '../rng.js';
import { RealNvp } from './real-nvp.js';

/**
 * A RealNVP whose weights are all perturbed, so that no coupling is the identity. Smooth (tanh)
 * s/t networks, so that finite differences do not straddle ReLU kinks; moderate perturbations,
 * so that the map stays within float32's reach (large ones send points to |z| ≈ 50, where
 * differences of nearby outputs lose most of their digits).
 */
function perturbed(tf: TF, seed: number): RealNvp {
  const nvp = new RealNvp(tf, new Rng(seed), 2, { couplings: 6, hidden: 16, activation: 'tanh' });
  const rng = new Rng(seed + 1);
  for (const v of nvp.trainable()) {
    tf.tidy(() => v.assign(tf.add(v, tf.tensor(rng.normals(v.size), v.shape).mul(0.15))));
  }
  return nvp;
}

/**
 * A RealNVP trained for a few Adam steps on ring-easy (its density is no longer Gaussian). A gentle
 * lr: at 1e-2 the early flow throws a few % of its mass beyond [−4, 4]², which is no error of
 * the density but would fail the integral over that square.
 */
function trained(tf: TF, steps: number): RealNvp {
  const nvp = new RealNvp(tf, new Rng(3), 2, { couplings: 6, hidden: 32 });
  const opt = tf.train.adam(3e-3);
  const data = resolveDataset('ring-easy');
  const rng = new Rng(4);
  for (let i = 0; i < steps; i++) {
    const x = data.sample(256, rng).x;
    tf.tidy(() => {
      opt.minimize(() => tf.neg(tf.mean(nvp.logProb(tf.tensor2d(x, [256, 2])))) as tfNs.Scalar, false, nvp.trainable());
    });
  }
  opt.dispose();
  return nvp;
}

function dispose(nvp: RealNvp): void {
  for (const v of nvp.trainable()) v.dispose();
}

describe('RealNvp', () => {
  it('log |det J| matches a finite-difference Jacobian of the forward map', async () => {
    const tf = await testTf();
    const nvp = perturbed(tf, 22);
    const points = [
      [0.3, -0.2],
      [1.5, 0.7],
      [-1.1, 2.0],
      [0, 0],
      [-2, -1.3],
    ];
    const h = 1e-2;
    const f = (p: number[][]): number[][] => tf.tidy(() => nvp.forward(tf.tensor2d(p)).z.arraySync());
    const logDet = tf.tidy(() => nvp.forward(tf.tensor2d(points)).logDet.arraySync());
    let nonTrivial = 0; // points where the map really changes volume
    points.forEach(([x, y], i) => {
      // Central differences in each input coordinate give the Jacobian's columns.
      const [xp, xm, yp, ym] = f([
        [x! + h, y!],
        [x! - h, y!],
        [x!, y! + h],
        [x!, y! - h],
      ]) as [number[], number[], number[], number[]];
      const J = [
        [(xp[0]! - xm[0]!) / (2 * h), (yp[0]! - ym[0]!) / (2 * h)],
        [(xp[1]! - xm[1]!) / (2 * h), (yp[1]! - ym[1]!) / (2 * h)],
      ];
      const det = J[0]![0]! * J[1]![1]! - J[0]![1]! * J[1]![0]!;
      expect(Math.abs(Math.log(Math.abs(det)) - logDet[i]!)).toBeLessThan(1e-2);
      if (Math.abs(logDet[i]!) > 0.1) nonTrivial++;
    });
    expect(nonTrivial).toBeGreaterThan(2);
    dispose(nvp);
  });

  it('inverse undoes forward', async () => {
    const tf = await testTf();
    const nvp = perturbed(tf, 5);
    const x = [
      [0.3, -0.2],
      [1.5, 0.7],
      [-1.1, 2.0],
    ];
    const back = tf.tidy(() => nvp.inverse(nvp.forward(tf.tensor2d(x)).z).arraySync());
    back.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(x[i]![j]!, 3)));
    dispose(nvp);
  });

  it("the density integrates to 1 ± 0.01 after some training, and to the sampler's share of any square", async () => {
    const tf = await testTf();
    const nvp = trained(tf, 100);
    // Early in training the flow spreads a few % of its mass beyond [−4, 4]²; [−10, 10]² holds it.
    const integral = (half: number, step: number) => {
      const m = Math.round((2 * half) / step) + 1;
      const grid = new Float32Array(2 * m * m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          grid[2 * (i * m + j)] = -half + i * step;
          grid[2 * (i * m + j) + 1] = -half + j * step;
        }
      }
      const logp = tf.tidy(() => nvp.logProb(tf.tensor2d(grid, [m * m, 2])).dataSync());
      let mass = 0;
      let peak = -Infinity;
      for (const lp of logp) {
        mass += Math.exp(lp) * step * step;
        peak = Math.max(peak, lp);
      }
      return { mass, peak };
    };
    const whole = integral(10, 0.04);
    expect(Math.abs(whole.mass - 1)).toBeLessThan(0.01);
    // Not the initial N(0, I) any more, whose peak log-density is −log 2π ≈ −1.84.
    expect(whole.peak).toBeGreaterThan(-1);
    // The density and the sampler (inverse pass) describe the same distribution: the integral over
    // [−4, 4]² equals the share of 20 000 samples that land inside it (binomial sd ≤ 0.0035).
    const inner = integral(4, 0.02);
    const n = 20_000;
    const pts = tf.tidy(() => nvp.inverse(tf.tensor2d(new Rng(8).normals(2 * n), [n, 2])).dataSync());
    let inside = 0;
    for (let i = 0; i < n; i++) if (Math.abs(pts[2 * i]!) <= 4 && Math.abs(pts[2 * i + 1]!) <= 4) inside++;
    expect(Math.abs(inner.mass - inside / n)).toBeLessThan(0.015);
    dispose(nvp);
  });
});
