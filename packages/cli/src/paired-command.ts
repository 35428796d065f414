/**
 * What `gen-eval psnr|ssim|l1 REF TEST [--per-image FILE.csv] [--json]` share: each compares every
 * test image with its reference (folders matched by relative file name without extension, `.npy` image arrays, or
 * one of each), prints the mean over pairs, and optionally writes the per-image values as CSV.
 */
import { METRIC_TABLE, pairedMetrics, writeFileAtomic, type PairedMetricName } from '@gen-eval/metrics';
import { emit, type OutputOptions } from './output.js';
import { checkOutputs } from './output-path.js';

export interface PairedCommandOptions extends OutputOptions {
  perImage?: string;
}

/** A value for people and for CSV: numpy's spelling of an infinite PSNR (`inf`), which numpy, pandas and Python read back. */
const show = (v: number) => (v === Infinity ? 'inf' : String(v));

export async function runPaired(metric: PairedMetricName, refPath: string, testPath: string, opts: PairedCommandOptions): Promise<void> {
  if (opts.perImage !== undefined) checkOutputs({ inputs: [refPath, testPath], outputs: [{ path: opts.perImage, option: '--per-image' }] });
  const r = await pairedMetrics(refPath, testPath, { metrics: [metric] });
  const mean = r.result[metric]!;
  if (opts.perImage !== undefined) {
    const { toCsv } = await import('@gen-eval/report');
    writeFileAtomic(opts.perImage, toCsv([['name', metric], ...r.perImage.map((p) => [p.name, show(p.values[metric]!)])]));
  }
  const spec = METRIC_TABLE[metric];
  const identical = r.identicalPairs > 0 ? `; ${r.identicalPairs} identical` : '';
  emit(
    {
      metric,
      // JSON.stringify writes an infinite mean (an identical pair's PSNR) as null; identical_pairs says why.
      [metric]: mean,
      n: r.n,
      identical_pairs: r.identicalPairs,
      convention: r.conventions[metric],
      inputs: [refPath, testPath],
      ...(opts.perImage !== undefined ? { per_image: opts.perImage } : {}),
    },
    opts,
    `${spec.label}: ${show(mean)}${spec.unit === 'dB' ? ' dB' : ''}  (mean of ${r.n} pair${r.n === 1 ? '' : 's'}${identical})`,
  );
}
