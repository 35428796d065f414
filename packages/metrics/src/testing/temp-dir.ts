/**
 * Temporary folders for tests that are removed when the tests that use them end, so that runs of
 * the suite do not pile folders up in the system temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A new folder `<tmp>/<prefix>XXXXXX`, removed when the current test ends if called inside a test,
 * else after the calling file's tests. Call it at the top level of a file, in a `describe` body or
 * in a test — not in a `beforeAll`, where vitest ignores the `afterAll` that would remove it (as
 * it does inside a test, hence `onTestFinished` there).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Inside a test onTestFinished registers; elsewhere it throws, and afterAll does. (expect's state
  // cannot tell the two apart: in a worker shared by several files it keeps the last test's name.)
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove);
  }
  return dir;
}
