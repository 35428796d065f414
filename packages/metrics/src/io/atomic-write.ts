import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { ioError, type GenEvalError } from '../errors.js';

/** What an fs error code means to a user, in a few words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a parent folder is a file',
  ENOENT: 'its folder does not exist',
  EEXIST: 'a parent folder is a file',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
};

/**
 * A failed write as a one-line user error naming `path` (code `io`, exit 2): a full disk or a
 * read-only folder is the user's to fix, not an internal error. The fs error stays as `cause`, so
 * callers (e.g. an optional cache) can still tell the cases apart by its errno `code`.
 */
export function writeError(path: string, err: unknown): GenEvalError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = code !== undefined && REASONS[code] !== undefined ? `${REASONS[code]} (${code})` : ((err as Error)?.message ?? String(err));
  return ioError(path, `cannot write: ${reason}`, err);
}

/**
 * The file a write to `path` lands in: symlinks followed (a dangling one is replaced). The native
 * realpath resolves `link/..` from the link's target, as the kernel's open would; Node's own
 * realpathSync drops such a `..` before following the link, and would name another file.
 */
function resolveTarget(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * Writes a file so that readers never see it half-written: the bytes go to a temporary file in
 * the same folder (same file system, so rename is atomic), which is renamed over the target.
 * Missing folders are created. A symlink is followed (its target is replaced, not the link), and
 * an existing special file (a device such as /dev/stdout, a FIFO) is written in place, since
 * renaming over it would replace the device itself. Any failure throws a one-line GenEvalError
 * naming `path` (see writeError), and no temporary file is left behind.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  writeFilesAtomic([{ path, data }]);
}

/** One file of {@link writeFilesAtomic}. */
export interface FileToWrite {
  readonly path: string;
  readonly data: Uint8Array | string;
}

interface Planned extends FileToWrite {
  readonly target: string;
  readonly special: boolean;
  /** The target existed before: a failed batch leaves it as it was instead of removing it. */
  readonly existed: boolean;
  tmp?: string;
}

function plan(f: FileToWrite): Planned {
  const target = resolveTarget(f.path);
  let special = false;
  let existed = false;
  try {
    const st = statSync(target);
    existed = true;
    special = !st.isFile() && !st.isDirectory();
  } catch {
    // Missing (the usual case) or unreadable: the writes below report what is wrong.
  }
  return { ...f, target, special, existed };
}

/**
 * Writes several files as one: all are written or none is (each as writeFileAtomic). Every
 * regular file first goes to its temporary file — the step that fails on a full disk; then the
 * special files (devices, FIFOs) are written in place, which cannot be undone, so they come only
 * once every temporary file exists; the renames come last (same folder, so they do not run out of
 * space). On any failure the temporary files are removed, and so is each file already renamed into
 * place that did not exist before, and the first error is thrown. A file that existed is then
 * already replaced: its old content is not kept.
 */
export function writeFilesAtomic(files: readonly FileToWrite[]): void {
  const planned = files.map(plan);
  const renamed: Planned[] = [];
  const undo = () => {
    for (const p of planned) if (p.tmp !== undefined) rmSync(p.tmp, { force: true });
    for (const p of renamed) if (!p.existed) rmSync(p.target, { force: true });
  };
  let current: Planned | undefined;
  try {
    for (const p of planned) {
      if (p.special) continue;
      current = p;
      const dir = dirname(p.target);
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${basename(p.target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      p.tmp = tmp;
      writeFileSync(tmp, p.data);
    }
    for (const p of planned) {
      if (!p.special) continue;
      current = p;
      writeFileSync(p.target, p.data);
    }
    for (const p of planned) {
      if (p.tmp === undefined) continue;
      current = p;
      renameSync(p.tmp, p.target);
      p.tmp = undefined;
      renamed.push(p);
    }
  } catch (err) {
    undo();
    throw writeError(current?.path ?? '', err);
  }
}
