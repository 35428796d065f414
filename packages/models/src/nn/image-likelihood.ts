/**
 * Likelihoods of 8-bit images, for models that report held-out log-likelihoods in comparable
 * units. Image data are NHWC floats x = p/127.5 − 1 of bytes p ∈ {0, …, 255} (data/image-set.ts),
 * so a pixel's bin is [x − 1/255, x + 1/255]. Both routes give an upper bound on −log P(bytes)
 * in nats per image (divide by D·ln 2 for bits per dimension), so a VAE's negative ELBO and a
 * flow's negative log-likelihood compare with each other and with the literature's MNIST numbers:
 * - discretizedLogisticNll: the discretised logistic of PixelCNN++ (Salimans et al. 2017) — the
 *   probability mass of the bin under a logistic(μ, s), the edge bins taking the tails;
 * - the dequantisation of Dinh et al. 2017 (RealNVP §4.1, "uniform noise… then logit"):
 *   u = (p + U(0, 1))/256 ∈ (0, 1), y = logit(α + (1 − 2α)u); then
 *   −log P(p) ≤ −E[log p_Y(y) + log |dy/du|] + D·log 256.
 * Values off the byte grid (Pillow-resized images) are rounded to the nearest byte by the flow's
 * dequantisation, and treated as if they were bytes (p real) by the discretised logistic.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';

/** Half a bin in [−1, 1] units (the 256 bins of a byte are 2/255 apart). */
const HALF_BIN = 1 / 255;

/**
 * −log P(x) per row under independent discretised logistics (mean, log-scale per value), in
 * nats. x, mean and logScale are [N, D]. PixelCNN++'s formula: the bin's CDF difference, the
 * lowest bin taking (−∞, x + 1/255] and the highest [x − 1/255, ∞); where the difference would
 * underflow in float32 (< 1e-5), the density at the bin's centre times its width.
 */
export function discretizedLogisticNll(tf: TF, x: tfNs.Tensor2D, mean: tfNs.Tensor2D, logScale: tfNs.Tensor2D): tfNs.Tensor1D {
  const centred = tf.sub(x, mean);
  const invS = tf.exp(tf.neg(logScale));
  const plusIn = tf.mul(invS, tf.add(centred, HALF_BIN));
  const minIn = tf.mul(invS, tf.sub(centred, HALF_BIN));
  const logCdfPlus = tf.sub(plusIn, tf.softplus(plusIn)); // log σ(a) = a − softplus(a)
  const logOneMinusCdfMin = tf.neg(tf.softplus(minIn)); // log(1 − σ(a)) = −softplus(a)
  const cdfDelta = tf.sub(tf.sigmoid(plusIn), tf.sigmoid(minIn));
  const midIn = tf.mul(invS, centred);
  const logPdfMid = tf.sub(tf.sub(midIn, logScale), tf.mul(2, tf.softplus(midIn)));
  const inner = tf.where(tf.greater(cdfDelta, 1e-5), tf.log(tf.maximum(cdfDelta, 1e-12)), tf.sub(logPdfMid, Math.log(127.5)));
  const logP = tf.where(tf.less(x, -1 + HALF_BIN), logCdfPlus, tf.where(tf.greater(x, 1 - HALF_BIN), logOneMinusCdfMin, inner));
  return tf.neg(tf.sum(logP, 1)) as tfNs.Tensor1D;
}

/** RealNVP's α of the logit transform on MNIST-like data. */
export const LOGIT_ALPHA = 0.05;

/**
 * How images are dequantised: `bits` of colour depth (Glow's n_bits_x; 8 keeps every byte), and
 * RealNVP's α of the logit transform.
 */
export interface DequantizeOptions {
  bits?: number;
  alpha?: number;
}

/**
 * Dequantised, logit-transformed data: y = logit(α + (1 − 2α)u) with u = (q + U(0, 1))/2ⁿ, where
 * q = ⌊p / 2⁸⁻ⁿ⌋ is the byte p = round((x + 1)·127.5) reduced to n bits, and log |dy/du| summed per row
 * (float64 on the CPU; n × dims rows). At n < 8 the byte within its coarse bin is modelled as
 * uniform, so −log P(bytes) ≤ −E[log p_U(u)] + D·log 256 holds at every n: the coarse bins'
 * mass costs D·n·log 2 and the uniform choice within a bin D·(8 − n)·log 2.
 */
export function dequantizeLogit(x: Float32Array, dims: number, rng: Rng, opts: DequantizeOptions = {}): { y: Float32Array; logDet: Float32Array } {
  const alpha = opts.alpha ?? LOGIT_ALPHA;
  const levels = 2 ** (opts.bits ?? 8);
  const binWidth = 256 / levels;
  const n = x.length / dims;
  const y = new Float32Array(x.length);
  const logDet = new Float32Array(n);
  const c = Math.log(1 - 2 * alpha);
  for (let i = 0; i < n; i++) {
    let ld = 0;
    for (let d = 0; d < dims; d++) {
      const k = i * dims + d;
      const q = Math.min(Math.floor(Math.round((x[k]! + 1) * 127.5) / binWidth), levels - 1);
      const u = (q + rng.uniform()) / levels;
      const v = alpha + (1 - 2 * alpha) * Math.min(Math.max(u, 0), 1);
      y[k] = Math.log(v) - Math.log(1 - v);
      ld += c - Math.log(v) - Math.log(1 - v);
    }
    logDet[i] = ld;
  }
  return { y, logDet };
}

/**
 * The inverse of dequantizeLogit's map to data units: u = (sigmoid(y) − α)/(1 − 2α), its level
 * q = ⌊2ⁿu⌋ (clipped to the 2ⁿ levels), shown as the byte q·255/(2ⁿ − 1) in [−1, 1] units, so
 * that the darkest and brightest levels are 0 and 255 (Glow floors to q·2⁸⁻ⁿ, which would cap
 * white at 224 for 3 bits). At n = 8 this is the byte p itself.
 */
export function logitToImage(tf: TF, y: tfNs.Tensor2D, opts: DequantizeOptions = {}): tfNs.Tensor2D {
  const alpha = opts.alpha ?? LOGIT_ALPHA;
  const levels = 2 ** (opts.bits ?? 8);
  const u = tf.div(tf.sub(tf.sigmoid(y), alpha), 1 - 2 * alpha);
  const q = tf.clipByValue(tf.floor(tf.mul(u, levels)), 0, levels - 1);
  return tf.sub(tf.mul(q, 255 / (levels - 1) / 127.5), 1) as tfNs.Tensor2D;
}

/** Nats per image → bits per dimension. */
export function bitsPerDim(natsPerImage: number, dims: number): number {
  return natsPerImage / (dims * Math.LN2);
}
