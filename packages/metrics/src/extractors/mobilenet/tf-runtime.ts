/**
 * Loads TensorFlow.js on demand for the mobilenet extractor. Nothing here is imported at module
 * load: `import { fid } from '@gen-eval/metrics'` must not pay for (or print from) tfjs unless a
 * MobileNet is actually run. The backend is wasm (tfjs-backend-wasm, SIMD, its .wasm read from
 * disk) when it starts, else tfjs's pure-JS cpu backend; a backend another part of the process
 * already chose (e.g. the models package's training backend) is kept, since tfjs has one global
 * engine and switching it under a running trainer would move its tensors.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { internalError } from '../../errors.js';

type TfCore = typeof import('@tensorflow/tfjs-core');

export interface TfRuntime {
  readonly tf: TfCore;
  /** tfjs's name of the active backend (`wasm`, `cpu`, or whatever the process had chosen). */
  readonly backend: string;
}

const require = createRequire(import.meta.url);
let runtime: Promise<TfRuntime> | undefined;

async function start(): Promise<TfRuntime> {
  const tf = await import('@tensorflow/tfjs-core');
  // tfjs logs through console.warn (e.g. the cpu backend's "install tfjs-node" banner); library
  // code must not write to stderr, and PROD mode silences those logs.
  tf.env().set('PROD', true);
  if (tf.engine().backendName) return { tf, backend: tf.getBackend() };
  await import('@tensorflow/tfjs-backend-cpu');
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the backend reads its .wasm binaries from this folder on disk (no fetch).
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dist}/`);
    if (await tf.setBackend('wasm')) return { tf, backend: 'wasm' };
  } catch {
    // no usable wasm backend: the cpu one below always starts
  }
  if (!(await tf.setBackend('cpu'))) throw internalError('the TensorFlow.js cpu backend failed to start');
  return { tf, backend: 'cpu' };
}

/** The shared tfjs runtime, started on first use. */
export function tfRuntime(): Promise<TfRuntime> {
  runtime ??= start().catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}
