import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { gemmAB, gemmABSync, gemmABt, gemmABtSync, gemmAtB, gemmAtBSync } from './gemm.js';
import { configureLinalg, linalgConfig, onnxAvailable } from './onnx-backend.js';
import { maxDiff } from './test-matrices.js';

const initial = linalgConfig();
afterEach(() => configureLinalg(initial));

function random(rows: number, cols: number, seed: number, f32 = false) {
  const v = new RandomState(seed).normals(rows * cols);
  return { rows, cols, data: f32 ? Float32Array.from(v) : v };
}

/** Textbook triple loop, the reference for every kernel. */
function naive(a: { rows: number; cols: number; data: ArrayLike<number> }, b: typeof a, ta: boolean, tb: boolean) {
  const m = ta ? a.cols : a.rows;
  const k = ta ? a.rows : a.cols;
  const n = tb ? b.rows : b.cols;
  const at = (i: number, t: number) => (ta ? a.data[t * a.cols + i]! : a.data[i * a.cols + t]!);
  const bt = (t: number, j: number) => (tb ? b.data[j * b.cols + t]! : b.data[t * b.cols + j]!);
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += at(i, t) * bt(t, j);
      c[i * n + j] = s;
    }
  return c;
}

describe('gemm', () => {
  it('onnxruntime is available here (the fast path the benchmarks rely on)', async () => {
    expect(await onnxAvailable()).toBe(true);
  });

  it('JS kernels equal the triple loop on random shapes, float32 and float64 inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (m, n, k, f32) => {
        const a = random(m, k, m * 100 + k, f32);
        const b = random(n, k, n * 7 + 1, f32);
        const bb = random(k, n, n * 7 + 2, f32);
        const at = random(k, m, m * 3 + 5, f32);
        expect(maxDiff(gemmABtSync(a, b), naive(a, b, false, true))).toBeLessThan(1e-12);
        expect(maxDiff(gemmABSync(a, bb), naive(a, bb, false, false))).toBeLessThan(1e-12);
        expect(maxDiff(gemmAtBSync(at, bb), naive(at, bb, true, false))).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('onnxruntime products equal the JS kernels (forced onto onnxruntime), including float32 inputs', async () => {
    configureLinalg({ backend: 'onnx' });
    const a = random(37, 53, 1);
    const b = random(29, 53, 2, true);
    const bb = random(53, 29, 3);
    const at = random(53, 37, 4, true);
    expect(maxDiff(await gemmABt(a, b), gemmABtSync(a, b))).toBeLessThan(1e-12);
    expect(maxDiff(await gemmAB(a, bb), gemmABSync(a, bb))).toBeLessThan(1e-12);
    expect(maxDiff(await gemmAtB(at, bb), gemmAtBSync(at, bb))).toBeLessThan(1e-12);
  });

  it('writes into a caller-provided output (also a subarray) on both backends', async () => {
    const a = random(40, 30, 5);
    const b = random(30, 20, 6);
    const want = gemmABSync(a, b);
    for (const backend of ['onnx', 'js'] as const) {
      configureLinalg({ backend });
      const buf = new Float64Array(40 * 20 + 10).fill(Number.NaN);
      const out = buf.subarray(5, 5 + 40 * 20);
      const got = await gemmAB(a, b, out);
      expect(got).toBe(out);
      expect(maxDiff(out, want)).toBeLessThan(1e-12);
      expect(Number.isNaN(buf[4]!) && Number.isNaN(buf[5 + 800]!)).toBe(true);
    }
  });

  it('routes small products to JS and large ones to onnxruntime under "auto" (same results)', async () => {
    configureLinalg({ backend: 'auto', onnxMinMacs: 1000 });
    const small = random(5, 5, 7);
    const large = random(64, 64, 8);
    expect(maxDiff(await gemmABt(small, small), gemmABtSync(small, small))).toBe(0);
    expect(maxDiff(await gemmABt(large, large), gemmABtSync(large, large))).toBeLessThan(1e-12);
  });

  it('handles empty operands on every backend', async () => {
    for (const backend of ['onnx', 'js', 'auto'] as const) {
      configureLinalg({ backend });
      expect((await gemmABt(random(0, 3, 1), random(4, 3, 1))).length).toBe(0);
      expect(Array.from(await gemmAB(random(2, 0, 1), random(0, 3, 1)))).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('rejects mismatched inner dimensions', async () => {
    await expect(gemmABt(random(2, 3, 1), random(2, 4, 1))).rejects.toThrow(/inner dimensions differ/);
    expect(() => gemmABSync(random(2, 3, 1), random(4, 2, 1))).toThrow(/inner dimensions differ/);
  });
});
