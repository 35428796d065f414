/**
 * Bicubic resize of float32 planes, bit-exact with Pillow's `Image.resize(size, BICUBIC)` on mode
 * "F" images (libImaging/Resample.c, the float path) — the resize of clean-fid's "clean" mode.
 * Unlike torch's bilinear this is antialiased: when shrinking, the filter support widens by the
 * scale factor, so every input pixel contributes.
 *
 * Pillow's algorithm, reproduced operation for operation in float64:
 * - per axis: scale = in/out, filterscale = max(scale, 1), support = 2·filterscale;
 *   for each output x: centre = (x + 0.5)·scale, taps xmin = trunc(centre − support + 0.5) (≥ 0)
 *   to xmax = trunc(centre + support + 0.5) (≤ in), weight w = cubic((j − centre + 0.5)/filterscale)
 *   with a = −0.5, normalised by their sum;
 * - a horizontal pass (only the rows the vertical pass reads), then a vertical pass; each output
 *   is a float64 sum of float32 pixel × float64 weight, stored as float32;
 * - an axis whose size does not change is not resampled (a pass is skipped, as in Pillow).
 */
import { checkPlane } from './resize-bilinear.js';

/** Pillow's bicubic kernel (a = −0.5), with Pillow's evaluation order. */
function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Taps of one axis: output i reads `count[i]` inputs from `start[i]` with weights at `i·ksize`. */
export interface ResampleCoeffs {
  readonly ksize: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
}

const coeffCache = new Map<string, ResampleCoeffs>();

/** Pillow's precompute_coeffs for the bicubic filter (cached per size pair). */
export function bicubicCoeffs(inSize: number, outSize: number): ResampleCoeffs {
  const key = `${inSize}:${outSize}`;
  const hit = coeffCache.get(key);
  if (hit) return hit;
  const scale = inSize / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = 2 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = xx * ksize;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      weights[k + x] = w;
      ww += w;
    }
    if (ww !== 0) for (let x = 0; x < xmax; x++) weights[k + x] = weights[k + x]! / ww;
    start[xx] = xmin;
    count[xx] = xmax;
  }
  const coeffs = { ksize, start, count, weights };
  if (coeffCache.size > 256) coeffCache.clear();
  coeffCache.set(key, coeffs);
  return coeffs;
}

/**
 * Resizes one float32 plane (row-major `inH × inW`) to `outH × outW` exactly as Pillow's BICUBIC
 * on an "F" image; writes into `dst` when given and returns it. No clipping: overshoot near edges
 * is kept (clean-fid clips afterwards).
 */
export function resizeBicubicPillow(src: Float32Array, inH: number, inW: number, outH: number, outW: number, dst: Float32Array = new Float32Array(outH * outW)): Float32Array {
  checkPlane(src, inH, inW, outH, outW, dst);
  const needH = outW !== inW;
  const needV = outH !== inH;
  if (!needH && !needV) {
    dst.set(src.subarray(0, inH * inW));
    return dst;
  }
  if (!needV) {
    horizontal(src, inW, 0, inH, bicubicCoeffs(inW, outW), outW, dst);
    return dst;
  }
  const cv = bicubicCoeffs(inH, outH);
  if (!needH) {
    vertical(src, inW, 0, cv, outH, dst);
    return dst;
  }
  // Horizontal pass over just the rows the vertical pass reads, as Pillow does.
  const first = cv.start[0]!;
  const last = cv.start[outH - 1]! + cv.count[outH - 1]!;
  const need = (last - first) * outW;
  if (tmpScratch.length < need) tmpScratch = new Float32Array(need);
  const tmp = tmpScratch.subarray(0, need);
  horizontal(src, inW, first, last - first, bicubicCoeffs(inW, outW), outW, tmp);
  vertical(tmp, outW, first, cv, outH, dst);
  if (tmpScratch.length > 1 << 24) tmpScratch = new Float32Array(0);
  return dst;
}

/** Reused intermediate image (the resize is synchronous, so one buffer per thread is safe). */
let tmpScratch = new Float32Array(0);

function horizontal(src: Float32Array, inW: number, firstRow: number, rows: number, c: ResampleCoeffs, outW: number, dst: Float32Array): void {
  const { ksize, start, count, weights } = c;
  for (let y = 0; y < rows; y++) {
    const row = (y + firstRow) * inW;
    const o = y * outW;
    for (let xx = 0; xx < outW; xx++) {
      const s = row + start[xx]!;
      const k = xx * ksize;
      const n = count[xx]!;
      let ss = 0;
      if (n === 4) {
        // the usual upscaling case, unrolled (~30 % faster); same order of additions
        ss = 0 + src[s]! * weights[k]! + src[s + 1]! * weights[k + 1]! + src[s + 2]! * weights[k + 2]! + src[s + 3]! * weights[k + 3]!;
      } else {
        for (let x = 0; x < n; x++) ss += src[s + x]! * weights[k + x]!;
      }
      dst[o + xx] = ss;
    }
  }
}

/** `rowOffset` is the input row that `src`'s first row stands for. */
function vertical(src: Float32Array, width: number, rowOffset: number, c: ResampleCoeffs, outH: number, dst: Float32Array): void {
  const { ksize, start, count, weights } = c;
  // Row-wise accumulation: each output still sums its taps in Pillow's order (y ascending, from
  // 0.0, in float64), but memory is walked along rows.
  const acc = new Float64Array(width);
  for (let yy = 0; yy < outH; yy++) {
    const s = (start[yy]! - rowOffset) * width;
    const k = yy * ksize;
    const n = count[yy]!;
    acc.fill(0);
    for (let y = 0; y < n; y++) {
      const w = weights[k + y]!;
      const r = s + y * width;
      for (let xx = 0; xx < width; xx++) acc[xx] = acc[xx]! + src[r + xx]! * w;
    }
    dst.set(acc, yy * width);
  }
}
