import { describe, expect, it } from 'vitest';
import { metricSpec, registerMetrics } from '@gen-eval/metrics';
import type * as tfNs from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { expectDeterministic, expectFiniteSamples, expectNoLeaks, meanLoss } from './family-checks.test-helper.js';
import { build, reportedKeys, testTf, train } from './family.test-helper.js';
import { discretizedLogisticNll } from '../nn/image-likelihood.js';
import { buildImage, expectImageBasics, expectImageResume } from './image-family.test-helper.js';
import { gaussianKl, gaussianNll, vae } from './vae.js';

const small = { batchSize: 64, hidden: 32 };

describe('vae', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(vae, small, 100);
  });

  it('is deterministic given the seed', async () => {
    await expectDeterministic(vae, small);
  });

  it('leaks no tensors (training, sampling, evaluation)', async () => {
    await expectNoLeaks(vae, small, (b) => {
      b.model.sample(50, new Rng(1));
      b.model.evaluate?.(b.data.sample(50, new Rng(2)), new Rng(3));
    });
  });

  it('reports loss = recon + kl, with kl ≥ 0', async () => {
    const b = await build(vae, small, { seed: 2 });
    for (const l of train(b, 5, 2)) {
      expect(l.loss).toBeCloseTo(l.recon! + l.kl!, 4);
      expect(l.kl).toBeGreaterThanOrEqual(0);
    }
    b.model.dispose();
  });

  it('analytic KL matches a Monte Carlo estimate of E_q[log q − log p]', async () => {
    const tf = await testTf();
    const mu = [
      [0.5, -1.2, 0.3],
      [0, 0, 0],
      [2, 0.1, -0.4],
    ];
    const logVar = [
      [-0.7, 0.4, 1.1],
      [0, 0, 0],
      [-2, 0.8, -0.1],
    ];
    const analytic = tf.tidy(() => gaussianKl(tf, tf.tensor2d(mu), tf.tensor2d(logVar)).arraySync());
    const rng = new Rng(42);
    const N = 200_000;
    mu.forEach((m, r) => {
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < N; i++) {
        let v = 0;
        m.forEach((mj, j) => {
          const lv = logVar[r]![j]!;
          const eps = rng.normal();
          const z = mj + Math.exp(0.5 * lv) * eps;
          // log q(z) − log p(z) for one dimension; the log 2π terms cancel.
          v += -0.5 * (lv + eps * eps) + 0.5 * z * z;
        });
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / N;
      const se = Math.sqrt((sumSq / N - mean * mean) / N);
      expect(Math.abs(analytic[r]! - mean)).toBeLessThan(4 * se + 1e-6);
    });
    expect(analytic[1]).toBeCloseTo(0, 6);
  });

  it('Gaussian NLL matches the closed form', async () => {
    const tf = await testTf();
    const got = tf.tidy(() => gaussianNll(tf, tf.tensor2d([[1, -2]]), tf.tensor2d([[0.5, -1]]), tf.tensor1d([0.2, -0.3]) as tfNs.Tensor).arraySync());
    const want = [
      [1, 0.5, 0.2],
      [-2, -1, -0.3],
    ].reduce((s, [x, m, lv]) => s + 0.5 * (Math.log(2 * Math.PI) + lv! + (x! - m!) ** 2 / Math.exp(lv!)), 0);
    expect(got[0]).toBeCloseTo(want, 5);
  });

  it('raises the held-out ELBO by training', async () => {
    const b = await build(vae, { batchSize: 128, hidden: 64, lr: 3e-3 }, { seed: 4 });
    const held = b.data.sample(2048, Rng.stream(4, 'heldout'));
    const elbo0 = b.model.evaluate!(held, new Rng(9)).elbo!;
    const losses = train(b, 300, 4);
    const elbo1 = b.model.evaluate!(held, new Rng(9)).elbo!;
    b.model.dispose();
    // Untrained: σ_x = 1 around a mean near 0 on points of radius 2, about −3.9 nats.
    expect(elbo0).toBeLessThan(-3.7);
    // A VAE first fits the data's overall spread (σ_x ≈ √2, the Gaussian-fit level −3.53 nats)
    // within a few dozen steps, and only later resolves the modes: ask for the first part.
    expect(elbo1).toBeGreaterThan(elbo0 + 0.3);
    expect(meanLoss(losses, 'loss', 280)).toBeLessThan(meanLoss(losses, 'loss', 0, 5) - 0.3);
  });
});

describe('vae on images', () => {
  const tiny = { batchSize: 4, hidden: 8, latentDim: 4 };

  it('trains, samples n × 784 in [−1, 1], is deterministic and leaks nothing', async () => {
    const { losses } = await expectImageBasics(vae, tiny);
    for (const l of losses) {
      expect(l.loss).toBeCloseTo(l.recon! + l.kl!, 1);
      expect(l.kl).toBeGreaterThanOrEqual(0);
    }
  });

  it('resumes bit for bit', async () => {
    await expectImageResume(vae, tiny);
  });

  it('discretised logistic: the 256 bins of a pixel hold probability 1, and match the CDF difference', async () => {
    const tf = await testTf();
    const xs = Float32Array.from({ length: 256 }, (_, p) => p / 127.5 - 1);
    for (const [mu, logS] of [
      [0.3, -1.5],
      [-0.9, -4],
      [0, 0.5],
      [0.999, -6.5],
    ] as const) {
      const nll = tf.tidy(() => discretizedLogisticNll(tf, tf.tensor2d(xs, [256, 1]), tf.fill([256, 1], mu) as tfNs.Tensor2D, tf.fill([256, 1], logS) as tfNs.Tensor2D).dataSync());
      let total = 0;
      nll.forEach((v) => (total += Math.exp(-v)));
      expect(total).toBeCloseTo(1, 3);
      // A middle bin by hand in float64: σ((x + 1/255 − μ)/s) − σ((x − 1/255 − μ)/s).
      const sig = (a: number) => 1 / (1 + Math.exp(-a));
      const p = 128;
      const s = Math.exp(logS);
      const want = sig((xs[p]! + 1 / 255 - mu) / s) - sig((xs[p]! - 1 / 255 - mu) / s);
      if (want > 1e-4) expect(Math.exp(-nll[p]!) / want).toBeCloseTo(1, 3);
    }
  });

  it('reports the held-out negative ELBO in nats per image and lowers it by training', async () => {
    const b = await buildImage(vae, { ...tiny, batchSize: 16, lr: 3e-3 }, 4);
    const held = b.data.heldOut!(32, new Rng(4));
    const e0 = b.model.evaluate!(held, new Rng(9));
    train(b, 15, 4);
    const e1 = b.model.evaluate!(held, new Rng(9));
    b.model.dispose();
    expect(e0.elbo).toBe(-e0.neg_elbo_nats!);
    expect(e0.bits_per_dim).toBeCloseTo(e0.neg_elbo_nats! / (784 * Math.LN2), 6);
    // −log of probabilities of discrete values: positive (untrained ≈ 2.3 nats per pixel).
    expect(e0.neg_elbo_nats).toBeGreaterThan(784);
    expect(e1.neg_elbo_nats).toBeLessThan(e0.neg_elbo_nats! - 200);
  });
});

describe('vae metric keys', () => {
  it('reports the same keys per data kind, each declared by the family or built into the metric table', async () => {
    registerMetrics(vae.metrics);
    const flat = reportedKeys(await build(vae, small));
    const image = reportedKeys(await buildImage(vae, { batchSize: 4, hidden: 8, latentDim: 4 }));
    expect(flat).toEqual({ step: ['loss', 'recon', 'kl'], evaluate: ['elbo'] });
    // Bits per dimension and nats per image apply to the discretised likelihood of bytes only.
    expect(image).toEqual({ step: ['loss', 'recon', 'kl'], evaluate: ['elbo', 'neg_elbo_nats', 'bits_per_dim'] });
    for (const key of [...flat.step, ...flat.evaluate, ...image.step, ...image.evaluate]) expect(metricSpec(key), key).toBeDefined();
  });
});
