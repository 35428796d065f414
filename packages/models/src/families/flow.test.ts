import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type * as tfNs from '@tensorflow/tfjs';
import { resolveDataset } from '../data/datasets.js';
import type { TF } from '../family.js';
import { Rng } from '../rng.js';
import { flow, RealNvp } from './flow.js';
import { Glow } from '../nn/glow.js';
import { dequantizeLogit, logitToImage } from '../nn/image-likelihood.js';
import { buildImage, expectImageBasics, expectImageResume } from './image-family.test-helper.js';
import { expectDeterministic, expectFiniteSamples, expectNoLeaks, meanLoss } from './family-checks.test-helper.js';
import { build, testTf, train } from './family.test-helper.js';
import { mergeHyperParams } from '../train/setup.js';

const small = { batchSize: 64, hidden: 16, couplings: 4 };

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

describe('flow', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(flow, small, 100);
  });

  it('is deterministic given the seed', async () => {
    await expectDeterministic(flow, small);
  });

  it('leaks no tensors (training, sampling, evaluation)', async () => {
    await expectNoLeaks(flow, small, (b) => {
      b.model.sample(50, new Rng(1));
      b.model.evaluate?.(b.data.sample(50, new Rng(2)), new Rng(3));
    });
  });

  it("raises the held-out log-likelihood above a Gaussian fit's", async () => {
    const b = await build(flow, { batchSize: 128, hidden: 32, couplings: 6, lr: 3e-3 }, { seed: 4 });
    const held = b.data.sample(2048, Rng.stream(4, 'heldout'));
    const ll0 = b.model.evaluate!(held, new Rng(1)).log_likelihood!;
    const losses = train(b, 120, 4);
    const ll1 = b.model.evaluate!(held, new Rng(1)).log_likelihood!;
    b.model.dispose();
    // At the start the flow is the identity: log N(x; 0, I) on radius-2 points ≈ −1.84 − 2.
    expect(ll0).toBeCloseTo(-Math.log(2 * Math.PI) - 2, 1);
    // The best Gaussian (covariance 2·I) scores −log(2πe·2) ≈ −3.53; the flow must beat it.
    expect(ll1).toBeGreaterThan(-3);
    expect(meanLoss(losses, 'loss', 110)).toBeLessThan(meanLoss(losses, 'loss', 0, 10) - 1);
  });
});

describe('flow on images', () => {
  const tiny = { batchSize: 4, hidden: 4, couplings: 2, levels: 2 };

  it('trains, samples n × 784 in [−1, 1], is deterministic and leaks nothing', async () => {
    const { losses } = await expectImageBasics(flow, tiny);
    for (const l of losses) expect(l.bits_per_dim).toBeCloseTo(l.loss! / (784 * Math.LN2), 4);
  });

  it('resumes bit for bit', async () => {
    await expectImageResume(flow, tiny);
  });

  it('refuses a colour depth outside 1–8 bits and levels the image sides cannot take', async () => {
    expectGenEvalError((): void => void mergeHyperParams(flow, { bits: 9 }, true), { code: 'usage', message: 'bits must be an integer from 1 to 8, got "9"' });
    await expectGenEvalError(() => buildImage(flow, { ...tiny, levels: 3 }), { code: 'bad_input', message: /needs sides divisible by 8, got 28×28/ });
  });

  it('Glow levels: squeezed shapes, half the channels factored out below the top, steps and width doubling per level', async () => {
    const tf = await testTf();
    const glow = new Glow(tf, new Rng(3), { height: 28, width: 28, channels: 1, levels: 2, depth: 3, hidden: 5 });
    expect(glow.levels.map((l) => l.shape)).toEqual([
      [14, 14, 4],
      [7, 7, 8],
    ]);
    expect(glow.levels.map((l) => l.steps.length)).toEqual([3, 6]);
    expect(glow.levels.map((l) => l.steps[0]!.coupling.c1.outChannels)).toEqual([5, 10]);
    expect(glow.levels.map((l) => l.prior !== null)).toEqual([true, false]);
    expect(glow.topMean.shape).toEqual([7, 7, 8]); // 392 top values + 392 factored out at 14×14×2 = 784
    glow.dispose();
  });

  it('multi-scale Glow: exact inverse, and log |det J| equals the log-determinant of the Jacobian', async () => {
    const tf = await testTf();
    const nvp = new Glow(tf, new Rng(3), { height: 4, width: 4, channels: 1, levels: 2, depth: 2, hidden: 4 });
    // Perturb every weight (the zero-initialised output convs make the untrained flow a permutation).
    const rng = new Rng(8);
    for (const v of nvp.trainable())
      tf.tidy(() =>
        v.assign(
          tf.add(
            v,
            tf.tensor(
              rng.normals(v.size).map((e) => 0.3 * e),
              v.shape,
            ),
          ),
        ),
      );
    const y = tf.tensor2d(new Rng(1).normals(2 * 16), [2, 16]);
    const { z, logDet } = nvp.forward(y);
    const back = nvp.inverse(z);
    const yv = y.dataSync();
    back.dataSync().forEach((v, i) => expect(v).toBeCloseTo(yv[i]!, 4));
    // Row 0's Jacobian ∂z/∂y, one autodiff gradient per output, in float32.
    const J: number[][] = [];
    for (let k = 0; k < 16; k++) {
      const g = tf.grad((u: tfNs.Tensor) => tf.slice(nvp.forward(u as tfNs.Tensor2D).z, [0, k], [1, 1]).sum() as tfNs.Scalar)(y);
      J.push(Array.from(g.dataSync().slice(0, 16)));
      g.dispose();
    }
    expect(logAbsDet(J)).toBeCloseTo(logDet.dataSync()[0]!, 3);
    tf.dispose([y, z, logDet, back]);
    nvp.dispose();
  });

  it('dequantisation: log |dy/du| matches finite differences, and logitToImage undoes it within half a bin', async () => {
    const tf = await testTf();
    const x = Float32Array.from([0, 64, 128, 166, 255], (p) => p / 127.5 - 1);
    const { y, logDet } = dequantizeLogit(x, 5, new Rng(4));
    let ld = 0;
    y.forEach((v) => {
      const s = 1 / (1 + Math.exp(-v));
      ld += Math.log(0.9) - Math.log(s) - Math.log(1 - s); // dy/du = (1 − 2α)/(v(1 − v))
    });
    expect(logDet[0]).toBeCloseTo(ld, 3);
    const back = tf.tidy(() => logitToImage(tf, tf.tensor2d(y, [1, 5])).dataSync());
    back.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(0.5 / 127.5 + 1e-5));
  });

  it("dequantisation at n bits: u stays in the byte's coarse bin, and samples show each level at an evenly spaced byte", async () => {
    const tf = await testTf();
    // Bytes 0, 31, 32, 100, 224, 255 → 3-bit levels 0, 0, 1, 3, 7, 7.
    const bytes = [0, 31, 32, 100, 224, 255];
    const x = Float32Array.from(bytes, (p) => p / 127.5 - 1);
    const levels = [0, 0, 1, 3, 7, 7];
    for (let seed = 0; seed < 20; seed++) {
      const { y } = dequantizeLogit(x, 6, new Rng(seed), { bits: 3 });
      y.forEach((v, i) => {
        const u = (1 / (1 + Math.exp(-v)) - 0.05) / 0.9;
        expect(Math.floor(u * 8)).toBe(levels[i]);
      });
      const back = tf.tidy(() => logitToImage(tf, tf.tensor2d(y, [1, 6]), { bits: 3 }).dataSync());
      back.forEach((v, i) => expect((v + 1) * 127.5).toBeCloseTo((levels[i]! * 255) / 7, 3));
    }
  });

  it('reports held-out nats per image and bits/dim, and training lowers them', async () => {
    const b = await buildImage(flow, { ...tiny, batchSize: 16, lr: 3e-3 }, 4);
    const held = b.data.heldOut!(32, new Rng(4));
    const e0 = b.model.evaluate!(held, new Rng(9));
    train(b, 10, 4);
    const e1 = b.model.evaluate!(held, new Rng(9));
    b.model.dispose();
    expect(e0.log_likelihood).toBe(-e0.nll_nats!);
    expect(e0.bits_per_dim).toBeCloseTo(e0.nll_nats! / (784 * Math.LN2), 6);
    expect(e1.nll_nats).toBeLessThan(e0.nll_nats! - 100);
  });
});

/** log |det M| by Gaussian elimination with partial pivoting (float64). */
function logAbsDet(m: number[][]): number {
  const a = m.map((r) => [...r]);
  const n = a.length;
  let s = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    s += Math.log(Math.abs(piv));
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / piv;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return s;
}
