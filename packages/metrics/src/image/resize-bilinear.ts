/**
 * Bilinear resize with the arithmetic of PyTorch's CPU kernel for
 * `F.interpolate(x, size, mode="bilinear", align_corners=False)` on float32 NCHW tensors —
 * what pytorch-fid does before its Inception network. Half-pixel centres, NO antialiasing
 * (a 1000-pixel image shrunk to 299 samples 2×2 pixels per output, as torch does).
 *
 * Measured against torch 1.13 (Debian, AVX2 build), bit-exact on 3-channel inputs:
 * - scale = float32(in / out);
 * - source index src = scale·(dst + 0.5) − 0.5 in float64 (torch's accumulate type), clamped at 0;
 *   i0 = min(⌊src⌋, in − 1), i1 = i0 + 1 unless at the last pixel;
 * - λ1 = float32(src − i0) clamped to [0, 1], λ0 = float32(1 − λ1); sizes equal ⇒ a plain copy;
 * - per output pixel, rows outer: t = fma(a, λ0w, float32(b·λ1w)) for each of the two rows, then
 *   fma(t0, λ0h, float32(t1·λ1h)) — GCC contracts torch's `t0 * w0 + t1 * w1` into an FMA.
 * A float32 FMA is emulated exactly enough by one float64 multiply-add (the float products are
 * exact in float64) and a rounding to float32.
 * (torch's channels-last kernel, used for 1-channel or 1×1 tensors, rounds differently by ≤ 1 ulp.)
 */
import { internalError, usageError } from '../errors.js';

/** Per-output-position source indices and weights of one axis. */
export interface LinearTaps {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w0: Float32Array;
  readonly w1: Float32Array;
}

const tapCache = new Map<string, LinearTaps>();

/** The indices and float32 weights torch uses along one axis (cached: every image of a set shares them). */
export function linearTaps(inSize: number, outSize: number): LinearTaps {
  const key = `${inSize}:${outSize}`;
  const hit = tapCache.get(key);
  if (hit) return hit;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w0 = new Float32Array(outSize);
  const w1 = new Float32Array(outSize);
  const scale = Math.fround(inSize / outSize);
  for (let d = 0; d < outSize; d++) {
    if (inSize === outSize) {
      i0[d] = d;
      i1[d] = d;
      w0[d] = 1;
      w1[d] = 0;
      continue;
    }
    const src = Math.max(scale * (d + 0.5) - 0.5, 0);
    const a = Math.min(Math.trunc(src), inSize - 1);
    const l1 = Math.fround(Math.min(Math.max(src - a, 0), 1));
    i0[d] = a;
    i1[d] = a < inSize - 1 ? a + 1 : a;
    w1[d] = l1;
    w0[d] = Math.fround(1 - l1);
  }
  const taps = { i0, i1, w0, w1 };
  if (tapCache.size > 256) tapCache.clear(); // bounded: a folder of wildly varied sizes must not grow it
  tapCache.set(key, taps);
  return taps;
}

/**
 * Resizes one float32 plane (row-major `inH × inW`) to `outH × outW`; writes into `dst` when given
 * (e.g. a slice of a batch buffer) and returns it.
 */
export function resizeBilinear(src: Float32Array, inH: number, inW: number, outH: number, outW: number, dst: Float32Array = new Float32Array(outH * outW)): Float32Array {
  checkPlane(src, inH, inW, outH, outW, dst);
  const th = linearTaps(inH, outH);
  const tw = linearTaps(inW, outW);
  const fr = Math.fround;
  for (let y = 0; y < outH; y++) {
    const r0 = th.i0[y]! * inW;
    const r1 = th.i1[y]! * inW;
    const h0 = th.w0[y]!;
    const h1 = th.w1[y]!;
    const o = y * outW;
    for (let x = 0; x < outW; x++) {
      const c0 = tw.i0[x]!;
      const c1 = tw.i1[x]!;
      const v0 = tw.w0[x]!;
      const v1 = tw.w1[x]!;
      const t0 = fr(src[r0 + c0]! * v0 + fr(src[r0 + c1]! * v1));
      const t1 = fr(src[r1 + c0]! * v0 + fr(src[r1 + c1]! * v1));
      dst[o + x] = t0 * h0 + fr(t1 * h1);
    }
  }
  return dst;
}

/** Shared argument checks of the plane resizers (programming errors, not user input). */
export function checkPlane(src: Float32Array, inH: number, inW: number, outH: number, outW: number, dst: Float32Array): void {
  for (const [name, v] of [
    ['inH', inH],
    ['inW', inW],
    ['outH', outH],
    ['outW', outW],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw usageError(`resize: ${name} must be a positive integer, got ${v}`);
  }
  if (src.length < inH * inW) throw internalError(`resize: source has ${src.length} values, expected ${inH * inW}`);
  if (dst.length < outH * outW) throw internalError(`resize: destination has ${dst.length} values, expected ${outH * outW}`);
}
