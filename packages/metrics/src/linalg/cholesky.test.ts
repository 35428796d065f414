import { describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { cholesky, isCholeskyFailure } from './cholesky.js';
import { lowerCongruence } from './congruence.js';
import { gemmABtSync } from './gemm.js';
import { maxDiff, withSpectrum } from './test-matrices.js';

function spd(n: number, seed: number, minEig = 0.01): Float64Array {
  const rs = new RandomState(seed);
  return withSpectrum(
    Float64Array.from({ length: n }, () => minEig + rs.random() * 3),
    seed,
  );
}

describe('cholesky', () => {
  it('L·Lᵀ reproduces A, L is lower-triangular with a positive diagonal (direct and recursive paths)', async () => {
    for (const [n, base] of [
      [1, 128],
      [7, 128],
      [60, 128],
      [150, 16],
      [150, 9],
    ] as const) {
      const a = spd(n, n + base);
      const L = await cholesky(a, n, { base });
      if (isCholeskyFailure(L)) throw new Error('unexpected failure');
      for (let i = 0; i < n; i++) {
        expect(L[i * n + i]!).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
      }
      const llt = gemmABtSync({ data: L, rows: n, cols: n }, { data: L, rows: n, cols: n });
      expect(maxDiff(llt, a)).toBeLessThan(1e-13 * 4);
    }
  });

  it('reads only the lower triangle', async () => {
    const n = 20;
    const a = spd(n, 3);
    const garbage = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbage[i * n + j] = 1e9;
    expect(await cholesky(garbage, n)).toEqual(await cholesky(a, n));
  });

  it('fails (with the column) on indefinite, singular and non-finite matrices, on both paths', async () => {
    for (const base of [128, 8]) {
      const n = 40;
      const lambda = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -0.5 : 1 + i));
      const r = await cholesky(withSpectrum(lambda, 1), n, { base });
      expect(isCholeskyFailure(r)).toBe(true);
      // Rank 10 (a covariance of 11 samples): numerically singular.
      const x = new RandomState(2).normals(11 * n);
      const s = gemmABtSync({ data: transposeOf(x, 11, n), rows: n, cols: 11 }, { data: transposeOf(x, 11, n), rows: n, cols: 11 });
      const f = await cholesky(s, n, { base });
      expect(isCholeskyFailure(f) && f.failedAt >= 10).toBe(true);
    }
    const bad = spd(3, 1);
    bad[4] = Number.NaN;
    expect(isCholeskyFailure(await cholesky(bad, 3))).toBe(true);
  });
});

describe('lowerCongruence', () => {
  it('Lᵀ·S·L has the eigenvalues of S₁·S₂ (trace and exact symmetry checked)', async () => {
    const n = 70;
    const s1 = spd(n, 5);
    const s2 = spd(n, 6);
    const L = await cholesky(s1, n);
    if (isCholeskyFailure(L)) throw new Error('unexpected failure');
    const m = await lowerCongruence(L, s2, n);
    let trM = 0;
    let trP = 0;
    for (let i = 0; i < n; i++) {
      trM += m[i * n + i]!;
      for (let k = 0; k < n; k++) trP += s1[i * n + k]! * s2[k * n + i]!;
      for (let j = 0; j < i; j++) expect(m[i * n + j]).toBe(m[j * n + i]);
    }
    expect(trM).toBeCloseTo(trP, 10);
  });

  it('the recursive split equals the two plain products (odd sizes, several depths)', async () => {
    for (const n of [37, 150]) {
      const s2 = spd(n, n);
      const L = await cholesky(spd(n, n + 1), n);
      if (isCholeskyFailure(L)) throw new Error('unexpected failure');
      const direct = await lowerCongruence(L, s2, n, { base: n });
      let scale = 0;
      for (const v of direct) scale = Math.max(scale, Math.abs(v));
      for (const base of [4, 16, 40]) {
        const rec = await lowerCongruence(L, s2, n, { base });
        expect(maxDiff(rec, direct) / scale).toBeLessThan(1e-14);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(rec[i * n + j]).toBe(rec[j * n + i]);
      }
    }
  });
});

function transposeOf(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
  return t;
}
