import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { ddpm } from './ddpm.js';
import { ddpmSchedule, linearBetas, qCoefficients, qSample, timeEmbedding } from './ddpm-schedule.js';
import { expectImageBasics, expectImageResume } from './image-family.test-helper.js';
import { expectDeterministic, expectFiniteSamples, expectNoLeaks, meanLoss } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { mergeHyperParams } from '../train/setup.js';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';

const small = { batchSize: 64, hidden: 32, timesteps: 50 };

describe('ddpm schedule', () => {
  it("has Ho et al.'s linear endpoints", () => {
    const s = ddpmSchedule(1000);
    expect(s.betas.length).toBe(1000);
    expect(s.betas[0]).toBeCloseTo(1e-4, 15);
    expect(s.betas[999]).toBeCloseTo(0.02, 15);
    expect(s.betas[500]! - s.betas[499]!).toBeCloseTo((0.02 - 1e-4) / 999, 15);
    expect(linearBetas(1)[0]).toBe(1e-4);
    expect(s.alphas[0]).toBeCloseTo(1 - 1e-4, 15);
    expect(s.alphaBars[0]).toBeCloseTo(1 - 1e-4, 15);
    // After T = 1000 steps almost no signal is left: ᾱ_T ≈ e^(−Σβ − Σβ²/2) ≈ 4.0e-5.
    expect(s.alphaBars[999]).toBeGreaterThan(3.5e-5);
    expect(s.alphaBars[999]).toBeLessThan(4.5e-5);
  });

  it('ᾱ_t is the float64 closed-form product Π (1 − β_s), decreasing', () => {
    const T = 1000;
    const s = ddpmSchedule(T);
    for (const t of [1, 2, 10, 100, 500, 999, 1000]) {
      // Independent closed form: β_s = 1e-4 + (s − 1)(0.02 − 1e-4)/(T − 1), product via logs.
      let logProd = 0;
      for (let k = 1; k <= t; k++) logProd += Math.log1p(-(1e-4 + ((k - 1) * (0.02 - 1e-4)) / (T - 1)));
      expect(Math.abs(s.alphaBars[t - 1]! / Math.exp(logProd) - 1)).toBeLessThan(1e-12);
      const q = qCoefficients(s, t);
      expect(q.meanCoef).toBeCloseTo(Math.sqrt(Math.exp(logProd)), 12);
      expect(q.variance).toBeCloseTo(1 - Math.exp(logProd), 12);
      expect(s.sqrtAlphaBars[t - 1]! ** 2 + s.sqrtOneMinusAlphaBars[t - 1]! ** 2).toBeCloseTo(1, 12);
    }
    for (let i = 1; i < T; i++) expect(s.alphaBars[i]!).toBeLessThan(s.alphaBars[i - 1]!);
    expect(() => qCoefficients(s, 0)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    expect(() => qCoefficients(s, 1001)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });

  it('q(x_t | x_0) has mean √ᾱ_t x_0 and variance 1 − ᾱ_t (empirically)', () => {
    const s = ddpmSchedule(1000);
    const x0 = [1.3, -0.7];
    const N = 100_000;
    const rng = new Rng(7);
    for (const t of [1, 50, 300, 1000]) {
      const x0s = new Float32Array(2 * N);
      for (let i = 0; i < N; i++) x0s.set(x0, 2 * i);
      const xt = qSample(s, x0s, new Int32Array(N).fill(t), rng.normals(2 * N), 2);
      const { meanCoef, variance } = qCoefficients(s, t);
      for (let d = 0; d < 2; d++) {
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < N; i++) sum += xt[2 * i + d]!;
        const mean = sum / N;
        for (let i = 0; i < N; i++) sumSq += (xt[2 * i + d]! - mean) ** 2;
        const v = sumSq / (N - 1);
        // 5 standard errors: of the mean √(var/N), of the variance var·√(2/N).
        expect(Math.abs(mean - meanCoef * x0[d]!)).toBeLessThan(5 * Math.sqrt(variance / N) + 1e-6);
        expect(Math.abs(v - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / N) + 1e-9);
      }
    }
  });

  it('time features are sin/cos pairs in [−1, 1], distinct for neighbouring t', () => {
    const a = new Float32Array(32);
    const b = new Float32Array(32);
    timeEmbedding(10, 32, a, 0, 32, 0);
    timeEmbedding(11, 32, b, 0, 32, 0);
    for (let k = 0; k < 16; k++) expect(a[k]! ** 2 + a[16 + k]! ** 2).toBeCloseTo(1, 5);
    expect(a[0]).toBeCloseTo(Math.sin(10), 6);
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(0.1);
  });
});

describe('ddpm', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(ddpm, small, 100);
  });

  it('is deterministic given the seed', async () => {
    await expectDeterministic(ddpm, small);
    await expectDeterministic(ddpm, { ...small, ema: 0 });
  });

  it('leaks no tensors (training, sampling)', async () => {
    await expectNoLeaks(ddpm, small, (b) => b.model.sample(20, new Rng(1)));
  });

  it('learns to predict the noise (loss from ≈ 1 to well below)', async () => {
    // T = 1000 (a training step costs the same for any T): with T = 100 and β_T = 0.02 a third
    // of the signal survives at t = T, and predicting ε is hard at every t.
    const b = await build(ddpm, { batchSize: 128, hidden: 64 }, { seed: 4 });
    const losses = train(b, 300, 4);
    b.model.dispose();
    // ε̂ ≈ 0 at the start gives mean ε² ≈ 1; a net that only predicted 0 would stay there.
    expect(meanLoss(losses, 'loss', 0, 10)).toBeGreaterThan(0.8);
    expect(meanLoss(losses, 'loss', 250)).toBeLessThan(0.45);
  });

  it('rejects an odd number of time features (its declared range)', () => {
    expectGenEvalError((): void => void mergeHyperParams(ddpm, { timeEmbed: 5 }), { code: 'usage', message: 'timeEmbed must be an even integer from 2 to 1024, got "5"' });
  });
});

describe('ddpm sampling', () => {
  it('2-D: sampleSteps k samples through k network passes (finite)', async () => {
    const b = await build(ddpm, { ...small, sampleSteps: 5 }, { seed: 2 });
    train(b, 3, 2);
    const out = b.model.sample(20, new Rng(1));
    b.model.dispose();
    expect(out.length).toBe(40);
    expect(out.every(Number.isFinite)).toBe(true);
  });
});

describe('ddpm on images', () => {
  const tiny = { batchSize: 4, hidden: 4, timeEmbed: 8, timesteps: 20, sampleSteps: 4 };

  it('trains, samples (DDIM) n × 784 in [−1, 1], is deterministic and leaks nothing', async () => {
    await expectImageBasics(ddpm, tiny);
  });

  it('samples with Algorithm 2 when sampleSteps = 0', async () => {
    await expectImageBasics(ddpm, { ...tiny, timesteps: 6, sampleSteps: 0 }, 3);
  });

  it('resumes bit for bit (EMA weights included)', async () => {
    await expectImageResume(ddpm, tiny);
  });

  it("has image defaults: Ho et al.'s T and β, DDIM sampling, the CPU-budget batch and step", () => {
    expect(schemaDefaults(ddpm.hyperParams, 'images').sampleSteps).toBeGreaterThan(0);
    // Batch 32 at Adam 1e-3: twice the steps of batch 64 in a budget counted in seconds (ddpm.ts).
    expect(schemaDefaults(ddpm.hyperParams, 'images')).toMatchObject({ batchSize: 32, lr: 1e-3, ema: 0.99 });
    expect(schemaDefaults(ddpm.hyperParams, 'points').sampleSteps).toBe(0);
    expect(schemaDefaults(ddpm.hyperParams, 'points').timesteps).toBe(1000);
  });
});
