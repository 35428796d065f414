/**
 * Progressive GAN's sliced Wasserstein distance between two image sets (Karras et al. 2018,
 * metrics/sliced_wasserstein.py): for each level of a Laplacian pyramid (from the full resolution
 * down to 16 px), take random 7×7 patches (128 per image), normalise each set's patches per
 * channel (mean 0, std 1 over that set), and average SW₁ over 4 × 128 random directions; the
 * result is reported ×10³ per level, plus the mean over levels.
 *
 * Randomness comes from one RandomState(seed) in this order, per level (finest first): the
 * patch x positions then y positions of set A, the same for set B, then the directions of each
 * repeat (`randn(D, dirsPerRepeat)`, columns normalised). The original draws from numpy's global
 * stream in minibatch order, so numbers match it in distribution, not digit for digit.
 * Memory: one level's patch descriptors of both sets (count × patchesPerImage × C·7·7 float64 each).
 */
import { DEFAULTS } from '../defaults.js';
import { inputError, usageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { laplacianLevel } from './laplacian-pyramid.js';
import { randomDirections, sumProjectedWassersteinPow } from './sliced-wasserstein.js';
import { DEFAULT_NAMES, type InputNames } from './validate.js';

/** A batch of images in NCHW order (any numeric range; SWD normalises per set). */
export interface ImageSet {
  readonly count: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly data: ArrayLike<number>;
}

/**
 * Options of `swdPyramid`; defaults are Progressive GAN's protocol (`DEFAULTS.swd*`: 7×7 patches,
 * 128 per image, 4 × 128 directions, down to 16 px, seed 2020).
 */
export interface SwdOptions {
  patchSize?: number;
  patchesPerImage?: number;
  dirRepeats?: number;
  dirsPerRepeat?: number;
  /** Coarsest pyramid resolution kept (default 16). */
  minResolution?: number;
  seed?: number;
  names?: InputNames;
}

/** Progressive GAN's SWD: SW₁ ×10³ per Laplacian-pyramid level and their mean, with the protocol used. */
export interface SwdResult {
  /** SW₁ ×10³ per pyramid level, finest first, with the level's resolution (min(h, w)). */
  readonly levels: readonly { readonly resolution: number; readonly value: number }[];
  /** Mean of the per-level values (PGGAN's "SWDx1e3_avg"). */
  readonly average: number;
  readonly seed: number;
  readonly patchSize: number;
  readonly patchesPerImage: number;
  readonly directions: number;
}

function checkSet(s: ImageSet, name: string, patch: number): void {
  if (s.count < 1) throw inputError(name, 'is empty (no images)');
  if (s.data.length !== s.count * s.channels * s.height * s.width) {
    throw inputError(name, `has ${s.data.length} values, expected ${s.count}×${s.channels}×${s.height}×${s.width}`);
  }
  for (let i = 0; i < s.data.length; i++) {
    const v = s.data[i]!;
    if (v - v !== 0) throw inputError(name, `non-finite pixel value at index ${i}`);
  }
  if (Math.min(s.height, s.width) < patch) throw inputError(name, `images of ${s.height}×${s.width} are smaller than the ${patch}×${patch} patches`);
}

/** Patch descriptors of one pyramid level of a set, normalised per channel (numpy std, ddof 0). */
function levelDescriptors(s: ImageSet, level: number, levels: number, rs: RandomState, perImage: number, size: number): Matrix {
  const half = size >> 1;
  const h = s.height >> level;
  const w = s.width >> level;
  const n = s.count * perImage;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  for (let t = 0; t < n; t++) xs[t] = half + rs.interval(w - 2 * half - 1);
  for (let t = 0; t < n; t++) ys[t] = half + rs.interval(h - 2 * half - 1);
  const C = s.channels;
  const D = C * size * size;
  const out = new Float64Array(n * D);
  const plane = new Float64Array(s.height * s.width);
  for (let img = 0; img < s.count; img++) {
    for (let c = 0; c < C; c++) {
      const base = (img * C + c) * s.height * s.width;
      for (let i = 0; i < plane.length; i++) plane[i] = s.data[base + i]!;
      const lv = laplacianLevel(plane, s.height, s.width, level, levels);
      for (let t = img * perImage; t < (img + 1) * perImage; t++) {
        for (let dy = 0; dy < size; dy++) {
          for (let dx = 0; dx < size; dx++) {
            out[t * D + (c * size + dy) * size + dx] = lv[(ys[t]! - half + dy) * w + (xs[t]! - half + dx)]!;
          }
        }
      }
    }
  }
  // Per-channel normalisation over (patches, y, x), two passes as numpy's mean and std.
  const per = size * size;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let t = 0; t < n; t++) for (let k = 0; k < per; k++) sum += out[t * D + c * per + k]!;
    const mean = sum / (n * per);
    let sq = 0;
    for (let t = 0; t < n; t++) for (let k = 0; k < per; k++) sq += (out[t * D + c * per + k]! - mean) ** 2;
    const std = Math.sqrt(sq / (n * per));
    const inv = std > 0 ? 1 / std : 0; // a constant channel carries no information
    for (let t = 0; t < n; t++) for (let k = 0; k < per; k++) out[t * D + c * per + k] = (out[t * D + c * per + k]! - mean) * inv;
  }
  return { rows: n, cols: D, data: out };
}

/** Progressive GAN's multi-scale SWD between two image sets (see the module notes). */
export async function swdPyramid(a: ImageSet, b: ImageSet, opts: SwdOptions = {}): Promise<SwdResult> {
  const names = opts.names ?? DEFAULT_NAMES;
  const size = opts.patchSize ?? DEFAULTS.swdPatchSize;
  const perImage = opts.patchesPerImage ?? DEFAULTS.swdPatchesPerImage;
  const repeats = opts.dirRepeats ?? DEFAULTS.swdDirRepeats;
  const perRepeat = opts.dirsPerRepeat ?? DEFAULTS.swdDirsPerRepeat;
  const minRes = opts.minResolution ?? DEFAULTS.swdMinResolution;
  const seed = opts.seed ?? DEFAULTS.swdSeed;
  for (const [v, what] of [
    [size, 'patchSize'],
    [perImage, 'patchesPerImage'],
    [repeats, 'dirRepeats'],
    [perRepeat, 'dirsPerRepeat'],
    [minRes, 'minResolution'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw usageError(`${what} must be a positive integer, got ${v}`);
  }
  if (size % 2 === 0) throw usageError(`patchSize must be odd, got ${size}`);
  checkSet(a, names[0], size);
  checkSet(b, names[1], size);
  if (a.channels !== b.channels || a.height !== b.height || a.width !== b.width) {
    throw inputError(names[1], `has images of ${b.channels}×${b.height}×${b.width} but ${names[0]} has ${a.channels}×${a.height}×${a.width}`);
  }
  const resolutions: number[] = [];
  for (let r = Math.min(a.height, a.width); r >= minRes; r = Math.floor(r / 2)) resolutions.push(r);
  if (resolutions.length === 0) throw inputError(names[0], `images of ${a.height}×${a.width} are below the minimum resolution ${minRes}`);
  const div = 2 ** (resolutions.length - 1);
  if (a.height % div !== 0 || a.width % div !== 0 || Math.min(a.height, a.width) >> (resolutions.length - 1) < size) {
    throw inputError(names[0], `images of ${a.height}×${a.width} do not halve evenly ${resolutions.length - 1} times with ${size}×${size} patches left at the coarsest level`);
  }
  const rs = new RandomState(seed);
  const levels: { resolution: number; value: number }[] = [];
  for (let lv = 0; lv < resolutions.length; lv++) {
    const da = levelDescriptors(a, lv, resolutions.length, rs, perImage, size);
    const db = levelDescriptors(b, lv, resolutions.length, rs, perImage, size);
    let sum = 0;
    for (let r = 0; r < repeats; r++) {
      const dirs = randomDirections(rs, da.cols, perRepeat);
      sum += (await sumProjectedWassersteinPow(da, db, dirs, 1)) / perRepeat;
    }
    levels.push({ resolution: resolutions[lv]!, value: (sum / repeats) * 1e3 });
  }
  const average = levels.reduce((s, l) => s + l.value, 0) / levels.length;
  return { levels, average, seed, patchSize: size, patchesPerImage: perImage, directions: repeats * perRepeat };
}
