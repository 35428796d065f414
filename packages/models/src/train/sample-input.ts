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
 * Values reach the model as it saw its training data: NHWC float32 p/127.5 − 1.
 */
import { statSync } from 'node:fs';
import { checkImageArray } from '@gen-eval/metrics/extract';
import { readNpy } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import { readPoints, type Dataset } from '../data/datasets.js';
import { loadImageFolder } from '../data/image-folder.js';
import type { ImageShape } from '../data/image-set.js';

/** Samples read from an input file or folder: `rows` × the source domain's dims, and notes for the user. */
export interface SampleInput {
  readonly data: Float32Array;
  readonly rows: number;
  /** What reading did that the user should know (images resized), one line each. */
  readonly notes: readonly string[];
}

const describe = (s: ImageShape) => `${s.height}×${s.width}×${s.channels}`;

/** Reads `path` as samples of `source` (see the module comment); errors name the path. */
export async function readSampleInput(path: string, source: Dataset): Promise<SampleInput> {
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
  if (isDir) return readFolder(path, image);
  if (!path.toLowerCase().endsWith('.npy')) throw inputError(path, `expected a folder of images or an .npy image array (N×H×W×C) for this image run (${describe(image)})`);
  return readImageArray(path, image);
}

async function readFolder(dir: string, image: ImageShape): Promise<SampleInput> {
  if (image.height !== image.width) throw inputError(dir, `the run's images are not square (${image.height}×${image.width}); give an .npy image array`);
  // A 3-channel run takes grey images as RGB (what Pillow's convert("RGB") gives); a grey run
  // refuses colour images rather than dropping their colour silently.
  const f = await loadImageFolder(dir, { imageSize: image.height, ...(image.channels === 3 ? { channels: 3 } : {}) });
  if (f.set.channels !== image.channels) {
    throw inputError(dir, `has colour images but the run's images are grey (${describe(image)}); convert them to grey first`);
  }
  const data = new Float32Array(f.set.pixels.length);
  for (let i = 0; i < data.length; i++) data[i] = f.set.pixels[i]! / 127.5 - 1;
  return { data, rows: f.set.n, notes: f.notes };
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
