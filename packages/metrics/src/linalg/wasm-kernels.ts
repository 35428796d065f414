/**
 * The WebAssembly SIMD kernels of kernels.wat (embedded by kernels-wasm.ts). Each workspace has
 * its own (shared) memory, so concurrent computations never share a heap. A workspace may own
 * one helper thread that computes half of each large symmetric matrix–vector product on the same
 * heap. Whether that pays depends on whether a second core is actually free (on a busy machine
 * the handshake only adds waiting), so the workspace times both ways on its first large products
 * and keeps the faster.
 */
import { Worker } from 'node:worker_threads';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';
import { linalgConfig } from './onnx-backend.js';

/** The part of the WebAssembly JS API we use (the project's TS lib has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

function kernelsModule(): object | null {
  if (compiled === undefined) {
    try {
      if (WA === undefined) throw new Error('no WebAssembly');
      compiled = new WA.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD / threads here: callers use their JS loops
    }
  }
  return compiled;
}

/**
 * A float64 heap and the kernels that work on it; all positions are indices into `heap`.
 * With WebAssembly the heap is the module's memory; otherwise a plain array with JS kernels.
 */
export interface KernelWorkspace {
  readonly heap: Float64Array;
  /**
   * heap[y .. y+n) = A·heap[x .. x+n), A symmetric with its lower triangle at heap[a], row stride
   * lda (the upper triangle is never read); null without WebAssembly.
   */
  readonly symvLower: ((a: number, lda: number, n: number, x: number, y: number) => void) | null;
  /** heap[out] = a·x, heap[out+1] = b·x over n values at heap[a], heap[b], heap[x]. */
  dot2(a: number, b: number, x: number, n: number, out: number): void;
  /** heap[y ..] −= alpha·heap[a ..] + beta·heap[b ..] over n values. */
  axpy2(y: number, a: number, b: number, alpha: number, beta: number, n: number): void;
  /** 'split' while large products are shared with the helper thread, else 'single'. */
  readonly symvMode: 'single' | 'split' | 'probing';
  /** Stops the helper thread, if any (the workspace stays usable, single-threaded). */
  close(): void;
}

export interface WorkspaceOptions {
  /**
   * Start a helper thread for symmetric products of order up to this (default 0: none). It is
   * only started when more than one thread is configured.
   */
  helperUpTo?: number;
  /** Skip the timing probe and always split (tests). */
  forceSplit?: boolean;
  /** Milliseconds to wait for the helper's half before doing it here (default 10 s; tests force 0). */
  helperTimeoutMs?: number;
}

type WasmExports = {
  symvRows: (a: number, lda: number, r0: number, r1: number, x: number, y: number) => void;
  dot2: (a: number, b: number, x: number, n: number, out: number) => void;
  axpy2: (y: number, a: number, b: number, alpha: number, beta: number, n: number) => void;
};

/** Largest heap we allocate: pointers are 32-bit byte addresses. */
const MAX_BYTES = 2 ** 31;
/** Products of lower order are never split: the thread handshake would cost more than it saves. */
const SPLIT_MIN_ORDER = 384;
/** Products of at least this order are timed both ways (three each) before choosing. */
const PROBE_MIN_ORDER = 768;
const PROBES = 6;
/** A helper that has not answered in this long is abandoned (its half is then done here). */
const HELPER_TIMEOUT_MS = 10_000;

/**
 * A fresh WebAssembly workspace of `doubles` float64 values, or null when WebAssembly is
 * disabled (configureLinalg({ wasm: false })), unsupported, or the size is beyond 2 GiB.
 */
export function wasmWorkspace(doubles: number, opts: WorkspaceOptions = {}): KernelWorkspace | null {
  if (!linalgConfig().wasm) return null;
  const mod = kernelsModule();
  const extra = Math.max(0, opts.helperUpTo ?? 0); // room for the helper's half-result
  const bytes = (doubles + extra) * 8;
  if (mod === null || WA === undefined || bytes > MAX_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
  const x = new WA.Instance(mod, { env: { memory } }).exports as WasmExports;
  const heap = new Float64Array(memory.buffer, 0, doubles + extra);
  let helper = extra >= SPLIT_MIN_ORDER && linalgConfig().threads >= 2 ? new SymvHelper(mod, memory, opts.helperTimeoutMs ?? HELPER_TIMEOUT_MS) : null;
  let mode: KernelWorkspace['symvMode'] = helper === null ? 'single' : opts.forceSplit ? 'split' : 'probing';
  const probes = { single: Infinity, split: Infinity, count: 0 };
  const y2 = doubles;

  const single = (a: number, lda: number, n: number, xs: number, y: number) => x.symvRows(a * 8, lda, 0, n, xs * 8, y * 8);
  const split = (h: SymvHelper, a: number, lda: number, n: number, xs: number, y: number) => {
    // Rows below s hold as many stored elements as rows from s on (row i has i + 1).
    const s = Math.floor(n / Math.SQRT2);
    h.start(a * 8, lda, s, n, xs * 8, y2 * 8);
    x.symvRows(a * 8, lda, 0, s, xs * 8, y * 8);
    if (h.finish()) {
      x.axpy2(y * 8, y2 * 8, y2 * 8, -1, 0, n); // y += y2
    } else {
      stopHelper();
      x.symvRows(a * 8, lda, s, n, xs * 8, y * 8);
    }
  };
  const stopHelper = () => {
    helper?.close();
    helper = null;
    mode = 'single';
  };
  const symvLower = (a: number, lda: number, n: number, xs: number, y: number): void => {
    heap.fill(0, y, y + n);
    const h = helper;
    if (h === null || mode === 'single' || n < SPLIT_MIN_ORDER || n > extra) return single(a, lda, n, xs, y);
    if (mode === 'split' || n < PROBE_MIN_ORDER) return split(h, a, lda, n, xs, y);
    // Probing: alternate the two ways on the first large products, time per stored element.
    const t = performance.now();
    const useSplit = probes.count % 2 === 1;
    if (useSplit) split(h, a, lda, n, xs, y);
    else single(a, lda, n, xs, y);
    const perElement = (performance.now() - t) / (n * n);
    if (useSplit) probes.split = Math.min(probes.split, perElement);
    else probes.single = Math.min(probes.single, perElement);
    if (++probes.count >= PROBES && helper !== null) {
      if (probes.split < 0.9 * probes.single) mode = 'split';
      else stopHelper();
    }
  };
  return {
    heap: heap.subarray(0, doubles),
    symvLower,
    dot2: (a, b, xs, n, out) => x.dot2(a * 8, b * 8, xs * 8, n, out * 8),
    axpy2: (y, a, b, alpha, beta, n) => x.axpy2(y * 8, a * 8, b * 8, alpha, beta, n),
    get symvMode() {
      return mode;
    },
    close: stopHelper,
  };
}

/** A workspace of `doubles` values: WebAssembly when available, else the same kernels in JS. */
export function kernelWorkspace(doubles: number, opts: WorkspaceOptions = {}): KernelWorkspace {
  const w = wasmWorkspace(doubles, opts);
  if (w !== null) return w;
  const heap = new Float64Array(doubles);
  return {
    heap,
    symvLower: null,
    dot2(a, b, x, n, out) {
      let sa = 0;
      let sb = 0;
      for (let i = 0; i < n; i++) {
        sa += heap[a + i]! * heap[x + i]!;
        sb += heap[b + i]! * heap[x + i]!;
      }
      heap[out] = sa;
      heap[out + 1] = sb;
    },
    axpy2(y, a, b, alpha, beta, n) {
      for (let i = 0; i < n; i++) heap[y + i]! -= heap[a + i]! * alpha + heap[b + i]! * beta;
    },
    symvMode: 'single',
    close() {},
  };
}

/**
 * The helper thread's program (CommonJS, evaluated): it instantiates the kernels on the shared
 * memory, then sleeps on ctrl[0] (job number); for each job it zeroes its half-result and adds
 * rows [r0, r1) of the product into it, then publishes the job number in ctrl[1].
 * ctrl: 0 job, 1 done, 2 a, 3 lda, 4 r0, 5 r1, 6 x, 7 y, 8 stop (addresses in bytes).
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const { symvRows } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(ctrl);
const heap = new Float64Array(memory.buffer);
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  const job = Atomics.load(c, 0);
  if (job === seen) continue;
  seen = job;
  if (Atomics.load(c, 8) === 1) break;
  const r1 = c[5], y = c[7];
  heap.fill(0, y / 8, y / 8 + r1);
  symvRows(c[2], c[3], c[4], r1, c[6], y);
  Atomics.store(c, 1, job);
  Atomics.notify(c, 1);
}
`;

/** One helper thread and its control block; the main thread blocks in Atomics.wait for it. */
class SymvHelper {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(16 * 4));
  private readonly worker: Worker;
  private job = 0;

  constructor(
    module: object,
    memory: { buffer: SharedArrayBuffer },
    private readonly timeoutMs: number,
  ) {
    this.worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, ctrl: this.ctrl.buffer } });
    this.worker.unref(); // never keeps the process alive
    this.worker.on('error', () => {}); // a failed helper shows up as a timeout in finish()
  }

  start(a: number, lda: number, r0: number, r1: number, x: number, y: number): void {
    const c = this.ctrl;
    c[2] = a;
    c[3] = lda;
    c[4] = r0;
    c[5] = r1;
    c[6] = x;
    c[7] = y;
    Atomics.store(c, 0, ++this.job);
    Atomics.notify(c, 0);
  }

  /** Waits for the current job; false if the helper did not finish in time. */
  finish(): boolean {
    const c = this.ctrl;
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(c, 1);
      if (done === this.job) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(c, 1, done, left);
    }
  }

  close(): void {
    Atomics.store(this.ctrl, 8, 1);
    Atomics.store(this.ctrl, 0, ++this.job);
    Atomics.notify(this.ctrl, 0);
    void this.worker.terminate();
  }
}
