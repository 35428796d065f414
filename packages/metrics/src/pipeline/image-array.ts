/**
 * Images given as one `.npy` array instead of a folder (what `gen-eval sample -o x.npy` and numpy
 * users write): N×H×W (gray) or N×H×W×C with C = 1 or 3, of uint8 0–255 or floats in [0, 1].
 * They go to the extractor as the pytorch-fid profile takes a decoded image — values in [0, 1]
 * (bytes / 255, as ToTensor), torch's bilinear resize (align_corners=False) when H×W is not the
 * extractor's size, then the extractor's range. A 2-D `.npy` stays a feature matrix.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { GaussianAccumulator } from '../gaussian-stats.js';
import { preprocessProfile } from '../image/profiles.js';
import { resizeBilinear } from '../image/resize-bilinear.js';
import { assertFinite } from '../io/features.js';
import type { NpyArray } from '../io/npy.js';
import { STATS_BLOCK_ROWS, type ExtractedSet } from './extract-folder.js';

/** True for the shapes read as images: N×H×W, N×H×W×1, N×H×W×3. */
export function isImageArrayShape(shape: readonly number[]): boolean {
  return shape.length === 3 || (shape.length === 4 && (shape[3] === 1 || shape[3] === 3));
}

/** A decoded image array, checked: n images of h×w with c channels. */
export interface ImageArray {
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly arr: NpyArray;
}

/** Checks an `.npy` array as images (shape, dtype); errors name the file. */
export function checkImageArray(arr: NpyArray, file: string): ImageArray {
  const s = arr.shape;
  if (!isImageArrayShape(s)) throw inputError(file, `expected images N×H×W or N×H×W×C (C = 1 or 3), got shape (${s.join(', ')})`);
  const [n, h, w] = s as [number, number, number];
  if (n === 0 || h === 0 || w === 0) throw inputError(file, `has no images (shape (${s.join(', ')}))`);
  const isFloat = arr.data instanceof Float32Array || arr.data instanceof Float64Array;
  if (!isFloat && arr.dtype !== '|u1' && arr.dtype !== '<u1') throw inputError(file, `images must be uint8 (0–255) or floats in [0, 1], got dtype ${arr.dtype}`);
  return { n, height: h, width: w, channels: s.length === 4 && s[3] === 3 ? 3 : 1, arr };
}

/**
 * Images [start, start + count) of `a` as an n × 3 × size × size batch in [0, 1] (gray repeated to
 * RGB); float values outside [0, 1] are an error naming the file, image and pixel.
 */
export function imageArrayBatch(a: ImageArray, file: string, size: number, start = 0, count = a.n - start): Float32Array {
  const { height: h, width: w, channels: c } = a;
  const isFloat = a.arr.data instanceof Float32Array || a.arr.data instanceof Float64Array;
  const data = a.arr.data as ArrayLike<number>;
  const out = new Float32Array(count * 3 * size * size);
  const plane = new Float32Array(h * w);
  const S2 = size * size;
  for (let k = 0; k < count; k++) {
    const i = start + k;
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) {
        const v = data[(i * h * w + p) * c + ch]!;
        if (isFloat && !(v >= 0 && v <= 1)) {
          throw inputError(file, `image ${i} has value ${v} at pixel ${p}${c > 1 ? `, channel ${ch}` : ''}; float images must lie in [0, 1] (or give uint8 0–255)`);
        }
        plane[p] = isFloat ? v : v / 255;
      }
      const dst = out.subarray((k * 3 + ch) * S2, (k * 3 + ch + 1) * S2);
      if (h === size && w === size) dst.set(plane);
      else resizeBilinear(plane, h, w, size, size, dst);
    }
    if (c === 1) {
      const g = out.subarray(k * 3 * S2, (k * 3 + 1) * S2);
      out.set(g, (k * 3 + 1) * S2);
      out.set(g, (k * 3 + 2) * S2);
    }
  }
  return out;
}

/** Runs the extractor over an image array: features (and logits), streamed statistics. */
export async function extractImageArray(arr: NpyArray, file: string, extractor: FeatureExtractor, opts: { logits?: boolean; batchSize?: number } = {}): Promise<ExtractedSet> {
  const a = checkImageArray(arr, file);
  const size = extractor.input.height;
  const symmetric = extractor.input.range[0] === -1;
  const dims = extractor.outputs.features;
  const logitDims = opts.logits === false ? undefined : extractor.outputs.logits;
  const features = new Float32Array(a.n * dims);
  const logits = logitDims === undefined ? undefined : new Float32Array(a.n * logitDims);
  // The network in small batches (an Inception batch of 299² images is 1 MB each) ...
  for (let start = 0; start < a.n; start += opts.batchSize ?? DEFAULTS.batchSize) {
    const m = Math.min(opts.batchSize ?? DEFAULTS.batchSize, a.n - start);
    const batch = imageArrayBatch(a, file, size, start, m);
    if (symmetric) for (let i = 0; i < batch.length; i++) batch[i] = 2 * batch[i]! - 1;
    const out = await extractor.run(batch, m);
    assertFinite({ rows: m, cols: dims, data: out.features }, `${file} (features of images ${start}–${start + m - 1})`);
    features.set(out.features, start * dims);
    if (logits && out.logits) logits.set(out.logits, start * logitDims!);
  }
  // ... the statistics in the folder pipeline's fixed blocks, so that an array and a folder of the
  // same images give bit-identical statistics.
  const acc = new GaussianAccumulator(dims);
  for (let start = 0; start < a.n; start += STATS_BLOCK_ROWS) {
    const m = Math.min(STATS_BLOCK_ROWS, a.n - start);
    await acc.add({ rows: m, cols: dims, data: features.subarray(start * dims, (start + m) * dims) });
  }
  const profile = preprocessProfile('pytorch-fid', size, extractor.input.range);
  return {
    source: file,
    n: a.n,
    dims,
    stats: acc.result(),
    features: { rows: a.n, cols: dims, data: features },
    ...(logits ? { logits: { rows: a.n, cols: logitDims!, data: logits } } : {}),
    fromCache: false,
    skipped: [],
    ignored: 0,
    extractor: extractor.name,
    profile,
  };
}
