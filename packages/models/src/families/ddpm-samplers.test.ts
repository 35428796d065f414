import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { ancestralSampler, ddimSampler, ddimStep, samplerFor, stridedTimesteps, type EpsPredictor } from './ddpm-samplers.js';
import { ddpmSchedule, qSample } from './ddpm-schedule.js';

/**
 * The exact ε of data concentrated on the point c: x_t = √ᾱ_t c + √(1 − ᾱ_t) ε, so
 * ε = (x_t − √ᾱ_t c)/√(1 − ᾱ_t); counts its calls.
 */
function pointEps(s: ReturnType<typeof ddpmSchedule>, c: readonly number[]): { predict: EpsPredictor; calls: number[] } {
  const calls: number[] = [];
  const predict: EpsPredictor = (x, t) => {
    calls.push(t);
    return Float32Array.from(x, (v, i) => (v - s.sqrtAlphaBars[t - 1]! * c[i % c.length]!) / s.sqrtOneMinusAlphaBars[t - 1]!);
  };
  return { predict, calls };
}

/** An Rng that counts its normal draws. */
function countingRng(seed: number): { rng: Rng; draws: () => number } {
  const rng = new Rng(seed);
  let n = 0;
  const normal = rng.normal.bind(rng);
  rng.normal = () => {
    n++;
    return normal();
  };
  return { rng, draws: () => n };
}

describe('ddpm samplers', () => {
  it('visits k evenly strided timesteps, ending at t = 1', () => {
    const ts = Array.from(stridedTimesteps(1000, 50));
    expect(ts.length).toBe(50);
    expect(ts[0]).toBe(981);
    expect(ts[49]).toBe(1);
    for (let i = 1; i < 50; i++) expect(ts[i - 1]! - ts[i]!).toBe(20);
    expect(Array.from(stridedTimesteps(4, 10))).toEqual([4, 3, 2, 1]);
    expect(() => stridedTimesteps(10, 0)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });

  it("a DDIM step with the true noise lands on q's mean path: √ᾱ_s x_0 + √(1 − ᾱ_s) ε, and x_0 at s = 0", () => {
    const s = ddpmSchedule(100);
    const x0 = Float32Array.from([0.5, -0.8, 0.1]);
    const eps = Float32Array.from([1.2, -0.3, 0.7]);
    const xt = qSample(s, x0, Int32Array.from([60]), eps, 3);
    const x = Float32Array.from(xt);
    ddimStep(s, x, eps, 60, 20);
    const a = Math.sqrt(s.alphaBars[19]!);
    const b = Math.sqrt(1 - s.alphaBars[19]!);
    x.forEach((v, i) => expect(v).toBeCloseTo(a * x0[i]! + b * eps[i]!, 5));
    ddimStep(s, x, eps, 20, 0);
    x.forEach((v, i) => expect(v).toBeCloseTo(x0[i]!, 4));
    // With clipping, a predicted x̂_0 beyond ±1 is clipped to ±1 (and ε recomputed from it).
    const far = qSample(s, Float32Array.from([3]), Int32Array.from([60]), Float32Array.from([0.2]), 1);
    ddimStep(s, far, [0.2], 60, 0, 1);
    expect(far[0]).toBeCloseTo(1, 5);
  });

  it('ancestral sampling (Algorithm 2) with the exact ε of a point mass visits t = T … 1, draws fresh noise at every step but the last, and ends on the point', () => {
    const s = ddpmSchedule(30);
    const c = [0.4, -0.7];
    const { predict, calls } = pointEps(s, c);
    const { rng, draws } = countingRng(3);
    const x = new Rng(1).normals(2 * 5);
    ancestralSampler(s)(x, predict, rng);
    expect(calls).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(draws()).toBe(29 * x.length);
    // The last step (σ_1 = 0) with the exact ε returns x̂_0 = c whatever x_1 is.
    x.forEach((v, i) => expect(v).toBeCloseTo(c[i % 2]!, 4));
  });

  it('DDIM with the exact ε of a point mass visits the strided steps, draws no noise, and ends on the point', () => {
    const s = ddpmSchedule(100);
    const c = [0.4, -0.7];
    const { predict, calls } = pointEps(s, c);
    const { rng, draws } = countingRng(3);
    const x = new Rng(1).normals(2 * 5);
    ddimSampler(s, stridedTimesteps(100, 4))(x, predict, rng);
    expect(calls).toEqual([76, 51, 26, 1]);
    expect(draws()).toBe(0);
    x.forEach((v, i) => expect(v).toBeCloseTo(c[i % 2]!, 4));
  });

  it('sampleSteps picks the sampler: 0 or ≥ T ancestral (T passes), 0 < k < T DDIM (k passes)', () => {
    const s = ddpmSchedule(20);
    const passes = (k: number) => {
      const { predict, calls } = pointEps(s, [0]);
      samplerFor(s, k, 1)(new Float32Array(4), predict, new Rng(1));
      return calls.length;
    };
    expect([passes(0), passes(20), passes(50), passes(5), passes(19)]).toEqual([20, 20, 20, 5, 19]);
  });
});
