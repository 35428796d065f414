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

/** The file a write to `path` lands in: symlinks followed (a dangling one is replaced). */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path);
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
  const target = resolveTarget(path);
  let special = false;
  try {
    const st = statSync(target);
    special = !st.isFile() && !st.isDirectory();
  } catch {
    // Missing (the usual case) or unreadable: the writes below report what is wrong.
  }
  if (special) {
    try {
      writeFileSync(target, data);
    } catch (err) {
      throw writeError(path, err);
    }
    return;
  }
  const dir = dirname(target);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw writeError(path, err);
  }
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeError(path, err);
  }
}
