/**
 * Recursive image-folder listing: which files an evaluation reads, in a deterministic order,
 * with the size and mtime the feature cache keys on.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { inputError } from '../errors.js';

/** Extensions read as images, compared lower-cased (pytorch-fid's IMAGE_EXTENSIONS). */
export const IMAGE_EXTENSIONS: readonly string[] = ['bmp', 'jpg', 'jpeg', 'png', 'pgm', 'ppm', 'tif', 'tiff', 'webp'];

/** One image file of a listing. */
export interface ImageFileEntry {
  /** Absolute or caller-relative path (the folder argument joined with `relPath`). */
  readonly path: string;
  /** Path relative to the listed folder, `/`-separated on every platform. */
  readonly relPath: string;
  /** File size in bytes. */
  readonly size: number;
  /** Last modification time in ms since the epoch (fs.Stats.mtimeMs). */
  readonly mtimeMs: number;
  /**
   * Set when the entry has an image name but is not a readable regular file (a dangling symbolic
   * link, a FIFO, a socket, a device): it is a bad image (an error, or skipped with --skip-bad),
   * as pytorch-fid, which globs *.png/*.jpg…, fails on opening it. It is never opened (a FIFO
   * would block forever).
   */
  readonly problem?: string;
}

/** The result of {@link listImages}. */
export interface ImageListing {
  readonly root: string;
  /** Image files sorted by relative path, folder component by folder component, by code point. */
  readonly files: readonly ImageFileEntry[];
  /**
   * Files skipped because their extension is not an image extension (hidden files included), and
   * entries without an image name that are no regular file (dangling links, FIFOs, sockets, devices).
   */
  readonly ignored: number;
}

/** True when the file name ends in one of {@link IMAGE_EXTENSIONS}, in any letter case. */
export function isImageFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}

/**
 * Code-point order of two `/`-separated relative paths, compared component by component — the
 * order of Python's `sorted()` on pathlib paths, so `a/b.png` < `a-c.png` (a folder sorts by its
 * name, not by the `/` after it). Independent of locale and platform.
 */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareCodePoints(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  // Iterating a string yields code points, so astral characters compare as Python compares them.
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * Lists the images under `dir`, recursively. Hidden entries (names starting with `.`) are
 * skipped like `glob` does — a hidden file counts as ignored, a hidden folder (.git, .cache)
 * is not entered. Symbolic links are followed; a folder reached twice (a link cycle, or a link to
 * a folder already listed) is listed once, under the path that sorts first.
 *
 * An entry with an image name that is a dangling link or no regular file (FIFO, socket, device) is
 * listed with a `problem` (see {@link ImageFileEntry.problem}); without an image name it counts as
 * ignored.
 *
 * Errors (one line, naming the path, exit code 2): the path does not exist, is not a folder,
 * cannot be read, contains no files at all, or contains files but no images.
 */
export async function listImages(dir: string): Promise<ImageListing> {
  const top = await statOrFail(dir, dir);
  if (!top.isDirectory()) throw inputError(dir, 'not a folder (expected a folder of images)');
  const files: ImageFileEntry[] = [];
  const counts = { ignored: 0 };
  await walk(dir, dir, new Set([await realpath(dir)]), files, counts);
  if (files.length === 0) {
    throw inputError(
      dir,
      counts.ignored === 0
        ? 'empty folder (no files found)'
        : `no images found (${counts.ignored} other file${counts.ignored === 1 ? '' : 's'} ignored; ` + `extensions read: ${IMAGE_EXTENSIONS.join(', ')})`,
    );
  }
  files.sort((a, b) => comparePaths(a.relPath, b.relPath));
  return { root: dir, files, ignored: counts.ignored };
}

async function statOrFail(path: string, what: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (e) {
    throw inputError(what, describeFsError(e));
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return `cannot read (${code ?? (e as Error).message})`;
}

async function walk(root: string, dir: string, seen: Set<string>, files: ImageFileEntry[], counts: { ignored: number }): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw inputError(dir, describeFsError(e));
  }
  // Sorted, so that which of two links to one folder gets listed does not depend on readdir order.
  entries.sort((a, b) => comparePaths(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const hidden = entry.name.startsWith('.');
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let st: Stats | undefined;
    let problem: string | undefined;
    // Links are followed; so are entries whose type readdir could not tell (some file systems).
    if (entry.isSymbolicLink() || !(isDir || isFile || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())) {
      try {
        st = await stat(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problem = code === 'ENOENT' ? 'dangling symbolic link (its target does not exist)' : `unreadable symbolic link (${describeFsError(e)})`;
        isDir = false;
      }
    }
    if (isDir) {
      if (hidden) continue;
      const real = await realpath(path);
      if (seen.has(real)) continue; // symlink cycle or a second link to the same folder
      seen.add(real);
      await walk(root, path, seen, files, counts);
      continue;
    }
    if (hidden || !isImageFileName(entry.name)) {
      counts.ignored++; // not an image by name, whatever it is
      continue;
    }
    // stat/lstat only: a FIFO is never opened (reading one blocks until a writer comes).
    if (!isFile && problem === undefined) {
      const kind = st ?? (await lstat(path));
      problem = `not a regular file (${kind.isFIFO() ? 'a FIFO' : kind.isSocket() ? 'a socket' : kind.isCharacterDevice() || kind.isBlockDevice() ? 'a device' : 'an unknown kind of entry'})`;
    }
    if (problem !== undefined) {
      const l = await lstat(path);
      files.push({ path, relPath: relative(root, path).split(sep).join('/'), size: l.size, mtimeMs: l.mtimeMs, problem });
      continue;
    }
    st ??= await statOrFail(path, path);
    files.push({ path, relPath: relative(root, path).split(sep).join('/'), size: st.size, mtimeMs: st.mtimeMs });
  }
}
