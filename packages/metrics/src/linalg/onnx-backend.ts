/**
 * onnxruntime as a float64 matrix-product engine. Its MatMul on doubles runs a tuned, threaded
 * kernel (~70 GFLOP/s on two cores here, against < 1 GFLOP/s for plain JS loops), so every
 * O(n³) GEMM-shaped step of the linear algebra goes through one of the tiny graphs below.
 *
 * Graphs are built at run time with our protobuf writer (symbolic dims, so one session serves
 * every shape), created once and cached. Inputs are zero-copy tensors over the caller's
 * Float64Arrays (subarrays included) and results land in caller-provided output buffers.
 * When the native runtime cannot be loaded the callers fall back to JS kernels.
 */
import { availableParallelism } from 'node:os';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { DataType, encodeModel, type NodeSpec } from '../onnx/proto.js';
import { internalError, usageError } from '../errors.js';
import { loadOrt as loadExtractorOrt } from '../extractors/ort.js';

type Ort = typeof import('onnxruntime-node');

/** Where the O(n³) products run: 'auto' picks onnxruntime for large products and JS for small. */
export type LinalgBackend = 'auto' | 'js' | 'onnx';

/** Process-wide settings of the matrix products (read with `linalgConfig`, changed with `configureLinalg`). */
export interface LinalgConfig {
  /** Intra-op threads of the onnxruntime sessions (default: GEN_EVAL_THREADS or all cores). */
  threads: number;
  /** 'js' never loads onnxruntime; 'onnx' uses it for every product it can. */
  backend: LinalgBackend;
  /** With 'auto', products of fewer multiply-adds (m·n·k) than this stay in JS (call overhead ~50 µs). */
  onnxMinMacs: number;
  /** Use the WebAssembly SIMD kernels (symmetric matrix–vector products); false = JS loops. */
  wasm: boolean;
}

function defaultThreads(): number {
  const env = Number(process.env.GEN_EVAL_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
}

function defaultBackend(): LinalgBackend {
  const env = process.env.GEN_EVAL_LINALG;
  return env === 'js' || env === 'onnx' ? env : 'auto';
}

const config: LinalgConfig = { threads: defaultThreads(), backend: defaultBackend(), onnxMinMacs: 1 << 18, wasm: process.env.GEN_EVAL_WASM !== '0' };

/** The current linear-algebra configuration (a copy). */
export function linalgConfig(): LinalgConfig {
  return { ...config };
}

/**
 * Changes how products run (threads, backend, size threshold). Changing the thread count drops
 * the cached sessions so that the next product uses the new setting.
 */
export function configureLinalg(update: Partial<LinalgConfig>): void {
  if (update.threads !== undefined) {
    if (!Number.isInteger(update.threads) || update.threads < 1) throw usageError(`threads must be a positive integer, got ${update.threads}`);
    if (update.threads !== config.threads) {
      for (const s of sessions.values()) void s.then((x) => x?.release()).catch(() => {});
      sessions.clear();
    }
    config.threads = update.threads;
  }
  if (update.backend !== undefined) config.backend = update.backend;
  if (update.onnxMinMacs !== undefined) config.onnxMinMacs = update.onnxMinMacs;
  if (update.wasm !== undefined) config.wasm = update.wasm;
}

let ortPromise: Promise<Ort | null> | undefined;

/** Loads onnxruntime-node once (as the extractors do); null when it is unavailable on this platform. */
function loadOrt(): Promise<Ort | null> {
  ortPromise ??= loadExtractorOrt().then(
    (m) => m,
    () => null,
  );
  return ortPromise;
}

/** The product kinds we build graphs for (a Transpose node feeds MatMul where needed). */
type GraphKind = 'ab' | 'abt' | 'atb';

const D = DataType.DOUBLE;

function graphFor(kind: GraphKind): Uint8Array {
  const nodes: NodeSpec[] = [];
  let left = 'a';
  let right = 'b';
  if (kind === 'atb') {
    nodes.push({ op: 'Transpose', inputs: ['a'], outputs: ['at'] });
    left = 'at';
  }
  if (kind === 'abt') {
    nodes.push({ op: 'Transpose', inputs: ['b'], outputs: ['bt'] });
    right = 'bt';
  }
  nodes.push({ op: 'MatMul', inputs: [left, right], outputs: ['y'] });
  const inputs = [
    { name: 'a', dataType: D, dims: ['a0', 'a1'] },
    { name: 'b', dataType: D, dims: ['b0', 'b1'] },
  ];
  return encodeModel({ nodes, initializers: [], inputs, outputs: [{ name: 'y', dataType: D, dims: ['y0', 'y1'] }], graphName: `gemm_${kind}` });
}

const sessions = new Map<GraphKind, Promise<InferenceSession | null>>();

async function session(kind: GraphKind): Promise<{ ort: Ort; session: InferenceSession } | null> {
  const ort = await loadOrt();
  if (ort === null) return null;
  let s = sessions.get(kind);
  if (s === undefined) {
    s = ort.InferenceSession.create(graphFor(kind), {
      intraOpNumThreads: config.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      logSeverityLevel: 3,
      // Idle pool threads must not spin: JS panel work runs between products on the same cores.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    }).catch(() => null);
    sessions.set(kind, s);
  }
  const resolved = await s;
  return resolved === null ? null : { ort, session: resolved };
}

/** Whether a product of m·n·k multiply-adds should run on onnxruntime under the current config. */
export function preferOnnx(macs: number): boolean {
  // Empty products stay in JS: onnxruntime rejects some zero-sized shapes.
  return macs > 0 && (config.backend === 'onnx' || (config.backend === 'auto' && macs >= config.onnxMinMacs));
}

/** A row-major float64 operand: `data` holds rows × cols values from offset 0 (subarrays are fine). */
export interface Operand {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Runs one product on onnxruntime into `out` (allocated when omitted):
 * 'ab' A·B, 'abt' A·Bᵀ, 'atb' Aᵀ·B. Returns null when onnxruntime is unavailable, so the caller
 * can fall back to JS.
 */
export async function onnxProduct(kind: GraphKind, a: Operand, b: Operand, out?: Float64Array): Promise<Float64Array | null> {
  const s = await session(kind);
  if (s === null) return null;
  const rows = kind === 'atb' ? a.cols : a.rows;
  const cols = kind === 'abt' ? b.rows : b.cols;
  const y = out ?? new Float64Array(rows * cols);
  if (y.length < rows * cols) throw internalError(`onnxProduct: output holds ${y.length} values, needs ${rows * cols}`);
  const t = (o: Operand): Tensor => new s.ort.Tensor('float64', o.data.subarray(0, o.rows * o.cols), [o.rows, o.cols]);
  const feeds: Record<string, Tensor> = { a: t(a), b: t(b) };
  const target = y.subarray(0, rows * cols);
  await s.session.run(feeds, { y: new s.ort.Tensor('float64', target, [rows, cols]) });
  return y;
}

/** Whether onnxruntime can be used at all (loads it on first call). */
export async function onnxAvailable(): Promise<boolean> {
  if (config.backend === 'js') return false;
  return (await session('ab')) !== null;
}
