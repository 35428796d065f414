/**
 * Cholesky factorisation A = L·Lᵀ in float64, recursive so that nearly all the work is two big
 * products per level (the off-diagonal solve and the Schur-complement update), which run on
 * onnxruntime; only blocks of at most `base` columns are factorised by JS loops.
 */
import { copyBlock } from './dense.js';
import { gemmABt } from './gemm.js';
import { internalError } from '../errors.js';

export interface CholeskyOptions {
  /** Blocks of at most this many columns are factorised / solved directly in JS (default 64). */
  base?: number;
  /**
   * A pivot below `pivotTolerance` × (its original diagonal entry) counts as failure: the column
   * is numerically a combination of the previous ones (default n·2⁻⁵²).
   */
  pivotTolerance?: number;
}

/** Why a factorisation stopped: the first column whose pivot was not safely positive. */
export interface CholeskyFailure {
  readonly failedAt: number;
}

/**
 * Lower-triangular L (n×n row-major, zero above the diagonal) with A = L·Lᵀ, reading only the
 * lower triangle of the symmetric matrix `a`; or `{ failedAt }` when A is not numerically
 * positive definite.
 */
export async function cholesky(a: Float64Array, n: number, opts: CholeskyOptions = {}): Promise<Float64Array | CholeskyFailure> {
  if (a.length < n * n) throw internalError(`cholesky: ${a.length} values do not make ${n}×${n}`);
  const base = Math.max(8, opts.base ?? 64);
  const tol = opts.pivotTolerance ?? n * 2 ** -52;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) L.set(a.subarray(i * n, i * n + i + 1), i * n);
  const diag = Float64Array.from({ length: n }, (_, i) => a[i * n + i]!);
  const failedAt = await factor(L, n, 0, n, { base, tol, diag });
  return failedAt < 0 ? L : { failedAt };
}

/** Type guard for the failure case of {@link cholesky}. */
export function isCholeskyFailure(r: Float64Array | CholeskyFailure): r is CholeskyFailure {
  return !(r instanceof Float64Array);
}

interface Ctx {
  base: number;
  tol: number;
  diag: Float64Array;
}

/** Factorises the diagonal block [off, off+size) of L in place; returns the failing column or −1. */
async function factor(L: Float64Array, n: number, off: number, size: number, ctx: Ctx): Promise<number> {
  if (size <= ctx.base) return factorDirect(L, n, off, size, ctx);
  const h = size >> 1;
  const f1 = await factor(L, n, off, h, ctx);
  if (f1 >= 0) return f1;
  // L21 = A21·L11⁻ᵀ, then the Schur complement A22 − L21·L21ᵀ, then its factor.
  await solveLowerT(L, n, off + h, size - h, off, h, ctx.base);
  const m = size - h;
  const l21 = copyBlock(L, n, off + h, off, m, h);
  // Only the lower triangle of L21·L21ᵀ is needed: rows in blocks of ~256, each against the
  // rows up to its end (a staircase), ~half the multiply-adds of the full product.
  const k = Math.max(1, Math.round(m / 256));
  const p = new Float64Array(Math.ceil(m / k + 1) * m);
  for (let b = 0; b < k; b++) {
    const i0 = Math.floor((b * m) / k);
    const i1 = Math.floor(((b + 1) * m) / k);
    await gemmABt({ data: l21.subarray(i0 * h, i1 * h), rows: i1 - i0, cols: h }, { data: l21, rows: i1, cols: h }, p);
    for (let i = i0; i < i1; i++) {
      const li = (off + h + i) * n + off + h;
      const pi = (i - i0) * i1;
      for (let j = 0; j <= i; j++) L[li + j]! -= p[pi + j]!;
    }
  }
  return factor(L, n, off + h, m, ctx);
}

/** Row-oriented (Crout) factorisation of a small diagonal block whose left part is already done. */
function factorDirect(L: Float64Array, n: number, off: number, size: number, ctx: Ctx): number {
  for (let i = off; i < off + size; i++) {
    const ri = i * n;
    for (let j = off; j <= i; j++) {
      const rj = j * n;
      let s = L[ri + j]!;
      for (let k = off; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (i === j) {
        // `!(s > …)` also catches NaN.
        if (!(s > ctx.tol * Math.abs(ctx.diag[i]!)) || !(s > 0) || !Number.isFinite(s)) return i;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  return -1;
}

/**
 * Solves X·Tᵀ = B in place, where B is the rows×h block of L at (r0, c0) and T the lower-
 * triangular h×h block at (c0, c0). Recursive: split T in halves, solve the left columns, remove
 * their contribution from the right columns with one product, solve the right columns.
 */
async function solveLowerT(L: Float64Array, n: number, r0: number, rows: number, c0: number, h: number, base: number): Promise<void> {
  if (h <= base) {
    for (let r = r0; r < r0 + rows; r++) {
      const rr = r * n;
      for (let k = 0; k < h; k++) {
        const tk = (c0 + k) * n + c0;
        let s = L[rr + c0 + k]!;
        for (let l = 0; l < k; l++) s -= L[tk + l]! * L[rr + c0 + l]!;
        L[rr + c0 + k] = s / L[tk + k]!;
      }
    }
    return;
  }
  const h1 = h >> 1;
  await solveLowerT(L, n, r0, rows, c0, h1, base);
  const x1 = copyBlock(L, n, r0, c0, rows, h1);
  const t21 = copyBlock(L, n, c0 + h1, c0, h - h1, h1);
  const p = await gemmABt({ data: x1, rows, cols: h1 }, { data: t21, rows: h - h1, cols: h1 });
  const w = h - h1;
  for (let i = 0; i < rows; i++) {
    const li = (r0 + i) * n + c0 + h1;
    for (let j = 0; j < w; j++) L[li + j]! -= p[i * w + j]!;
  }
  await solveLowerT(L, n, r0, rows, c0 + h1, w, base);
}
