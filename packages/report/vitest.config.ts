import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): a file waiting on a
    // spawned CLI run or running single-threaded code leaves the other core idle (docs/testing.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ['./vitest.setup.ts'],
    // Files share a worker's modules (vega and vega-lite cost more to import than most files' tests);
    // a test must leave no global state behind (docs/testing.md).
    isolate: false,
  },
});
