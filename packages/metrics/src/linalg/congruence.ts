/**
 * The congruence M = Lᵀ·S·L of a symmetric S by a lower-triangular L (what LAPACK's DSYGST
 * computes for itype 2/3): with S₁ = L·Lᵀ, the eigenvalues of S₁·S₂ are those of the symmetric
 * Lᵀ·S₂·L.
 *
 * Two plain products cost 2n³ multiply-adds. Splitting L = [[L₁₁, 0], [L₂₁, L₂₂]] and S alike,
 * with X = S₁₁L₁₁ + S₂₁ᵀL₂₁ and Z = S₂₁L₁₁ + S₂₂L₂₁:
 *   M₁₁ = L₁₁ᵀX + L₂₁ᵀZ,   M₂₁ = L₂₂ᵀZ,   M₂₂ = L₂₂ᵀ·S₂₂·L₂₂ (recursively),
 * which skips the zero upper block of L and the upper half of M: n³ multiply-adds in all, as a
 * handful of large products per level (onnxruntime).
 */
import { copyBlock, symmetrize, transpose } from './dense.js';
import { gemmAB, gemmAtB } from './gemm.js';

export interface CongruenceOptions {
  /** Orders up to this use the two plain products (default 256). */
  base?: number;
}

/** Lᵀ·S·L (n×n, exactly symmetric), for S symmetric and L lower-triangular, both row-major. */
export async function lowerCongruence(L: Float64Array, S: Float64Array, n: number, opts: CongruenceOptions = {}): Promise<Float64Array> {
  return congruence(L, S, n, Math.max(2, opts.base ?? 256));
}

async function congruence(L: Float64Array, S: Float64Array, n: number, base: number): Promise<Float64Array> {
  if (n <= base) {
    const P = await gemmAB(mat(S, n, n), mat(L, n, n));
    return symmetrize(await gemmAB(mat(transpose(L, n, n), n, n), mat(P, n, n)), n);
  }
  const h = n >> 1;
  const m = n - h;
  const [S11, S21, S22] = [copyBlock(S, n, 0, 0, h, h), copyBlock(S, n, h, 0, m, h), copyBlock(S, n, h, h, m, m)];
  const [L11, L21, L22] = [copyBlock(L, n, 0, 0, h, h), copyBlock(L, n, h, 0, m, h), copyBlock(L, n, h, h, m, m)];
  const Z = addInto(await gemmAB(mat(S21, m, h), mat(L11, h, h)), await gemmAB(mat(S22, m, m), mat(L21, m, h)));
  const X = addInto(await gemmAB(mat(S11, h, h), mat(L11, h, h)), await gemmAtB(mat(S21, m, h), mat(L21, m, h)));
  const M11 = symmetrize(addInto(await gemmAtB(mat(L11, h, h), mat(X, h, h)), await gemmAtB(mat(L21, m, h), mat(Z, m, h))), h);
  const M21 = await gemmAtB(mat(L22, m, m), mat(Z, m, h));
  const M22 = await congruence(L22, S22, m, base);
  const M = new Float64Array(n * n);
  for (let i = 0; i < h; i++) M.set(M11.subarray(i * h, (i + 1) * h), i * n);
  for (let i = 0; i < m; i++) {
    M.set(M21.subarray(i * h, (i + 1) * h), (h + i) * n);
    M.set(M22.subarray(i * m, (i + 1) * m), (h + i) * n + h);
  }
  // Upper-right block = M₂₁ᵀ, copied exactly so M is symmetric to the bit.
  const M12 = transpose(M21, m, h);
  for (let i = 0; i < h; i++) M.set(M12.subarray(i * m, (i + 1) * m), i * n + h);
  return M;
}

const mat = (data: Float64Array, rows: number, cols: number) => ({ data, rows, cols });

function addInto(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  return a;
}
