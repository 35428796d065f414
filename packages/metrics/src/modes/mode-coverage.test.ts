import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/modes.json' with { type: 'json' };
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { gridMixture, ringMixture, sampleMixture, type Mixture2d } from './mixtures.js';
import { mixtureModeCoverage } from './mode-coverage.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));

/** The golden script's generator-like samples: mode pick(i), spread 4σ on every third sample. */
function goldenSamples(mix: Mixture2d, pick: (i: number) => number): Matrix {
  const z = new RandomState(101).normals(600 * 2);
  const data = new Float64Array(1200);
  for (let i = 0; i < 600; i++) {
    const s = mix.sigma * (i % 3 === 0 ? 4 : 1);
    const m = pick(i);
    data[2 * i] = mix.centres.data[2 * m]! + s * z[2 * i]!;
    data[2 * i + 1] = mix.centres.data[2 * m + 1]! + s * z[2 * i + 1]!;
  }
  return { rows: 600, cols: 2, data };
}

describe('mixtures', () => {
  it('ring: 8 distinct modes on the unit circle; grid: {−4,−2,0,2,4}² x-major', () => {
    const ring = ringMixture();
    expect(ring.sigma).toBe(0.01);
    expect(ring.centres.rows).toBe(8);
    for (let i = 0; i < 8; i++) expect(Math.hypot(ring.centres.data[2 * i]!, ring.centres.data[2 * i + 1]!)).toBeCloseTo(1, 15);
    const angles = new Set(Array.from({ length: 8 }, (_, i) => Math.atan2(ring.centres.data[2 * i + 1]!, ring.centres.data[2 * i]!).toFixed(6)));
    expect(angles.size).toBe(8);
    const grid = gridMixture();
    expect(grid.sigma).toBe(0.05);
    expect(Array.from(grid.centres.data.subarray(0, 6))).toEqual([-4, -4, -4, -2, -4, 0]);
    expect(Array.from(grid.centres.data.subarray(48))).toEqual([4, 4]);
    expect(ringMixture({ modes: 6, radius: 2, sigma: 0.05 }).centres.data[0]).toBe(2);
    expect(gridMixture({ size: 3, spacing: 1 }).centres.data[0]).toBe(-1);
  });

  it('samplers are reproducible from the seed', () => {
    const a = sampleMixture(ringMixture(), 50, 3);
    expect(Array.from(sampleMixture(ringMixture(), 50, 3).data)).toEqual(Array.from(a.data));
    expect(Array.from(sampleMixture(ringMixture(), 50, 4).data)).not.toEqual(Array.from(a.data));
  });
});

describe('mixtureModeCoverage (PacGAN / VEEGAN protocol)', () => {
  it('matches the scipy reference on ring and grid samples with a missing mode', async () => {
    for (const [key, mix, pick] of [
      ['ring', ringMixture(), (i: number) => i % 7],
      ['grid', gridMixture(), (i: number) => (i * 7) % 23],
    ] as const) {
      const g = golden[key];
      const r = await mixtureModeCoverage(goldenSamples(mix, pick), mix);
      expect(r.modesCovered).toBe(g.modes_covered);
      expect(r.counts).toEqual(g.counts);
      rel(r.highQuality, g.high_quality);
      rel(r.reverseKl!, g.reverse_kl);
    }
  });

  it('true samples cover 8/8 (25/25) modes with ≈ 98.9 % high quality (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (seed) => {
        for (const [mix, modes] of [
          [ringMixture(), 8],
          [gridMixture(), 25],
        ] as const) {
          const r = await mixtureModeCoverage(sampleMixture(mix, 2500, seed), mix);
          expect(r.modesCovered).toBe(modes);
          // 1 − e^{−4.5} = 0.98889; 2 500 samples: binomial sd 0.0021, so ±0.012 is > 5 sd.
          expect(Math.abs(r.highQuality - (1 - Math.exp(-4.5)))).toBeLessThan(0.012);
          expect(r.reverseKl!).toBeLessThan(0.02);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('a sampler collapsed to one mode scores 1 mode and reverse KL log K (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 7 }), async (seed, mode) => {
        const mix = ringMixture();
        const r = await mixtureModeCoverage(sampleMixture(mix, 500, seed, { modes: [mode] }), mix);
        expect(r.modesCovered).toBe(1);
        expect(r.counts[mode]).toBe(r.highQualityCount);
        expect(r.reverseKl).toBeCloseTo(Math.log(8), 12);
      }),
      { numRuns: 20 },
    );
  });

  it('no high-quality sample: nothing covered and reverse KL null; bad inputs fail clearly', async () => {
    const mix = ringMixture();
    const far: Matrix = { rows: 2, cols: 2, data: Float64Array.of(5, 5, -5, 5) };
    const r = await mixtureModeCoverage(far, mix);
    expect(r).toMatchObject({ modesCovered: 0, highQuality: 0, reverseKl: null });
    await expect(mixtureModeCoverage({ rows: 0, cols: 2, data: new Float64Array(0) }, mix, { name: 's.npy' })).rejects.toThrow(/^s\.npy: is empty/);
    await expect(mixtureModeCoverage({ rows: 1, cols: 3, data: new Float64Array(3) }, mix, { name: 's.npy' })).rejects.toThrow(
      /^s\.npy: has 3 dimensions but the ring mixture is 2-D/,
    );
  });
});
