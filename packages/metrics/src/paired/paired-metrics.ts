/**
 * `pairedMetrics(ref, test, { metrics })`: PSNR, SSIM and L1 of every matched image pair and their
 * means — what `gen-eval psnr|ssim|l1` print. The unpaired `evaluate` compares two distributions
 * through an extractor's features; these compare each output with its own target pixel by pixel,
 * so they take pairs instead and never load a network.
 */
import { usageError, orList } from '../errors.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import type { PairedInput } from './paired-inputs.js';
import type { PixelImage } from './pixel-image.js';
import { psnr } from './psnr.js';
import { ssim, SSIM_CONVENTION } from './ssim.js';

/** The paired metrics by metric key, in the metric table's order. */
export const PAIRED_METRICS = {
  l1: { label: 'L1', fn: meanAbsoluteError, convention: 'mean |ref − test| / 255 over pixels and channels, on the 0–255 scale' },
  psnr: { label: 'PSNR', fn: psnr, convention: '10·log10(255² / MSE) per image (MSE over pixels and channels, 0–255 scale); Infinity for an identical pair' },
  ssim: {
    label: 'SSIM',
    fn: ssim,
    convention: `Wang et al. 2004: ${SSIM_CONVENTION.window}×${SSIM_CONVENTION.window} Gaussian window σ = ${SSIM_CONVENTION.sigma}, K1 = ${SSIM_CONVENTION.k1}, K2 = ${SSIM_CONVENTION.k2}, L = 255, population statistics, mean over the valid region, then over channels`,
  },
} as const satisfies Record<string, { label: string; fn: (a: PixelImage, b: PixelImage) => number; convention: string }>;

/** A paired metric key: `l1`, `psnr` or `ssim`. */
export type PairedMetricName = keyof typeof PAIRED_METRICS;

/** The paired metric keys, in the metric table's order. */
export const PAIRED_METRIC_NAMES = Object.keys(PAIRED_METRICS) as readonly PairedMetricName[];

/** Each paired metric's convention in words (help texts, `--json` results). */
export const PAIRED_CONVENTIONS: Readonly<Record<PairedMetricName, string>> = Object.fromEntries(PAIRED_METRIC_NAMES.map((m) => [m, PAIRED_METRICS[m].convention])) as Record<
  PairedMetricName,
  string
>;

/** One pair's values. */
export interface PairedImageValues {
  /** The relative file name (a folder is involved) or the row index (arrays, images in memory). */
  readonly name: string;
  readonly values: Readonly<Partial<Record<PairedMetricName, number>>>;
}

/** What {@link pairedMetrics} returns. */
export interface PairedMetricsResult {
  /**
   * The mean over pairs of each metric's per-image values: `psnr` is `Infinity` when any pair is
   * identical (JSON.stringify writes that as null).
   */
  readonly result: Readonly<Partial<Record<PairedMetricName, number>>>;
  readonly perImage: readonly PairedImageValues[];
  /** Number of pairs. */
  readonly n: number;
  /** Pairs whose images are identical (PSNR infinite). */
  readonly identicalPairs: number;
  /** Each computed metric's convention, in words. */
  readonly conventions: Readonly<Partial<Record<PairedMetricName, string>>>;
}

/** Options of {@link pairedMetrics}. */
export interface PairedMetricsOptions {
  /** The metrics to compute (default: all three). */
  readonly metrics?: readonly PairedMetricName[];
  /** Stops between pairs: the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * The paired metrics of `test` against `ref`: two image folders matched by relative file name (without extension), two
 * `.npy` image arrays of one shape (uint8 0–255 or floats in [0, 1], scaled by 255), a folder and an
 * `.npy` (files in sorted relative-name order), or arrays of {@link PixelImage}s (values on [0, 255]).
 * @throws GenEvalError: usage for an unknown metric; bad_input naming the file for unmatched
 * names, counts or sizes that differ, images below SSIM's 11×11 window, undecodable images.
 */
export async function pairedMetrics(ref: PairedInput, test: PairedInput, opts: PairedMetricsOptions = {}): Promise<PairedMetricsResult> {
  const metrics = opts.metrics ?? PAIRED_METRIC_NAMES;
  const unknown = metrics.find((m) => !Object.hasOwn(PAIRED_METRICS, m));
  if (unknown !== undefined) throw usageError(`unknown paired metric "${unknown}"; expected ${orList(PAIRED_METRIC_NAMES)}`);
  if (metrics.length === 0) throw usageError(`no paired metric requested; expected ${orList(PAIRED_METRIC_NAMES)}`);
  const chosen = PAIRED_METRIC_NAMES.filter((m) => metrics.includes(m));
  const minSize = chosen.includes('ssim') ? { size: SSIM_CONVENTION.window, why: "SSIM's Gaussian window" } : undefined;
  const perImage: PairedImageValues[] = [];
  const sums: Partial<Record<PairedMetricName, number>> = {};
  let identicalPairs = 0;
  // Imported when called: reading folders and arrays pulls in the image pipeline (no addon at import).
  const { readImagePairs } = await import('./paired-inputs.js');
  for await (const pair of readImagePairs(ref, test, { minSize })) {
    opts.signal?.throwIfAborted();
    const values: Partial<Record<PairedMetricName, number>> = {};
    for (const m of chosen) {
      values[m] = PAIRED_METRICS[m].fn(pair.ref, pair.test);
      sums[m] = (sums[m] ?? 0) + values[m];
    }
    if (identical(pair.ref, pair.test)) identicalPairs++;
    perImage.push({ name: pair.name, values });
  }
  const result = Object.fromEntries(chosen.map((m) => [m, sums[m]! / perImage.length]));
  const conventions = Object.fromEntries(chosen.map((m) => [m, PAIRED_CONVENTIONS[m]]));
  return { result, perImage, n: perImage.length, identicalPairs, conventions };
}

function identical(a: PixelImage, b: PixelImage): boolean {
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}
