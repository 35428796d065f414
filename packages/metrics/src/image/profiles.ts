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
 * Three more reproduce the preprocessing of networks' reference evaluations; each resizes the 8-bit
 * image with Pillow's BICUBIC (as torchvision's Resize does on a PIL image) and ends in [0, 1]
 * (ToTensor's x/255); the network's mean/std normalisation happens inside its graph:
 *
 * - `pillow-bicubic`: resize to S×S (dgm-eval's DINOv2 `Resize((224, 224), BICUBIC)`).
 * - `clip`: resize the short side to S, the long side to int(S · long/short) (torchvision's
 *   Resize(int)), then a centred S×S crop at offsets round((side − S)/2), ties to even (Python's
 *   round, torchvision's center_crop) — openai/CLIP's `_transform`.
 * - `cmmd`: a centred square crop of the short side at offsets ⌊(side − short)/2⌋, then resize to
 *   S×S — google-research cmmd's `_center_crop_and_resize`; its later jax bicubic resize to the same
 *   size has taps (0, 1, 0), an identity.
 *
 * Extractors name theirs in `input.profiles` (see `resolveProfile`).
 *
 * Every image of a set goes through the same function; the result records which one (for result
 * files and cache keys).
 */
import { DEFAULTS } from '../defaults.js';
import { resizeBilinear } from './resize-bilinear.js';
import { preprocessBicubicWasm } from './resize-bicubic-wasm.js';
import { preprocessBilinearWasm } from './resize-bilinear-wasm.js';
import { resizeBicubicPillow } from './resize-pillow.js';
import { cropRgb, resizeBicubicPillowRgb } from './resize-pillow-u8.js';
import type { RgbImage } from './rgb-image.js';
import { internalError, usageError } from '../errors.js';

/** Names of the preprocessing profiles a user picks (`--profile`). */
export type ProfileName = 'pytorch-fid' | 'clean';

/** Names of the profiles that reproduce a network's reference preprocessing (declared by extractors). */
export type NetworkProfileName = 'pillow-bicubic' | 'clip' | 'cmmd';

/** Any profile name. */
export type AnyProfileName = ProfileName | NetworkProfileName;

/** The profiles an extractor takes: for the default `--profile` and for `--profile clean`. */
export interface ExtractorProfiles {
  readonly default: AnyProfileName;
  readonly clean: AnyProfileName;
}

/** Value range of the output (the extractors' `InputRange`). */
export type ProfileRange = readonly [0, 1] | readonly [-1, 1];

/** What a profile does, recorded in results and cache keys. Plain JSON. */
export interface PreprocessProfile {
  readonly name: AnyProfileName;
  /** Output height = width. */
  readonly size: number;
  readonly interpolation: 'bilinear' | 'bicubic';
  /** Whose resize is reproduced. */
  readonly resizer: 'torch-interpolate-align-corners-false' | 'pillow-float-antialiased' | 'pillow-uint8-antialiased';
  /** Network profiles only: the crop around the resize (absent: none, the image is squashed to S×S). */
  readonly crop?: 'resize-short-side-then-center-crop' | 'center-square-then-resize';
  /** Output value range. */
  readonly range: ProfileRange;
  /** The mapping of a pixel value p ∈ 0…255 (resized) to the output value. */
  readonly normalize: '2*(p/255)-1' | 'p/255' | '(clip(p,0,255)-128)/128' | 'clip(p,0,255)/255';
  /** Output layout: channels first, RGB order, float32. */
  readonly layout: 'CHW-RGB-float32';
}

/** All profile names, for CLI validation and help. */
export const PROFILE_NAMES: readonly ProfileName[] = ['pytorch-fid', 'clean'];

/** The network profiles' names. */
export const NETWORK_PROFILE_NAMES: readonly NetworkProfileName[] = ['pillow-bicubic', 'clip', 'cmmd'];

const CROPS = { 'pillow-bicubic': undefined, clip: 'resize-short-side-then-center-crop', cmmd: 'center-square-then-resize' } as const;

/**
 * The profile for an extractor: a user's `pytorch-fid` (the default) or `clean` becomes the
 * extractor's declared `profiles.default` or `profiles.clean` when it declares them (DINOv2, CLIP);
 * a network profile name is taken as it is (the CMMD command's `cmmd`). Size and range are the
 * extractor's input.
 */
export function resolveProfile(
  requested: AnyProfileName,
  input: { readonly height: number; readonly range: ProfileRange; readonly profiles?: ExtractorProfiles },
): PreprocessProfile {
  const declared = input.profiles;
  const name = declared && (requested === 'pytorch-fid' || requested === 'clean') ? declared[requested === 'clean' ? 'clean' : 'default'] : requested;
  return preprocessProfile(name, input.height, input.range);
}

/**
 * The record of a profile at an output size and range (defaults: DEFAULTS.imageProfile,
 * DEFAULTS.imageSize, [−1, 1] — what the pytorch-fid Inception takes).
 */
export function preprocessProfile(name: AnyProfileName = DEFAULTS.imageProfile, size: number = DEFAULTS.imageSize, range: ProfileRange = [-1, 1]): PreprocessProfile {
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
  if (NETWORK_PROFILE_NAMES.includes(name)) {
    if (!unit) throw usageError(`preprocessing profile "${name}" ends in [0, 1], not [-1, 1]`);
    const crop = CROPS[name];
    return { name, size, interpolation: 'bicubic', resizer: 'pillow-uint8-antialiased', ...(crop ? { crop } : {}), range: [0, 1], normalize: 'p/255', layout: 'CHW-RGB-float32' };
  }
  throw usageError(`unknown preprocessing profile "${String(name)}" (expected ${[...PROFILE_NAMES, ...NETWORK_PROFILE_NAMES].join(', ')})`);
}

/**
 * Runs `profile` on one image; writes the 3·S·S values into `out` when given (e.g. a slice of a
 * batch buffer: `batch.subarray(i·3·S·S, (i+1)·3·S·S)`) and returns it.
 */
export function preprocess(image: RgbImage, profile: PreprocessProfile, out?: Float32Array): Float32Array {
  const unit = profile.range[0] === 0;
  if (profile.resizer === 'pillow-uint8-antialiased') return unitChw(networkResize(image, profile), profile.size, out);
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

/** The 8-bit S×S image of a network profile (see the module comment). */
function networkResize(image: RgbImage, profile: PreprocessProfile): RgbImage {
  const s = profile.size;
  const { width: w, height: h } = image;
  if (profile.crop === 'center-square-then-resize') {
    const l = Math.min(w, h);
    return resizeBicubicPillowRgb(cropRgb(image, Math.floor((w - l) / 2), Math.floor((h - l) / 2), l, l), s, s);
  }
  if (profile.crop === 'resize-short-side-then-center-crop') {
    // torchvision: new_long = int(size * long / short), Python's float division then truncation.
    const [rw, rh] = w <= h ? [s, Math.trunc((s * h) / w)] : [Math.trunc((s * w) / h), s];
    const resized = resizeBicubicPillowRgb(image, rw, rh);
    return cropRgb(resized, roundHalfEven((rw - s) / 2), roundHalfEven((rh - s) / 2), s, s);
  }
  return resizeBicubicPillowRgb(image, s, s);
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/** HWC bytes → CHW float32 x/255 (ToTensor). */
function unitChw(image: RgbImage, size: number, out?: Float32Array): Float32Array {
  const plane = size * size;
  const dst = out ?? new Float32Array(3 * plane);
  if (dst.length < 3 * plane) throw internalError(`output has ${dst.length} values, expected ${3 * plane}`);
  const { data } = image;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    dst[i] = UNIT[data[j]!]!;
    dst[plane + i] = UNIT[data[j + 1]!]!;
    dst[2 * plane + i] = UNIT[data[j + 2]!]!;
  }
  return dst;
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
