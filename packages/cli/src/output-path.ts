/**
 * Output paths, checked before a command does any work, so that a typo or an unwritable folder
 * fails at once (exit 2, one line naming the path) rather than after a long feature pass.
 *
 * The rule: a FILE output (stats -o, fid --save-stats, sample -o, report -o/--csv/--csv-rows,
 * --junit) must go into an existing, writable folder, as with numpy's savez and pytorch-fid's
 * --save-stats; a mistyped folder is an error, not silently created. A run DIRECTORY
 * (train --out) is created with its missing parents, like `mkdir -p`, since runs/ is made on
 * first use. Errors while writing (a full disk) are reported by writeFileAtomic the same way.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of `abs` (itself included); throws when one in the way is a file. */
function existingFolder(shown: string, abs: string): string {
  let dir = abs;
  for (;;) {
    const st = statOrNull(dir);
    if (st !== null) {
      if (!st.isDirectory()) throw inputError(shown, `cannot write: ${dir} is a file, not a folder`);
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

function checkWritable(shown: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    throw inputError(shown, `cannot write: the folder ${dir} ${why}${code ? ` (${code})` : ''}`);
  }
}

/**
 * Checks a file the command will write: not a folder, in an existing writable folder. An existing
 * device or FIFO (/dev/stdout) is fine: it is written in place.
 */
export function checkOutputFile(path: string): void {
  const abs = resolve(path);
  const st = statOrNull(abs);
  if (st?.isDirectory()) throw inputError(path, 'cannot write: it is a folder, expected a file name');
  if (st !== null && !st.isFile()) return;
  const dir = dirname(abs);
  const found = existingFolder(path, dir);
  if (found !== dir) throw inputError(path, `cannot write: the folder ${dirname(path)} does not exist`);
  checkWritable(path, dir);
}

/** Checks a folder the command will create (with its parents) or fill: nothing in the way is a file, and it can be written. */
export function checkOutputDir(path: string): void {
  const abs = resolve(path);
  const st = statOrNull(abs);
  if (st !== null && !st.isDirectory()) throw inputError(path, 'cannot write: it is a file, expected a folder');
  checkWritable(path, existingFolder(path, abs));
}
