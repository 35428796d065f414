import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** Files that mock modules or globals: each gets a fresh module registry; every other file shares a worker's modules. */
const FRESH = ['src/pipeline/e2e-inception.test.ts', 'src/pipeline/progress.test.ts', 'src/api/evaluate-sets.test.ts', 'src/prdc.test.ts', 'src/io/atomic-write.test.ts'];

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
      // Re-importing the package's modules (onnxruntime, sharp, tfjs for MobileNet) in every file cost
      // more than many files' tests, so files share them (docs/testing.md).
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FRESH], isolate: false } },
      { extends: true, test: { name: 'fresh', include: FRESH } },
    ],
  },
});
