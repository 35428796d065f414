/**
 * Decoding and resizing of image files, in worker threads (`workers ≥ 1`) or in this thread
 * (`workers = 0`; sharp still decodes on libuv's pool). Each call returns one image's network
 * input as float32 CHW; results never depend on the number of workers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GenEvalError, internalError, type ErrorCode } from '../errors.js';
import { decodeImageFile } from '../image/decode.js';
import { preprocess, type PreprocessProfile } from '../image/profiles.js';

export interface DecodePool {
  /** Decodes and preprocesses one file; bad images reject with a GenEvalError naming the file. */
  load(path: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * The compiled worker script. When this module runs from TypeScript sources (tests), the worker
 * comes from the package's build output, since worker threads cannot load .ts files on Node 20.
 */
function workerScript(): URL {
  for (const rel of ['./decode-worker.js', '../../dist/pipeline/decode-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw internalError('decode worker script not found; build @gen-eval/metrics first (npm run build)');
}

interface Pending {
  resolve: (v: Float32Array) => void;
  reject: (e: Error) => void;
}

/** Creates a pool of `workers` threads (0 = decode in this thread). */
export function createDecodePool(profile: PreprocessProfile, workers: number): DecodePool {
  if (workers <= 0) {
    return {
      async load(path) {
        return preprocess(await decodeImageFile(path), profile);
      },
      async close() {},
    };
  }
  const script = workerScript();
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let turn = 0;
  let failure: Error | undefined;
  const threads = Array.from({ length: workers }, () => {
    const w = new Worker(script, { workerData: { profile } });
    w.on('message', (msg: { id: number; data?: Float32Array; error?: string; bad?: boolean; code?: ErrorCode; path?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.data) p.resolve(msg.data);
      else p.reject(msg.bad ? new GenEvalError(msg.error ?? 'cannot decode image', { code: msg.code, path: msg.path }) : new Error(msg.error));
    });
    w.on('error', (err) => {
      failure = err;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    return w;
  });
  return {
    load(path) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const w = threads[turn++ % threads.length]!;
      return new Promise<Float32Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, path });
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
