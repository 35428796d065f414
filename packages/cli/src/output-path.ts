/**
 * Output paths, checked before a command does any work, so that a typo or an unwritable folder
 * fails at once (exit 2, one line naming the path) rather than after a long feature pass.
 *
 * The rule: a FILE output (stats -o, fid --save-stats, sample -o, report -o/--csv/--csv-rows,
 * --junit) must go into an existing, writable folder, as with numpy's savez and pytorch-fid's
 * --save-stats; a mistyped folder is an error, not silently created. A run DIRECTORY
 * (train --out) is created with its missing parents, like `mkdir -p`, since runs/ is made on
 * first use. Errors while writing (a full disk) are reported by writeFileAtomic the same way.
 *
 * No output may replace an input or lie inside an input folder, and no two outputs of one command
 * may be one file (checkOutputs): paths are compared as the file system resolves them.
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
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

/**
 * The path the file system means by `path`, symlinks and `..` resolved as the kernel does (so a
 * `..` after a symlinked folder goes up from its target): the real path of the nearest existing
 * ancestor, followed by the components that do not exist yet. A dangling symlink stands for
 * itself, as writeFileAtomic replaces such a link.
 */
export function realOutputPath(path: string): string {
  // Not path.resolve: it would drop `dir/..` lexically, before the symlink `dir` is followed.
  let head = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync.native(head), ...rest.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(path);
      rest.push(basename(head));
      head = up;
    }
  }
}

/** A file or folder a command writes, and the option that names it (for messages). */
export interface OutputSpec {
  readonly path: string;
  /** How the command line names it: `-o`, `--csv`, … */
  readonly option: string;
  /** `file` (default): written whole; `dir`: a folder created or filled (sample's PNG folder). */
  readonly kind?: 'file' | 'dir';
}

/** An existing device, FIFO or socket (symlinks followed): written in place, never replaced. */
export function isSpecial(path: string): boolean {
  const st = statOrNull(path);
  return st !== null && !st.isFile() && !st.isDirectory();
}

const inside = (child: string, folder: string) => child.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/**
 * Checks every output of a command before it does any work (exit 2, one line naming the output):
 * each can be written (checkOutputFile / checkOutputDir), none is one of `inputs` or lies inside
 * an input folder (a run, an image folder: writing there would change the input, and an image
 * folder's cache key), and no two outputs are the same file. Paths are compared by realOutputPath,
 * so `x`, `./x`, `d/../x` and a symlink to x are one file.
 *
 * Devices, FIFOs and sockets (/dev/stdout, /dev/null, a pipe) are exempt on both sides: they are
 * written in place, so two outputs to /dev/stdout simply follow each other, and a terminal that is
 * both stdin and stdout is no file to overwrite. A hard link to an input is not refused either:
 * writing replaces the link's name (rename), so the input keeps its content.
 */
export function checkOutputs(spec: { readonly inputs: readonly (string | undefined)[]; readonly outputs: readonly OutputSpec[] }): void {
  const inputs = spec.inputs
    .filter((p): p is string => p !== undefined && !isSpecial(p))
    .map((p) => ({ shown: p, real: realOutputPath(p), dir: statOrNull(p)?.isDirectory() === true }));
  const seen: { option: string; real: string }[] = [];
  for (const out of spec.outputs) {
    if (out.kind === 'dir') checkOutputDir(out.path);
    else checkOutputFile(out.path);
    if (isSpecial(out.path)) continue;
    const real = realOutputPath(out.path);
    for (const input of inputs) {
      if (real === input.real) throw inputError(out.path, `cannot write: ${out.option} would replace the input ${input.shown}; write it elsewhere`);
      if (input.dir && inside(real, input.real)) {
        throw inputError(out.path, `cannot write: ${out.option} lies inside the input folder ${input.shown}, which must not change; write it elsewhere`);
      }
    }
    const twin = seen.find((s) => s.real === real);
    if (twin !== undefined) throw inputError(out.path, `cannot write: ${twin.option} and ${out.option} name the same file; give each its own`);
    seen.push({ option: out.option, real });
  }
}
