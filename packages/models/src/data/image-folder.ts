/**
 * A folder of images (PNG, JPEG, WebP, TIFF, BMP, PGM/PPM; searched recursively) as a training
 * set. Every image is decoded once, as Pillow's `Image.open(f).convert("RGB")` does (the metrics
 * package's decoder), resized to the model's square size with Pillow's BICUBIC on the float image
 * (the `clean` profile's resize; aspect ratio not kept), clipped to [0, 255] and rounded to bytes,
 * and kept in memory. One channel means Pillow's `convert("L")` luma, (19595·R + 38470·G +
 * 7471·B + 2¹⁵) >> 16, taken before the resize.
 *
 * Bounded: the images at the model's size must fit in {@link IMAGE_FOLDER_MAX_BYTES}; a larger
 * folder is refused up front (before decoding) with a one-line error. Class labels come from the
 * first-level subfolder names when every image lies in one and there are at least two.
 */
import { open, readFile } from 'node:fs/promises';
import { decodeImage, decodeImageFile, listImages, resizeBicubicPillow, type RgbImage } from '@gen-eval/metrics/images';
import { inputError } from '@gen-eval/metrics/errors';
import { fileDigest, imageDigestsSha256 } from '@gen-eval/metrics/extract';
import type { ImageSet } from './image-set.js';

/** The largest in-memory training set an image folder may make: 512 MiB of bytes at the model's size. */
export const IMAGE_FOLDER_MAX_BYTES = 512 * 1024 * 1024;

export interface ImageFolderOptions {
  /** Side of the square images the model sees (28, 32 or 64). */
  readonly imageSize: number;
  /** 1 or 3; default: 1 when every image is grey (R = G = B everywhere), else 3. */
  readonly channels?: number;
  /** Refuse folders whose images at the model's size exceed this many bytes (default IMAGE_FOLDER_MAX_BYTES). */
  readonly maxBytes?: number;
  /** Refuse, naming the file, any image not imageSize × imageSize instead of resizing it (paired folders keep their sizes). */
  readonly exactSize?: boolean;
}

export interface ImageFolder {
  /** The images at imageSize × imageSize × channels, in listing order (sorted by path). */
  readonly set: ImageSet;
  /** Subfolder names, label i ↦ classNames[i] (when the images carry labels). */
  readonly classNames?: readonly string[];
  /** SHA-256 of the listing: every image's relative path and the SHA-256 of its bytes (recorded in a run's config). */
  readonly sha256: string;
  /** What the loader did that the user should know (resizing), one line each. */
  readonly notes: readonly string[];
}

/** Reads, decodes and resizes every image under `dir`; see the module comment. */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions): Promise<ImageFolder> {
  const S = opts.imageSize;
  if (opts.channels !== undefined && opts.channels !== 1 && opts.channels !== 3) throw inputError(dir, `channels must be 1 or 3, got ${opts.channels}`);
  const listing = await listImages(dir);
  const bad = listing.files.find((f) => f.problem !== undefined);
  if (bad) throw inputError(bad.path, bad.problem!);
  const n = listing.files.length;
  const maxBytes = opts.maxBytes ?? IMAGE_FOLDER_MAX_BYTES;
  const need = n * S * S * (opts.channels ?? 3);
  if (need > maxBytes) {
    throw inputError(dir, `${n} images at ${S}×${S}×${opts.channels ?? 3} need ${mib(need)} in memory, above the limit of ${mib(maxBytes)}; train on a subset`);
  }
  // Decoded as 3 channels unless 1 was asked for; grey folders drop to 1 at the end.
  const C = opts.channels ?? 3;
  const pixels = new Uint8Array(n * S * S * C);
  const sizes = new Map<string, number>();
  // Each worker decodes and resizes one image at a time, so memory holds the result plus a few images.
  const done = await mapOrdered(listing.files, 4, async (f, i) => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(f.path);
    } catch (e) {
      throw inputError(f.path, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const image = await decodeImage(bytes, f.path);
    if (image.width !== S || image.height !== S) {
      if (opts.exactSize)
        throw inputError(f.path, `is ${image.width}×${image.height}; every image of ${dir} must be ${S}×${S} like the first (paired images are used at their own size)`);
      const key = `${image.width}×${image.height}`;
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    resizeInto(image, S, C, pixels, i * S * S * C);
    return { digest: fileDigest(bytes), grey: isGrey(image) };
  });
  // The metric commands' fingerprint of the same folder (a result's inputs[].sha256): one definition.
  const sha256 = imageDigestsSha256(listing.files.map((f, i) => ({ relPath: f.relPath, sha256: done[i]!.digest })));
  const allGrey = done.every((d) => d.grey);
  const classNames = subfolderClasses(listing.files.map((f) => f.relPath));
  const labels = classNames ? Int32Array.from(listing.files, (f) => classNames.indexOf(f.relPath.split('/')[0]!)) : undefined;
  const channels = opts.channels ?? (allGrey ? 1 : 3);
  const out = channels === C ? pixels : firstChannel(pixels, n * S * S, C);
  const notes: string[] = [];
  const resized = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (resized > 0) {
    const seen = [...sizes.keys()].sort().slice(0, 5).join(', ') + (sizes.size > 5 ? ', …' : '');
    notes.push(`${dir}: ${resized} of ${n} images are not ${S}×${S} (${seen}); resized to ${S}×${S} with Pillow bicubic, aspect ratio not kept`);
  }
  return {
    set: { n, height: S, width: S, channels, pixels: out, ...(labels ? { labels } : {}) },
    ...(classNames ? { classNames } : {}),
    sha256,
    notes,
  };
}

/**
 * How many of the images at `paths` have each size, keyed "W×H" (e.g. to tell the user that a
 * folder was resized for an extractor). Only headers are read where libvips knows the format;
 * other files (BMP) are decoded. A file that cannot be read or decoded is left out: whoever reads
 * the images reports it.
 */
export async function countImageSizes(paths: readonly string[]): Promise<Map<string, number>> {
  // Loaded on first use: the metric commands import this module, most never call this.
  const { default: sharp } = await import('sharp');
  const sizes = await mapOrdered(paths, 8, async (path) => {
    const png = await pngSize(path);
    if (png !== undefined) return png;
    try {
      const meta = await sharp(path, { failOn: 'none' }).metadata();
      if (meta.width !== undefined && meta.height !== undefined) return `${meta.width}×${meta.height}`;
    } catch {
      // not a format libvips reads: decoded below
    }
    try {
      const image = await decodeImageFile(path);
      return `${image.width}×${image.height}`;
    } catch {
      return undefined;
    }
  });
  const counts = new Map<string, number>();
  for (const k of sizes) if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "W×H" from a PNG's IHDR (its first 24 bytes: a few times cheaper than libvips' header read), or undefined. */
async function pngSize(path: string): Promise<string | undefined> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      head = Buffer.alloc(24);
      if ((await fh.read(head, 0, 24, 0)).bytesRead < 24) return undefined;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  if (PNG_SIGNATURE.some((b, i) => head[i] !== b) || head.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return `${head.readUInt32BE(16)}×${head.readUInt32BE(20)}`;
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(b < 1024 * 1024 ? 3 : 0)} MiB`;

function isGrey(image: RgbImage): boolean {
  const d = image.data;
  for (let j = 0; j < d.length; j += 3) if (d[j] !== d[j + 1] || d[j] !== d[j + 2]) return false;
  return true;
}

/** Resizes one decoded image into `dst` at `offset` as S×S×C bytes (C = 3: RGB; C = 1: Pillow's L). */
function resizeInto(image: RgbImage, S: number, C: number, dst: Uint8Array, offset: number): void {
  const { width: w, height: h, data } = image;
  const plane = new Float32Array(w * h);
  for (let c = 0; c < C; c++) {
    if (C === 1) {
      for (let j = 0, k = 0; j < plane.length; j++, k += 3) plane[j] = (data[k]! * 19595 + data[k + 1]! * 38470 + data[k + 2]! * 7471 + 0x8000) >> 16;
    } else {
      for (let j = 0, k = c; j < plane.length; j++, k += 3) plane[j] = data[k]!;
    }
    const out = w === S && h === S ? plane : resizeBicubicPillow(plane, h, w, S, S);
    for (let j = 0; j < S * S; j++) {
      const v = out[j]!;
      dst[offset + j * C + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
}

function firstChannel(pixels: Uint8Array, count: number, C: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let j = 0; j < count; j++) out[j] = pixels[j * C]!;
  return out;
}

/** Sorted first-level subfolder names when every image is in one and there are at least two. */
function subfolderClasses(relPaths: readonly string[]): string[] | undefined {
  const names: string[] = [];
  for (const p of relPaths) {
    const slash = p.indexOf('/');
    if (slash < 0) return undefined;
    const name = p.slice(0, slash);
    if (names[names.length - 1] !== name) names.push(name); // the listing is sorted by path
  }
  return names.length >= 2 ? names : undefined;
}

/** `fn` over `items` with at most `limit` calls in flight, results in order. */
async function mapOrdered<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
