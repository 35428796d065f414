/**
 * The `--input` of a translation run's `sample` (cyclegan): the source domain's samples to
 * translate, read according to what the run was trained on.
 *
 * - 2-D runs: an N×2 `.npy` of points.
 * - Image runs: a folder of images (read as `train --data DIR` reads one: decoded, resized to the
 *   run's size with Pillow bicubic — with a note — and converted to its channels) or an `.npy`
 *   image array N×H×W or N×H×W×C of uint8 0–255 or floats in [0, 1] (the convention of
 *   `gen-eval fid`'s image arrays and of `gen-eval sample -o x.npy`), which must already have the
 *   run's height, width and channels.
 *
 * A paired run (pix2pix, srgan) reads its inputs at the shape of its data's inputs
 * (`Dataset.input`: 14×14 for srgan on 28×28 data) and refuses images of another size: resizing
 * an input would change the very thing the model translates.
 *
 * Values reach the model as it saw its training data: NHWC float32 p/127.5 − 1.
 */
import { statSync } from 'node:fs';
import { checkImageArray } from '@gen-eval/metrics/extract';
import { listImages } from '@gen-eval/metrics/images';
import { readNpy } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import { readPoints, type Dataset } from '../data/datasets.js';
import { countImageSizes, loadImageFolder } from '../data/image-folder.js';
import type { ImageShape } from '../data/image-set.js';

/** Samples read from an input file or folder: `rows` × the source domain's dims, and notes for the user. */
export interface SampleInput {
  readonly data: Float32Array;
  readonly rows: number;
  /** What reading did that the user should know (images resized), one line each. */
  readonly notes: readonly string[];
  /** A folder's images: their paths relative to it, one per row (the listing's sorted order). */
  readonly files?: readonly string[];
}

/** What the samples to read are: their values per sample and, for images, their shape. */
export type SampleSource = Pick<Dataset, 'dims' | 'image'>;

export interface ReadInputOptions {
  /** Refuse images of another size instead of resizing them (a paired run's inputs). */
  readonly exactSize?: boolean;
}

const describe = (s: ImageShape) => `${s.height}×${s.width}×${s.channels}`;

/** Reads `path` as samples of `source` (see the module comment); errors name the path. */
export async function readSampleInput(path: string, source: SampleSource, opts: ReadInputOptions = {}): Promise<SampleInput> {
  const image = source.image;
  if (!image) {
    const { data, rows } = readPoints(path);
    if (source.dims !== 2) throw inputError(path, `has 2 columns, the model's points have ${source.dims}`);
    return { data, rows, notes: [] };
  }
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw inputError(path, 'no such file or folder');
  }
  if (isDir) return readFolder(path, image, opts.exactSize ?? false);
  if (!path.toLowerCase().endsWith('.npy')) throw inputError(path, `expected a folder of images or an .npy image array (N×H×W×C) for this image run (${describe(image)})`);
  return readImageArray(path, image);
}

async function readFolder(dir: string, image: ImageShape, exactSize: boolean): Promise<SampleInput> {
  if (image.height !== image.width) throw inputError(dir, `the run's images are not square (${image.height}×${image.width}); give an .npy image array`);
  const listing = await listImages(dir);
  const files = listing.files.map((f) => f.relPath);
  if (exactSize)
    await checkSizes(
      listing.files.map((f) => f.path),
      image,
    );
  // A 3-channel run takes grey images as RGB (what Pillow's convert("RGB") gives); a grey run
  // refuses colour images rather than dropping their colour silently.
  const f = await loadImageFolder(dir, { imageSize: image.height, ...(image.channels === 3 ? { channels: 3 } : {}) });
  if (f.set.channels !== image.channels) {
    throw inputError(dir, `has colour images but the run's images are grey (${describe(image)}); convert them to grey first`);
  }
  const data = new Float32Array(f.set.pixels.length);
  for (let i = 0; i < data.length; i++) data[i] = f.set.pixels[i]! / 127.5 - 1;
  return { data, rows: f.set.n, notes: f.notes, files };
}

/** Refuses the first image whose size is not the run's (one header read per image; a second pass only to name it). */
async function checkSizes(paths: readonly string[], image: ImageShape): Promise<void> {
  const want = `${image.width}×${image.height}`;
  const sizes = await countImageSizes(paths);
  if ([...sizes.keys()].every((k) => k === want)) return;
  for (const path of paths) {
    const [size] = (await countImageSizes([path])).keys();
    if (size !== undefined && size !== want) throw inputError(path, `is ${size}; this run's inputs are ${want} (they are translated as they are, never resized)`);
  }
}

function readImageArray(path: string, image: ImageShape): SampleInput {
  const a = checkImageArray(readNpy(path), path);
  if (a.height !== image.height || a.width !== image.width || a.channels !== image.channels) {
    throw inputError(path, `holds ${a.n} images of ${a.height}×${a.width}×${a.channels}, the run's images are ${describe(image)}`);
  }
  const src = a.arr.data as ArrayLike<number>;
  const isFloat = a.arr.data instanceof Float32Array || a.arr.data instanceof Float64Array;
  const data = new Float32Array(a.n * a.height * a.width * a.channels);
  for (let i = 0; i < data.length; i++) {
    const v = src[i]!;
    if (isFloat && !(v >= 0 && v <= 1)) {
      throw inputError(path, `image ${Math.floor(i / (data.length / a.n))} has value ${v}; float images must lie in [0, 1] (or give uint8 0–255)`);
    }
    data[i] = isFloat ? 2 * v - 1 : v / 127.5 - 1;
  }
  return { data, rows: a.n, notes: [] };
}
