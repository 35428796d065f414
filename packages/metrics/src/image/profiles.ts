/**
 * Preprocessing profiles: decoded RGB image → the float32 3×S×S (CHW) tensor a feature network
 * reads. Two conventions, each reproducing a reference project's numbers:
 *
 * - `pytorch-fid` (default): ToTensor (x/255 in float32) → torch bilinear resize to S×S,
 *   align_corners=False, no antialias → 2x − 1 (range [−1, 1]). pytorch-fid's InceptionV3 with
 *   resize_input and normalize_input. Matches torch to ≤ 1e-6 (bit-exact on the AVX2 build used
 *   for the golden files).
 * - `clean` (clean-fid, mode "clean"): per channel, Pillow BICUBIC on the "F" image of the 0…255
 *   values (antialiased, no re-quantisation) → clip to [0, 255] → (x − 128)/128 in float32, the
 *   normalisation of clean-fid's InceptionV3W before its network. Bit-exact with Pillow 9.4.
 *
 * Both can instead end in [0, 1] (range option) for extractors that take [0, 1] input: pytorch-fid's
 * resized x/255 before 2x − 1, or clean's clip(x, 0, 255)/255.
 *
 * Every image of a set goes through the same function; the result records which one (for result
 * files and cache keys).
 */
import { DEFAULTS } from '../defaults.js';
import { resizeBilinear } from './resize-bilinear.js';
import { preprocessBicubicWasm } from './resize-bicubic-wasm.js';
import { preprocessBilinearWasm } from './resize-bilinear-wasm.js';
import { resizeBicubicPillow } from './resize-pillow.js';
import type { RgbImage } from './rgb-image.js';
import { internalError, usageError } from '../errors.js';

/** Names of the preprocessing profiles. */
export type ProfileName = 'pytorch-fid' | 'clean';

/** Value range of the output (the extractors' `InputRange`). */
export type ProfileRange = readonly [0, 1] | readonly [-1, 1];

/** What a profile does, recorded in results and cache keys. Plain JSON. */
export interface PreprocessProfile {
  readonly name: ProfileName;
  /** Output height = width. */
  readonly size: number;
  readonly interpolation: 'bilinear' | 'bicubic';
  /** Whose resize is reproduced. */
  readonly resizer: 'torch-interpolate-align-corners-false' | 'pillow-float-antialiased';
  /** Output value range. */
  readonly range: ProfileRange;
  /** The mapping of a pixel value p ∈ 0…255 (resized) to the output value. */
  readonly normalize: '2*(p/255)-1' | 'p/255' | '(clip(p,0,255)-128)/128' | 'clip(p,0,255)/255';
  /** Output layout: channels first, RGB order, float32. */
  readonly layout: 'CHW-RGB-float32';
}

/** All profile names, for CLI validation and help. */
export const PROFILE_NAMES: readonly ProfileName[] = ['pytorch-fid', 'clean'];

/**
 * The record of a profile at an output size and range (defaults: DEFAULTS.imageProfile,
 * DEFAULTS.imageSize, [−1, 1] — what the pytorch-fid Inception takes).
 */
export function preprocessProfile(name: ProfileName = DEFAULTS.imageProfile, size: number = DEFAULTS.imageSize, range: ProfileRange = [-1, 1]): PreprocessProfile {
  if (!Number.isInteger(size) || size < 1) throw usageError(`image size must be a positive integer, got ${size}`);
  const unit = range[0] === 0;
  if (!unit && range[0] !== -1) throw usageError(`unknown output range [${(range as readonly number[]).join(', ')}]`);
  if (name === 'pytorch-fid') {
    return {
      name,
      size,
      interpolation: 'bilinear',
      resizer: 'torch-interpolate-align-corners-false',
      range: unit ? [0, 1] : [-1, 1],
      normalize: unit ? 'p/255' : '2*(p/255)-1',
      layout: 'CHW-RGB-float32',
    };
  }
  if (name === 'clean') {
    return {
      name,
      size,
      interpolation: 'bicubic',
      resizer: 'pillow-float-antialiased',
      range: unit ? [0, 1] : [-1, 1],
      normalize: unit ? 'clip(p,0,255)/255' : '(clip(p,0,255)-128)/128',
      layout: 'CHW-RGB-float32',
    };
  }
  throw usageError(`unknown preprocessing profile "${String(name)}" (expected ${PROFILE_NAMES.join(' or ')})`);
}

/**
 * Runs `profile` on one image; writes the 3·S·S values into `out` when given (e.g. a slice of a
 * batch buffer: `batch.subarray(i·3·S·S, (i+1)·3·S·S)`) and returns it.
 */
export function preprocess(image: RgbImage, profile: PreprocessProfile, out?: Float32Array): Float32Array {
  const unit = profile.range[0] === 0;
  if (profile.name === 'clean') return run(image, profile.size, out, unit ? 'clean-unit' : 'clean');
  return run(image, profile.size, out, unit ? 'torch-unit' : 'torch');
}

/** pytorch-fid's preprocessing of one image to [−1, 1]; see the module comment. */
export function preprocessPytorchFid(image: RgbImage, size: number = DEFAULTS.imageSize, out?: Float32Array): Float32Array {
  return run(image, size, out, 'torch');
}

/** clean-fid's "clean" preprocessing of one image to clean-fid's network input; see the module comment. */
export function preprocessClean(image: RgbImage, size: number = DEFAULTS.imageSize, out?: Float32Array): Float32Array {
  return run(image, size, out, 'clean');
}

type Kind = 'torch' | 'torch-unit' | 'clean' | 'clean-unit';

/** float32(p / 255) for every byte p: ToTensor's division, looked up. */
const UNIT = Float32Array.from({ length: 256 }, (_, p) => p / 255);

/** Reused de-interleaved planes (the functions are synchronous, so one buffer per thread is safe). */
let scratch = new Float32Array(0);

function run(image: RgbImage, size: number, out: Float32Array | undefined, kind: Kind): Float32Array {
  const { width, height, data } = image;
  if (!Number.isInteger(size) || size < 1) throw usageError(`image size must be a positive integer, got ${size}`);
  if (data.length !== width * height * 3) throw internalError(`image data has ${data.length} bytes, expected ${width}x${height}x3`);
  const plane = size * size;
  const dst = out ?? new Float32Array(3 * plane);
  if (dst.length < 3 * plane) throw internalError(`output has ${dst.length} values, expected ${3 * plane}`);
  const torch = kind === 'torch' || kind === 'torch-unit';
  // The WebAssembly kernels give the same bits as the JS below, several times faster (see
  // resize-bilinear-wasm.ts, resize-bicubic-wasm.ts); the JS remains for runtimes without them.
  if (torch ? preprocessBilinearWasm(image, size, UNIT, kind === 'torch', dst) : preprocessBicubicWasm(image, size, kind === 'clean' ? 'clean' : 'clean-unit', dst)) return dst;
  const n = width * height;
  if (scratch.length < 3 * n) scratch = new Float32Array(3 * n);
  // HWC bytes → three float32 planes: x/255 for torch (ToTensor), the byte values for Pillow "F".
  const r = scratch.subarray(0, n);
  const g = scratch.subarray(n, 2 * n);
  const b = scratch.subarray(2 * n, 3 * n);
  if (torch) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      r[i] = UNIT[data[j]!]!;
      g[i] = UNIT[data[j + 1]!]!;
      b[i] = UNIT[data[j + 2]!]!;
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      r[i] = data[j]!;
      g[i] = data[j + 1]!;
      b[i] = data[j + 2]!;
    }
  }
  for (let c = 0; c < 3; c++) {
    const src = scratch.subarray(c * n, (c + 1) * n);
    const o = dst.subarray(c * plane, (c + 1) * plane);
    if (torch) resizeBilinear(src, height, width, size, size, o);
    else resizeBicubicPillow(src, height, width, size, size, o);
    normalize(o, kind);
  }
  if (scratch.length > 1 << 24) scratch = new Float32Array(0); // do not keep one huge image's planes alive
  return dst;
}

/** In place; each value rounded once to float32 on store. */
function normalize(o: Float32Array, kind: Kind): void {
  const len = o.length;
  switch (kind) {
    case 'torch': // 2x − 1 (2x is exact)
      for (let i = 0; i < len; i++) o[i] = 2 * o[i]! - 1;
      break;
    case 'torch-unit':
      break;
    case 'clean': // clip to [0, 255], then (x − 128)/128: /128 is exact, so one rounding equals torch's two
      for (let i = 0; i < len; i++) {
        const v = o[i]!;
        o[i] = v < 0 ? -1 : v > 255 ? 127 / 128 : (v - 128) / 128;
      }
      break;
    case 'clean-unit':
      for (let i = 0; i < len; i++) {
        const v = o[i]!;
        o[i] = v < 0 ? 0 : v > 255 ? 1 : v / 255;
      }
      break;
  }
}
