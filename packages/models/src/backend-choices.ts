/**
 * The backends training can run on, apart from the code that loads them (backend.ts imports
 * TensorFlow.js): the command line lists them without loading it.
 */

/** A TensorFlow.js backend training can run on. */
export type BackendChoice = 'node-gpu' | 'node' | 'wasm' | 'cpu';

/** The default order of preference. */
export const BACKEND_ORDER: readonly BackendChoice[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** What `--backend` takes: `auto` (the first of {@link BACKEND_ORDER} that loads) or one backend. */
export const BACKEND_REQUESTS: readonly ('auto' | BackendChoice)[] = ['auto', ...BACKEND_ORDER];
