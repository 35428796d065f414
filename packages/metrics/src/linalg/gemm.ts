/**
 * Matrix products in float64. Large products run on onnxruntime's float64 MatMul
 * (see onnx-backend.ts); small ones, or all of them when onnxruntime is unavailable, run in the
 * JS kernels below. Both accumulate in float64 whatever the input precision.
 */
import type { FloatArray, Matrix } from '../matrix.js';
import { onnxProduct, preferOnnx, type Operand } from './onnx-backend.js';
import { internalError } from '../errors.js';

function asFloat64(data: FloatArray): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

function operand(m: Matrix): Operand {
  return { data: asFloat64(m.data), rows: m.rows, cols: m.cols };
}

function checkInner(what: string, k1: number, k2: number): void {
  if (k1 !== k2) throw internalError(`${what}: inner dimensions differ (${k1} vs ${k2})`);
}

/**
 * C = A·Bᵀ (m×n, row-major, float64), where A is m×k and B is n×k: Gram and cross products of
 * row-major feature blocks. Each entry is a dot product of two rows. Written into `out` (at
 * least m·n values) when given.
 */
export async function gemmABt(a: Matrix, b: Matrix, out?: Float64Array): Promise<Float64Array> {
  checkInner('gemmABt', a.cols, b.cols);
  if (preferOnnx(a.rows * b.rows * a.cols)) {
    const c = await onnxProduct('abt', operand(a), operand(b), out);
    if (c !== null) return c;
  }
  return gemmABtSync(a, b, out);
}

/** Synchronous plain-JS A·Bᵀ (reference kernel; small inputs); written into `out` when given. */
export function gemmABtSync(a: Matrix, b: Matrix, out?: Float64Array): Float64Array {
  checkInner('gemmABt', a.cols, b.cols);
  const m = a.rows;
  const n = b.rows;
  const k = a.cols;
  const A = a.data;
  const B = b.data;
  const C = out ?? new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      // Four partial sums break the add dependency chain (≈ 2× faster than one accumulator).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < k; t += 4) {
        s0 += A[ai + t]! * B[bj + t]!;
        s1 += A[ai + t + 1]! * B[bj + t + 1]!;
        s2 += A[ai + t + 2]! * B[bj + t + 2]!;
        s3 += A[ai + t + 3]! * B[bj + t + 3]!;
      }
      for (; t < k; t++) s0 += A[ai + t]! * B[bj + t]!;
      C[i * n + j] = s0 + s1 + (s2 + s3);
    }
  }
  return C;
}

/** C = A·B (m×n) for A m×k, B k×n; written into `out` when given. */
export async function gemmAB(a: Matrix, b: Matrix, out?: Float64Array): Promise<Float64Array> {
  checkInner('gemmAB', a.cols, b.rows);
  if (preferOnnx(a.rows * b.cols * a.cols)) {
    const c = await onnxProduct('ab', operand(a), operand(b), out);
    if (c !== null) return c;
  }
  return gemmABSync(a, b, out);
}

/** Plain-JS A·B: row i of C accumulates A[i,t]·(row t of B), streaming rows (cache-friendly). */
export function gemmABSync(a: Matrix, b: Matrix, out?: Float64Array): Float64Array {
  checkInner('gemmAB', a.cols, b.rows);
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const A = a.data;
  const B = b.data;
  const C = out ?? new Float64Array(m * n);
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let t = 0; t < k; t++) {
      const s = A[i * k + t]!;
      if (s === 0) continue;
      const bt = t * n;
      for (let j = 0; j < n; j++) C[ci + j]! += s * B[bt + j]!;
    }
  }
  return C;
}

/** C = Aᵀ·B (m×n) for A k×m, B k×n — e.g. the scatter XᵀX of a row-major batch. */
export async function gemmAtB(a: Matrix, b: Matrix, out?: Float64Array): Promise<Float64Array> {
  checkInner('gemmAtB', a.rows, b.rows);
  if (preferOnnx(a.cols * b.cols * a.rows)) {
    const c = await onnxProduct('atb', operand(a), operand(b), out);
    if (c !== null) return c;
  }
  return gemmAtBSync(a, b, out);
}

/** Plain-JS Aᵀ·B as a sum of outer products of matching rows. */
export function gemmAtBSync(a: Matrix, b: Matrix, out?: Float64Array): Float64Array {
  checkInner('gemmAtB', a.rows, b.rows);
  const k = a.rows;
  const m = a.cols;
  const n = b.cols;
  const A = a.data;
  const B = b.data;
  const C = out ?? new Float64Array(m * n);
  C.fill(0, 0, m * n);
  for (let t = 0; t < k; t++) {
    const bt = t * n;
    for (let i = 0; i < m; i++) {
      const s = A[t * m + i]!;
      if (s === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j]! += s * B[bt + j]!;
    }
  }
  return C;
}
