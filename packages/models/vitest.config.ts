import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** Files that need a fresh TensorFlow.js (nothing registered yet); every other file shares a worker's modules. */
const FRESH_TF = ['src/tfjs/training-fixes-required.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): a file waiting on a
    // spawned CLI run or running single-threaded code leaves the other core idle (docs/testing.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ['./vitest.setup.ts'],
    projects: [
      // Importing TensorFlow.js and starting its wasm backend cost more than most files' tests, so
      // files share them (docs/testing.md); a test must leave no global state behind.
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FRESH_TF], isolate: false } },
      { extends: true, test: { name: 'fresh', include: FRESH_TF } },
    ],
  },
});
