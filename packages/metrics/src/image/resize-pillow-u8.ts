/**
 * Bicubic resize of 8-bit RGB images, bit-exact with Pillow's `Image.resize(size, BICUBIC)` on an
 * "RGB" image (libImaging/Resample.c, the 8bpc path) — what torchvision's `Resize(…, BICUBIC)`
 * does to a PIL image (DINOv2 in dgm-eval, openai/CLIP's `_transform`, google-research's cmmd).
 *
 * Pillow's 8bpc path: the float64 bicubic taps of the float path (`bicubicCoeffs`, antialiased),
 * each turned into a fixed-point integer, round(w · 2^22) (half away from zero); per output,
 * 2^21 + Σ byte · weight, shifted right by 22 (floor) and clipped to 0…255. A horizontal pass over
 * the rows the vertical pass reads, stored as bytes, then the vertical pass; an axis whose size
 * does not change is skipped.
 */
import { internalError, usageError } from '../errors.js';
import { bicubicCoeffs, type ResampleCoeffs } from './resize-pillow.js';
import type { RgbImage } from './rgb-image.js';

/** Pillow's PRECISION_BITS = 32 − 8 − 2. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Fixed-point taps: Pillow's normalize_coeffs_8bpc of the float taps (cached with them). */
interface FixedCoeffs {
  readonly ksize: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Int32Array;
}

const fixedCache = new WeakMap<ResampleCoeffs, FixedCoeffs>();

function fixedCoeffs(inSize: number, outSize: number): FixedCoeffs {
  const c = bicubicCoeffs(inSize, outSize);
  const hit = fixedCache.get(c);
  if (hit) return hit;
  // (int)(±0.5 + w·2^22): C truncation toward zero, i.e. rounding half away from zero.
  const weights = Int32Array.from(c.weights, (w) => (w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE)));
  const fixed = { ksize: c.ksize, start: c.start, count: c.count, weights };
  fixedCache.set(c, fixed);
  return fixed;
}

/** Pillow's clip8: the accumulator shifted right (floor), clipped to a byte. */
function clip8(ss: number): number {
  const v = ss >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Resizes an 8-bit RGB image to `outW × outH` exactly as Pillow's BICUBIC on an "RGB" image. */
export function resizeBicubicPillowRgb(image: RgbImage, outW: number, outH: number): RgbImage {
  const { width: inW, height: inH, data } = image;
  for (const [name, v] of [
    ['width', outW],
    ['height', outH],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw usageError(`resize ${name} must be a positive integer, got ${v}`);
  }
  if (data.length !== inW * inH * 3) throw internalError(`image data has ${data.length} bytes, expected ${inW}x${inH}x3`);
  if (outW === inW && outH === inH) return { width: inW, height: inH, data: data.slice() };
  if (outH === inH) return { width: outW, height: outH, data: horizontal(data, inW, 0, inH, fixedCoeffs(inW, outW), outW) };
  const cv = fixedCoeffs(inH, outH);
  if (outW === inW) return { width: outW, height: outH, data: vertical(data, inW, 0, cv, outH) };
  // Horizontal pass over just the rows the vertical pass reads, as Pillow does.
  const first = cv.start[0]!;
  const last = cv.start[outH - 1]! + cv.count[outH - 1]!;
  const tmp = horizontal(data, inW, first, last - first, fixedCoeffs(inW, outW), outW);
  return { width: outW, height: outH, data: vertical(tmp, outW, first, cv, outH) };
}

function horizontal(src: Uint8Array, inW: number, firstRow: number, rows: number, c: FixedCoeffs, outW: number): Uint8Array {
  const { ksize, start, count, weights } = c;
  const dst = new Uint8Array(rows * outW * 3);
  for (let y = 0; y < rows; y++) {
    const row = (y + firstRow) * inW * 3;
    let o = y * outW * 3;
    for (let xx = 0; xx < outW; xx++, o += 3) {
      const k = xx * ksize;
      const n = count[xx]!;
      let s = row + start[xx]! * 3;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      // Sums stay below 2^31 as in Pillow's INT32 (weights sum to ~2^22, bytes ≤ 255), so doubles are exact.
      for (let x = 0; x < n; x++, s += 3) {
        const w = weights[k + x]!;
        s0 += src[s]! * w;
        s1 += src[s + 1]! * w;
        s2 += src[s + 2]! * w;
      }
      dst[o] = clip8(s0);
      dst[o + 1] = clip8(s1);
      dst[o + 2] = clip8(s2);
    }
  }
  return dst;
}

/** `rowOffset` is the input row that `src`'s first row stands for. */
function vertical(src: Uint8Array, width: number, rowOffset: number, c: FixedCoeffs, outH: number): Uint8Array {
  const { ksize, start, count, weights } = c;
  const stride = width * 3;
  const dst = new Uint8Array(outH * stride);
  const acc = new Float64Array(stride);
  for (let yy = 0; yy < outH; yy++) {
    const s = (start[yy]! - rowOffset) * stride;
    const k = yy * ksize;
    const n = count[yy]!;
    acc.fill(HALF);
    for (let y = 0; y < n; y++) {
      const w = weights[k + y]!;
      const r = s + y * stride;
      for (let i = 0; i < stride; i++) acc[i] = acc[i]! + src[r + i]! * w;
    }
    const o = yy * stride;
    for (let i = 0; i < stride; i++) dst[o + i] = clip8(acc[i]!);
  }
  return dst;
}

/** Crops the `w × h` box at (`left`, `top`) of an RGB image (inside the image; Pillow's `crop`). */
export function cropRgb(image: RgbImage, left: number, top: number, w: number, h: number): RgbImage {
  if (left < 0 || top < 0 || left + w > image.width || top + h > image.height) {
    throw internalError(`crop box ${left},${top},${w}x${h} outside a ${image.width}x${image.height} image`);
  }
  if (left === 0 && top === 0 && w === image.width && h === image.height) return image;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(image.data.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + w) * 3), y * w * 3);
  return { width: w, height: h, data };
}
