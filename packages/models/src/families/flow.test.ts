import { describe, expect, it } from 'vitest';
import { metricSpec, registerMetrics } from '@gen-eval/metrics';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type * as tfNs from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { flow } from './flow.js';
import { Glow } from '../nn/glow.js';
import { dequantizeLogit, logitToImage } from '../nn/image-likelihood.js';
import { buildImage, expectImageBasics, expectImageResume } from './image-family.test-helper.js';
import { expectDeterministic, expectFiniteSamples, expectNoLeaks, meanLoss } from './family-checks.test-helper.js';
import { build, reportedKeys, testTf, train } from './family.test-helper.js';
import { mergeHyperParams } from '../train/setup.js';

const small = { batchSize: 64, hidden: 16, couplings: 4 };

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

describe('flow metric keys', () => {
  it('reports the same keys per data kind, each declared by the family or built into the metric table', async () => {
    registerMetrics(flow.metrics);
    const flat = reportedKeys(await build(flow, small));
    const image = reportedKeys(await buildImage(flow, { batchSize: 4, hidden: 4, couplings: 2, levels: 2 }));
    expect(flat).toEqual({ step: ['loss'], evaluate: ['log_likelihood'] });
    // Nats per image and bits per dimension apply to the dequantised bytes only.
    expect(image).toEqual({ step: ['loss', 'bits_per_dim'], evaluate: ['log_likelihood', 'nll_nats', 'bits_per_dim'] });
    for (const key of [...flat.step, ...flat.evaluate, ...image.step, ...image.evaluate]) expect(metricSpec(key), key).toBeDefined();
  });
});
