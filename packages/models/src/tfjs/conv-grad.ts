/**
 * Convolution gradients built from the forward `Conv2D` kernel only, for tfjs-backend-wasm:
 * - wasm has no `Conv2DBackpropFilter` kernel, so tfjs's own conv2d gradient throws there;
 * - wasm's `Conv2DBackpropInput` (tf.conv2dTranspose) runs at ~4.7 GFLOP/s against ~40 for
 *   `Conv2D` (XNNPACK), so a transposed convolution is faster as one stride-1 conv2d over the
 *   input (all s² output phases stacked as output channels) followed by depth-to-space.
 * Every function here is made of Conv2D, Pad, Slice, Reshape, Transpose and Reverse, whose
 * gradients are again such ops (with the Conv2D gradient that training-fixes.ts registers from
 * these functions), so gradients of any order stay on fast kernels.
 *
 * Layouts are tfjs's (NHWC): a conv filter is [kh, kw, inC, outC]; a transposed conv's filter is
 * [kh, kw, outC, inC] — the filter of the forward conv whose input gradient it computes.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { internalError } from '@gen-eval/metrics/errors';

type TF = typeof tfNs;
type T4 = tfNs.Tensor4D;

/** Explicit padding of a 2-D convolution: rows added above/below, columns left/right. */
export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Pads x spatially; negative amounts crop instead (an input region that no output reads).
 * Returns x itself when nothing changes.
 */
function padOrCrop(tf: TF, x: T4, p: Pads): T4 {
  const [n, h, w, c] = x.shape;
  const ct = Math.max(0, -p.top);
  const cb = Math.max(0, -p.bottom);
  const cl = Math.max(0, -p.left);
  const cr = Math.max(0, -p.right);
  let y = x;
  if (ct + cb + cl + cr > 0) y = tf.slice(y, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]);
  const pt = Math.max(0, p.top);
  const pb = Math.max(0, p.bottom);
  const pl = Math.max(0, p.left);
  const pr = Math.max(0, p.right);
  if (pt + pb + pl + pr > 0)
    y = tf.pad(y, [
      [0, 0],
      [pt, pb],
      [pl, pr],
      [0, 0],
    ]);
  return y;
}

/**
 * The gradient of a stride-s convolution with respect to its filter, as ONE stride-1 conv2d
 * with dilation s: dW[t, u, i, o] = Σ_{n,a,b} x[n, a·s + t − top, b·s + u − left, i] · dy[n, a, b, o],
 * i.e. x transposed to [inC, H, W, N] (batch ↔ channels) correlated with dy transposed to
 * [Ho, Wo, N, outC] used as a dilated filter. Forward dilation must be 1.
 * @param x the forward input [N, H, W, inC]; @param dy the output gradient [N, Ho, Wo, outC].
 */
export function conv2dFilterGrad(tf: TF, x: T4, dy: T4, kh: number, kw: number, strides: [number, number], pads: Pads): T4 {
  const [sh, sw] = strides;
  const [, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  // The padded input must span exactly (Ho − 1)·s + k rows so that the output is k × k.
  const bottom = (ho - 1) * sh + kh - h - pads.top;
  const right = (wo - 1) * sw + kw - w - pads.left;
  const xp = padOrCrop(tf, x, { top: pads.top, bottom, left: pads.left, right });
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as T4; // [inC, H', W', N]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as T4; // [Ho, Wo, N, outC]
  const g = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]); // [inC, kh, kw, outC]
  return tf.transpose(g, [1, 2, 0, 3]) as T4;
}

/**
 * Depth-to-space (tf.depthToSpace's NHWC channel order; a sub-pixel convolution's "pixel
 * shuffle"): out[n, h·s_h + i, w·s_w + j, c] = x[n, h, w, (i·s_w + j)·C + c]. Made of Reshape and
 * Transpose, whose gradients every backend has (wasm registers none for DepthToSpace).
 * @param x [N, h, w, s_h·s_w·C] → [N, h·s_h, w·s_w, C].
 */
export function depthToSpace(tf: TF, x: T4, [sh, sw]: [number, number]): T4 {
  const [n, h, w, d] = x.shape;
  const c = d / (sh * sw);
  if (!Number.isInteger(c)) throw internalError(`depth-to-space by ${sh}×${sw} needs channels divisible by ${sh * sw}, got ${d}`);
  return tf.reshape(tf.transpose(tf.reshape(x, [n, h, w, sh, sw, c]), [0, 1, 3, 2, 4, 5]), [n, h * sh, w * sw, c]) as T4;
}

/**
 * Transposed convolution (the input gradient of a conv) by polyphase decomposition:
 *   y[i] = Σ_{o,t : i = o·s + t − top} x[o] · W[t]
 * Writing i + top = s·m + r (0 ≤ r < s) gives y = Σ_j x[m − j] · W[s·j + r]: for each phase r a
 * stride-1 correlation of x with the sub-filter W[r::s] flipped. All s_h·s_w phases run as one
 * conv2d whose output channels are (r_h, r_w, outC), then depth-to-space interleaves them.
 * @param x [N, h, w, inC] (the forward conv's output gradient, or a generator's feature map).
 * @param W [kh, kw, outC, inC] (tfjs conv2dTranspose layout).
 * @param outHW the output's spatial size [H, W].
 * @param strides [s_h, s_w]; @param pads the forward conv's padding (top/left used).
 * @returns [N, H, W, outC] — what tf.conv2dTranspose(x, W, [N, H, W, outC], strides, pads) gives.
 */
export function transposedConv2d(tf: TF, x: T4, W: T4, outHW: [number, number], strides: [number, number], pads: Pads): T4 {
  const [n, h, w, inC] = x.shape;
  const [kh, kw, outC] = W.shape;
  const [sh, sw] = strides;
  const [H, Wd] = outHW;
  const Kh = Math.ceil(kh / sh);
  const Kw = Math.ceil(kw / sw);
  // The phase filter F[a, b, inC, (rh, rw, outC)] = W[s·(K − 1 − a) + rh, …] (zero past k).
  let Wp: tfNs.Tensor = W;
  if (Kh * sh > kh || Kw * sw > kw)
    Wp = tf.pad(W, [
      [0, Kh * sh - kh],
      [0, Kw * sw - kw],
      [0, 0],
      [0, 0],
    ]);
  let F: tfNs.Tensor = tf.reshape(Wp, [Kh, sh, Kw, sw, outC, inC]);
  F = tf.reverse(F, [0, 2]);
  F = tf.reshape(tf.transpose(F, [0, 2, 5, 1, 3, 4]), [Kh, Kw, inC, sh * sw * outC]);
  // Output rows m ∈ [m0, m1) are needed; output m reads x[m − K + 1 … m].
  const m0h = Math.floor(pads.top / sh);
  const m1h = Math.floor((pads.top + H - 1) / sh) + 1;
  const m0w = Math.floor(pads.left / sw);
  const m1w = Math.floor((pads.left + Wd - 1) / sw) + 1;
  const top = Kh - 1 - m0h;
  const left = Kw - 1 - m0w;
  const xp = padOrCrop(tf, x, {
    top,
    bottom: m1h - m0h + Kh - 1 - h - top,
    left,
    right: m1w - m0w + Kw - 1 - w - left,
  });
  const z = tf.conv2d(xp, F as T4, 1, 'valid'); // [N, Mh, Mw, sh·sw·outC]
  const Mh = m1h - m0h;
  const Mw = m1w - m0w;
  const d2s = depthToSpace(tf, z, [sh, sw]);
  const oh = pads.top - m0h * sh;
  const ow = pads.left - m0w * sw;
  if (oh === 0 && ow === 0 && Mh * sh === H && Mw * sw === Wd) return d2s;
  // Crop on a [N, rows, cols·C] view: wasm's 4-D Slice copies one channel run per pixel (slow for
  // few channels); here each row's columns and channels are one contiguous run.
  const rows = tf.reshape(d2s, [n, Mh * sh, Mw * sw * outC]);
  return tf.reshape(tf.slice(rows, [0, oh, ow * outC], [n, H, Wd * outC]), [n, H, Wd, outC]) as T4;
}

/** Forward attributes of a Conv2D / Conv2DBackpropInput kernel, as tfjs records them. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tfNs.backend_util.ExplicitPadding;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Resolves a forward conv's padding to explicit amounts (tfjs's own rules, via computeConv2DInfo). */
export function resolveConv(tf: TF, xShape: number[], filterShape: number[], attrs: ConvAttrs): { pads: Pads; strides: [number, number]; outHW: [number, number] } {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  return { pads: { top, bottom, left, right }, strides: [info.strideHeight, info.strideWidth], outHW: [info.outHeight, info.outWidth] };
}

/** True when the gradients here apply: NHWC and no dilation (otherwise keep tfjs's own). */
export function handledByConvGrad(attrs: ConvAttrs): boolean {
  const d = attrs.dilations ?? 1;
  const dOne = Array.isArray(d) ? d.every((v) => v === 1) : d === 1;
  return dOne && (attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC' || attrs.dataFormat === 'channelsLast');
}
