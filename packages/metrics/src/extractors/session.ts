/**
 * onnxruntime-node sessions for feature extractors: intra-op threads, full graph optimisation,
 * CPU by default and CUDA when asked for (and present in the installed onnxruntime build).
 */
import type * as ort from 'onnxruntime-node';
import { DEFAULTS } from '../defaults.js';
import { GenEvalError, inputError, usageError } from '../errors.js';
import { loadOrt } from './ort.js';

/** onnxruntime execution provider: `'cpu'` or `'cuda'`. */
export type ExecutionProvider = 'cpu' | 'cuda';

/** onnxruntime session settings shared by every extractor: threads and execution provider. */
export interface OnnxSessionOptions {
  /** onnxruntime intra-op threads; default `DEFAULTS.extractorThreads`. */
  readonly threads?: number;
  /** 'cpu' (default) or 'cuda' (fails clearly when this onnxruntime build has no CUDA provider). */
  readonly executionProvider?: ExecutionProvider;
}

/** Checks the session options up front (before any slow work); returns the thread count. */
export function checkSessionOptions(options: OnnxSessionOptions): number {
  const threads = options.threads ?? DEFAULTS.extractorThreads;
  if (!Number.isInteger(threads) || threads < 1) throw new GenEvalError(`threads must be a positive integer, got ${threads}`);
  const ep = options.executionProvider ?? 'cpu';
  if (ep !== 'cpu' && ep !== 'cuda') throw new GenEvalError(`execution provider must be cpu or cuda, got ${String(ep)}`);
  return threads;
}

/** Creates an inference session from model bytes or a path; `label` names the model in errors. */
export async function createSession(model: Uint8Array | string, label: string, options: OnnxSessionOptions = {}): Promise<ort.InferenceSession> {
  const threads = checkSessionOptions(options);
  const ep = options.executionProvider ?? 'cpu';
  const opts: ort.InferenceSession.SessionOptions = {
    executionProviders: ep === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  };
  const { InferenceSession } = await loadOrt();
  try {
    return typeof model === 'string' ? await InferenceSession.create(model, opts) : await InferenceSession.create(model, opts);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? String(err);
    if (ep === 'cuda' && /cuda|provider|shared library/i.test(message)) {
      throw new GenEvalError(`the CUDA execution provider is not available in this onnxruntime-node install (${message}); use the CPU, or install the provider (README, "GPU")`);
    }
    throw inputError(label, `not a loadable ONNX model (${message})`);
  }
}

/** One named model output and its width per image. */
export interface OutputSpec {
  readonly name: string;
  readonly dim: number;
}

/**
 * Runs `session` over n images in chunks of at most `maxBatch` (bounded activation memory) and
 * concatenates each output into an n × dim array. `feed` builds the inputs of one chunk.
 */
export async function runInChunks(
  session: ort.InferenceSession,
  feed: (chunk: Float32Array, m: number) => Record<string, ort.Tensor>,
  batch: Float32Array,
  n: number,
  perImage: number,
  maxBatch: number,
  outputs: readonly OutputSpec[],
): Promise<Float32Array[]> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw usageError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const result = outputs.map((o) => new Float32Array(n * o.dim));
  for (let start = 0; start < n; start += maxBatch) {
    const m = Math.min(maxBatch, n - start);
    const got = await session.run(
      feed(batch.subarray(start * perImage, (start + m) * perImage), m),
      outputs.map((o) => o.name),
    );
    outputs.forEach((o, k) => {
      const t = got[o.name];
      const data = t?.data;
      if (!(data instanceof Float32Array) || data.length !== m * o.dim) {
        throw new GenEvalError(`model output "${o.name}" is not float32 with ${o.dim} values per image (got ${t?.type ?? 'nothing'}, dims [${t?.dims.join(', ') ?? ''}])`);
      }
      result[k]!.set(data, start * o.dim);
    });
  }
  return result;
}

/** An idempotent `dispose` for a session (a second call does nothing). */
export function releaseOnce(session: ort.InferenceSession): () => Promise<void> {
  let released: Promise<void> | null = null;
  return () => (released ??= session.release());
}
