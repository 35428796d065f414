import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { configureLinalg, linalgConfig } from './onnx-backend.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';
import { tridiagonalize, type TridiagonalizeProfile } from './tridiagonalize.js';
import { maxDiff, withSpectrum } from './test-matrices.js';

const sorted = (x: ArrayLike<number>) => Float64Array.from(x).sort();
const initial = linalgConfig();
afterEach(() => configureLinalg(initial));

describe('tridiagonalEigenvalues (implicit QL)', () => {
  it('matches the closed form of the 1-2-1 Toeplitz matrix: 2 − 2cos(kπ/(n+1))', () => {
    for (const n of [1, 2, 3, 10, 257]) {
      const got = tridiagonalEigenvalues({ d: new Float64Array(n).fill(2), e: new Float64Array(n - 1).fill(-1) });
      const want = sorted(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))));
      expect(maxDiff(got, want)).toBeLessThan(1e-13);
    }
  });

  it('handles split blocks (zero off-diagonals), huge and tiny scales', () => {
    const got = tridiagonalEigenvalues({ d: Float64Array.of(3, 1, 2, 5), e: Float64Array.of(0, 0, 0) });
    expect(Array.from(got)).toEqual([1, 2, 3, 5]);
    for (const s of [1e-150, 1e150]) {
      const t = tridiagonalEigenvalues({ d: Float64Array.of(2 * s, 2 * s), e: Float64Array.of(s) });
      expect(t[0]! / s).toBeCloseTo(1, 13);
      expect(t[1]! / s).toBeCloseTo(3, 13);
    }
  });

  it('rejects non-finite input', () => {
    expect(() => tridiagonalEigenvalues({ d: Float64Array.of(1, Number.NaN), e: Float64Array.of(0) })).toThrow(/non-finite/);
  });
});

describe('symmetricEigenvalues (Householder tridiagonalisation + QL)', () => {
  it('recovers a known spectrum on random sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), async (n, seed) => {
        const rs = new RandomState(seed);
        const lambda = Float64Array.from({ length: n }, () => rs.random() * 4 - 1);
        const got = await symmetricEigenvalues(withSpectrum(lambda, seed), n);
        expect(maxDiff(got, sorted(lambda))).toBeLessThan(1e-13 * Math.max(1, n));
      }),
      { numRuns: 40 },
    );
  });

  it('blocked path (panels, onnxruntime matrix-vector products and updates) equals the known spectrum', async () => {
    const n = 150;
    // Clustered, repeated, zero and widely scaled eigenvalues: a PSD-like spectrum as in FID.
    const lambda = Float64Array.from({ length: n }, (_, i) => (i < 10 ? 0 : i < 20 ? 1 : Math.exp(-i / 10) * 50));
    const a = withSpectrum(lambda, 42);
    const want = sorted(lambda);
    // WebAssembly lower-triangle products, then full products on onnxruntime and in JS.
    for (const wasm of [true, false]) {
      configureLinalg({ wasm });
      for (const opts of [{ block: 8, directBelow: 16, onnxGemvRows: 32 }, { block: 5, directBelow: 7, onnxGemvRows: 1e9 }, {}]) {
        const got = await symmetricEigenvalues(a, n, opts);
        expect(maxDiff(got, want)).toBeLessThan(1e-12 * 50);
      }
    }
  });

  it('with the products split over the helper thread (n = 450), recovers the known spectrum', async () => {
    configureLinalg({ threads: 2 });
    const n = 450;
    const lambda = Float64Array.from({ length: n }, (_, i) => Math.cos(i) * 2 + (i % 5));
    const profile: TridiagonalizeProfile = { gemv: 0, panel: 0, update: 0 };
    const got = await symmetricEigenvalues(withSpectrum(lambda, 11), n, { symvHelper: 'force', profile });
    expect(profile.symvMode).toBe('split');
    expect(maxDiff(got, sorted(lambda))).toBeLessThan(1e-12 * 10);
  });

  it('tridiagonalize preserves the trace and the Frobenius norm (orthogonal similarity)', async () => {
    const n = 90;
    const a = withSpectrum(
      Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3),
      7,
    );
    let tr = 0;
    let fro = 0;
    for (let i = 0; i < n; i++) tr += a[i * n + i]!;
    for (const v of a) fro += v * v;
    for (const wasm of [true, false]) {
      configureLinalg({ wasm });
      const { d, e } = await tridiagonalize(a, n, { block: 6, directBelow: 10, onnxGemvRows: 20 });
      let tr2 = 0;
      let fro2 = 0;
      d.forEach((v) => {
        tr2 += v;
        fro2 += v * v;
      });
      e.forEach((v) => {
        fro2 += 2 * v * v;
      });
      expect(tr2).toBeCloseTo(tr, 11);
      expect(fro2).toBeCloseTo(fro, 10);
    }
  });

  it('is invariant to the scale of the matrix and handles zero and 1×1 matrices', async () => {
    const a = withSpectrum([1, 2, 3], 3);
    for (const s of [1e-200, 1e200]) {
      const got = await symmetricEigenvalues(
        a.map((v) => v * s),
        3,
      );
      expect(
        maxDiff(
          Array.from(got, (v) => v / s),
          [1, 2, 3],
        ),
      ).toBeLessThan(1e-14);
    }
    expect(Array.from(await symmetricEigenvalues(new Float64Array(4), 2))).toEqual([0, 0]);
    expect(Array.from(await symmetricEigenvalues(Float64Array.of(-7), 1))).toEqual([-7]);
    await expect(symmetricEigenvalues(Float64Array.of(1, Number.NaN, Number.NaN, 1), 2)).rejects.toThrow(/non-finite/);
  });
});
