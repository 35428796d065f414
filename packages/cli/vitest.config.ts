import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The longest files (each ~20–50 s on 2 cores, mostly training runs), longest first. Started first,
 * they overlap the many short files; a clean clone has no timings yet, and vitest would start them
 * by file size, leaving e.g. the short demo.test.ts to run alone at the end.
 */
const SLOW_FILES = ['demo', 'train', 'train-run-folder', 'images', 'cache', 'sample-images', 'train-images', 'train-numerics'].map((n) => `/test/${n}.test.ts`);

class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW_FILES.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOW_FILES.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): a file waiting on a
    // spawned CLI run or running single-threaded code leaves the other core idle (docs/testing.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFilesFirst },
  },
});
