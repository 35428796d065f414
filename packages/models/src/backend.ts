/**
 * Picks the fastest TensorFlow.js backend this install can run, in the order
 * node-gpu → node → wasm → cpu. tfjs-node and tfjs-node-gpu are optional dependencies: their
 * install script downloads libtensorflow, which fails offline, and npm then skips them, so the
 * choice has to happen at run time rather than at install time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unsupportedError } from '@gen-eval/metrics/errors';

import { BACKEND_ORDER, type BackendChoice } from './backend-choices.js';

export { BACKEND_ORDER, type BackendChoice };

export interface SelectedBackend {
  /** The tfjs namespace, with the chosen backend active. */
  readonly tf: typeof tf;
  /** Which of our choices won. */
  readonly choice: BackendChoice;
  /** tfjs's own backend name (`tensorflow`, `wasm`, `cpu`). */
  readonly backend: string;
  /** Why each earlier choice was passed over. */
  readonly skipped: readonly { choice: BackendChoice; reason: string }[];
}

const require = createRequire(import.meta.url);

/** Throws unless `pkg` is installed with its native addon (lib/napi-v*\/tfjs_binding.node). */
function checkNativeAddon(pkg: string): void {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  const lib = join(dir, 'lib');
  const found = existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  if (!found) throw new Error(`${pkg} is installed without its native addon (its install script did not download libtensorflow)`);
}

async function tryActivate(choice: BackendChoice): Promise<string> {
  switch (choice) {
    case 'node-gpu':
    case 'node': {
      const pkg = choice === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      // tfjs-node registers its kernels before it looks for its native addon, so importing a copy
      // whose install script never fetched the addon would fill stderr with "already registered"
      // lines and then fail anyway: look for the addon first.
      checkNativeAddon(pkg);
      // Importing tfjs-node registers the native `tensorflow` backend with the shared tfjs core.
      await import(pkg);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend failed to initialise');
      return 'tensorflow';
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm binaries are read from the package's dist folder on disk (no fetch).
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${join(dist)}/`);
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
      return 'wasm';
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
      // The cpu backend's first tensor prints a banner urging tfjs-node; here cpu was chosen (or is
      // all there is) and the backend is in config.json. tfjs's PROD flag mutes it, for that tensor only.
      const prod = tf.env().getBool('PROD');
      tf.env().set('PROD', true);
      tf.tensor(0).dispose();
      tf.env().set('PROD', prod);
      return 'cpu';
    }
  }
}

/**
 * Activates the first backend of `order` that loads, and says why the others were skipped.
 * @param order backends to try, best first (default node-gpu → node → wasm → cpu).
 */
export async function selectBackend(order: readonly BackendChoice[] = BACKEND_ORDER): Promise<SelectedBackend> {
  const skipped: { choice: BackendChoice; reason: string }[] = [];
  for (const choice of order) {
    try {
      const backend = await tryActivate(choice);
      await tf.ready();
      return { tf, choice, backend, skipped };
    } catch (err) {
      skipped.push({ choice, reason: ((err as Error).message ?? String(err)).split('\n')[0]! });
    }
  }
  throw unsupportedError(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.choice} (${s.reason})`).join('; ')}`);
}
