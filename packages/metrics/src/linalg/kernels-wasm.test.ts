import { afterEach, describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { assembleWatBase64 } from '../wasm-assemble.test-helper.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';
import { configureLinalg, linalgConfig } from './onnx-backend.js';
import { kernelWorkspace, wasmWorkspace } from './wasm-kernels.js';

const initial = linalgConfig();
afterEach(() => configureLinalg(initial));

describe('WebAssembly kernels', () => {
  it('the embedded module is kernels.wat assembled (run `npm run build:wasm` after editing the .wat)', async () => {
    expect(await assembleWatBase64(new URL('./kernels.wat', import.meta.url))).toBe(KERNELS_WASM_BASE64);
  });

  it('symvLower equals A·x from the lower triangle only (upper filled with NaN), any size and stride', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 64]) {
      const lda = n + (n % 3);
      const ws = wasmWorkspace(lda * Math.max(n, 1) + 2 * n + 8);
      if (ws === null) throw new Error('WebAssembly kernels unavailable');
      const rs = new RandomState(n);
      const full = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          const v = rs.normal();
          full[i * n + j] = v;
          full[j * n + i] = v;
        }
      const { heap } = ws;
      heap.fill(Number.NaN);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) heap[i * lda + j] = full[i * n + j]!;
      const xAt = lda * Math.max(n, 1) + 1; // odd offsets: unaligned SIMD loads are fine
      const yAt = xAt + n + 3;
      const x = rs.normals(n);
      heap.set(x, xAt);
      ws.symvLower!(0, lda, n, xAt, yAt);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += full[i * n + j]! * x[j]!;
        expect(Math.abs(heap[yAt + i]! - s)).toBeLessThan(1e-13 * (1 + Math.abs(s)));
      }
      expect(Number.isNaN(heap[yAt + n]!)).toBe(true); // nothing written past y
    }
  });

  it('dot2 and axpy2 equal their JS fallbacks (odd offsets and lengths)', () => {
    const wasm = wasmWorkspace(256);
    configureLinalg({ wasm: false });
    const js = kernelWorkspace(256);
    expect(js.symvLower).toBeNull();
    if (wasm === null) throw new Error('WebAssembly kernels unavailable');
    const data = new RandomState(9).normals(256);
    for (const n of [0, 1, 2, 3, 17, 40]) {
      for (const ws of [wasm, js]) ws.heap.set(data);
      for (const ws of [wasm, js]) {
        ws.dot2(1, 51, 101, n, 250);
        ws.axpy2(151, 3, 53, 0.75, -1.5, n);
      }
      const [a, b] = [wasm.heap, js.heap];
      expect(Math.abs(a[250]! - b[250]!)).toBeLessThan(1e-13);
      expect(Math.abs(a[251]! - b[251]!)).toBeLessThan(1e-13);
      let ref = 0;
      for (let i = 0; i < n; i++) ref += data[1 + i]! * data[101 + i]!;
      expect(Math.abs(a[250]! - ref)).toBeLessThan(1e-13);
      for (let i = 0; i < n; i++) expect(Math.abs(a[151 + i]! - (data[151 + i]! - 0.75 * data[3 + i]! + 1.5 * data[53 + i]!))).toBeLessThan(1e-14);
      expect(a[151 + n]).toBe(data[151 + n]); // nothing written past the end
    }
  });

  it('symvLower split with the helper thread equals the single-thread product', () => {
    configureLinalg({ threads: 2 });
    const n = 1000;
    const split = wasmWorkspace(n * n + 2 * n, { helperUpTo: n, forceSplit: true });
    const one = wasmWorkspace(n * n + 2 * n);
    if (split === null || one === null) throw new Error('WebAssembly kernels unavailable');
    try {
      expect(split.symvMode).toBe('split');
      expect(one.symvMode).toBe('single');
      const data = new RandomState(4).normals(n * n + n);
      for (const ws of [split, one]) ws.heap.set(data);
      for (const order of [n, 700, 384, 100]) {
        split.symvLower!(0, n, order, n * n, n * n + n);
        one.symvLower!(0, n, order, n * n, n * n + n);
        for (let i = 0; i < order; i++) expect(Math.abs(split.heap[n * n + n + i]! - one.heap[n * n + n + i]!)).toBeLessThan(1e-12);
      }
    } finally {
      split.close();
    }
    expect(split.symvMode).toBe('single');
  });

  it('a helper abandoned mid-product (timed out) never reaches a result: every product equals the single-thread one', () => {
    configureLinalg({ threads: 2 });
    const n = 2500;
    const doubles = n * n + 2 * n;
    // Timeout 0: a split gives up on the helper unless it is already done, typically while it is
    // still computing its half (~3 ms), which it then goes on writing into the shared heap while
    // this thread does that half and the next products.
    const abandoned = wasmWorkspace(doubles, { helperUpTo: n, forceSplit: true, helperTimeoutMs: 0 });
    const one = wasmWorkspace(doubles);
    if (abandoned === null || one === null) throw new Error('WebAssembly kernels unavailable');
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // the helper thread starts and waits for work
      const rs = new RandomState(6);
      const data = rs.normals(n * n);
      for (const ws of [abandoned, one]) ws.heap.set(data);
      for (let k = 0; k < 8; k++) {
        const x = rs.normals(n);
        for (const ws of [abandoned, one]) {
          ws.heap.set(x, n * n);
          ws.symvLower!(0, n, n, n * n, n * n + n);
        }
        for (let i = 0; i < n; i++) {
          const got: number = abandoned.heap[n * n + n + i]!;
          const want: number = one.heap[n * n + n + i]!;
          if (Math.abs(got - want) > 1e-12 * (1 + Math.abs(want))) expect.fail(`product ${k}, row ${i}: ${got} vs ${want}`);
        }
      }
      expect(abandoned.symvMode).toBe('single');
    } finally {
      abandoned.close();
    }
  });

  it('probes both ways on large products, then settles on one', () => {
    configureLinalg({ threads: 2 });
    const n = 800;
    const ws = wasmWorkspace(n * n + 2 * n, { helperUpTo: n });
    if (ws === null) throw new Error('WebAssembly kernels unavailable');
    try {
      expect(ws.symvMode).toBe('probing');
      ws.heap.set(new RandomState(5).normals(n * n + n));
      for (let i = 0; i < 6; i++) ws.symvLower!(0, n, n, n * n, n * n + n);
      expect(['single', 'split']).toContain(ws.symvMode);
    } finally {
      ws.close();
    }
  });

  it('is disabled by configureLinalg({ wasm: false })', () => {
    configureLinalg({ wasm: false });
    expect(wasmWorkspace(16)).toBeNull();
  });
});
