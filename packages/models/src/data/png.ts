/**
 * Generated images to PNG files: one file per sample (a folder `gen-eval fid` reads) and a grid of
 * samples (the run's `samples/` picture). Input is an NHWC float32 batch in [−1, 1]; a value v
 * becomes the byte round((v + 1)·127.5) clipped to 0…255 (NaN ↦ 0). One channel is written as an
 * 8-bit grey PNG, three as RGB. Every file is written whole to a temporary name and renamed into
 * place (writeFileAtomic), so an interrupted write never leaves a half-written PNG.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@gen-eval/metrics';
import sharp from 'sharp';
import type { ImageShape } from './image-set.js';
import { badInputError, usageError } from '@gen-eval/metrics/errors';

/** Bytes of `count` values of `x` from `offset`: round((v + 1)·127.5) clipped to 0…255, NaN ↦ 0. */
export function toBytes(x: Float32Array, offset = 0, count = x.length - offset): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = Math.round((x[offset + i]! + 1) * 127.5);
    out[i] = v > 255 ? 255 : v > 0 ? v : 0; // NaN fails both tests: 0
  }
  return out;
}

function checkBatch(x: Float32Array, shape: ImageShape): number {
  const { height: h, width: w, channels: c } = shape;
  if (c !== 1 && c !== 3) throw usageError(`PNG samples need 1 or 3 channels, got ${c}`);
  const per = h * w * c;
  if (per === 0 || x.length % per !== 0) throw badInputError(`batch of ${x.length} values is not a whole number of ${h}×${w}×${c} images`);
  return x.length / per;
}

/** PNG bytes of HWC pixels (1 channel: grey; 3: RGB). */
export async function encodePng(pixels: Uint8Array, shape: ImageShape): Promise<Uint8Array> {
  const { height, width, channels } = shape;
  if (channels !== 1 && channels !== 3) throw usageError(`PNG needs 1 or 3 channels, got ${channels}`);
  if (pixels.length !== height * width * channels) throw badInputError(`expected ${height}×${width}×${channels} bytes, got ${pixels.length}`);
  let img = sharp(pixels, { raw: { width, height, channels } });
  // libvips would otherwise store one channel as RGB.
  if (channels === 1) img = img.toColourspace('b-w');
  const buf = await img.png({ compressionLevel: 6 }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The file name of sample i of n: zero-padded to at least 6 digits, so names sort in sample order. */
export function sampleFileName(i: number, n: number): string {
  return `${String(i).padStart(Math.max(6, String(Math.max(n - 1, 0)).length), '0')}.png`;
}

/**
 * Writes every sample of the NHWC batch `x` to `dir/000000.png`, `000001.png`, … (the folder is
 * created); returns the paths in sample order. Write failures are one-line GenEvalErrors naming the file.
 */
export async function writeSamplePngs(dir: string, x: Float32Array, shape: ImageShape): Promise<string[]> {
  const n = checkBatch(x, shape);
  const per = shape.height * shape.width * shape.channels;
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir, sampleFileName(i, n));
    writeFileAtomic(path, await encodePng(toBytes(x, i * per, per), shape));
    paths.push(path);
  }
  return paths;
}

export interface GridOptions {
  /** Images per row (default ⌈√n⌉). */
  readonly cols?: number;
  /** Pixels between images and around the grid (default 2, as torchvision's make_grid). */
  readonly padding?: number;
  /** Byte value of the padding (default 0: black). */
  readonly padValue?: number;
}

/**
 * The samples of `x` tiled row by row into one image, laid out as torchvision's `make_grid`:
 * cols = ⌈√n⌉ unless given, rows = ⌈n / cols⌉, `padding` px around and between images.
 * Returns the grid's HWC bytes and shape.
 */
export function gridPixels(x: Float32Array, shape: ImageShape, opts: GridOptions = {}): { pixels: Uint8Array; shape: ImageShape } {
  const n = checkBatch(x, shape);
  const { height: h, width: w, channels: c } = shape;
  const cols = Math.max(1, Math.min(opts.cols ?? Math.ceil(Math.sqrt(n)), n));
  const rows = Math.ceil(n / cols);
  const pad = opts.padding ?? 2;
  const H = rows * (h + pad) + pad;
  const W = cols * (w + pad) + pad;
  const pixels = new Uint8Array(H * W * c).fill(opts.padValue ?? 0);
  const per = h * w * c;
  for (let i = 0; i < n; i++) {
    const img = toBytes(x, i * per, per);
    const top = pad + Math.floor(i / cols) * (h + pad);
    const left = pad + (i % cols) * (w + pad);
    for (let y = 0; y < h; y++) pixels.set(img.subarray(y * w * c, (y + 1) * w * c), ((top + y) * W + left) * c);
  }
  return { pixels, shape: { height: H, width: W, channels: c } };
}

/** Writes the grid of {@link gridPixels} as one PNG at `path` (atomically); returns its shape. */
export async function writeGridPng(path: string, x: Float32Array, shape: ImageShape, opts: GridOptions = {}): Promise<ImageShape> {
  const grid = gridPixels(x, shape, opts);
  writeFileAtomic(path, await encodePng(grid.pixels, grid.shape));
  return grid.shape;
}
