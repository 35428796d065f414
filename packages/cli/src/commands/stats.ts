/**
 * `gen-eval stats FEATURES.npy -o OUT.npz [--json]` — mean and covariance (ddof 1) saved in
 * pytorch-fid's `--save-stats` format (mu, sigma; plus num_samples, which numpy and pytorch-fid
 * ignore). The file is written atomically.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { gaussianStats, inputError, sampleSizeWarnings, writeStatsNpz, type GaussianStats } from '@gen-eval/metrics';
import { loadInput } from '../inputs.js';
import { loadInputs } from '../read-inputs.js';
import { emit, type OutputOptions } from '../output.js';

export interface StatsCommandOptions extends OutputOptions {
  output: string;
}

/** True for an existing folder (files and missing paths go to the file loader, which names the problem). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function run(featuresPath: string, opts: StatsCommandOptions): Promise<void> {
  // numpy's savez appends ".npz" to other names, so pytorch-fid users expect exactly this suffix.
  if (extname(opts.output).toLowerCase() !== '.npz') throw inputError(opts.output, 'the output file must end in .npz');
  let s: GaussianStats;
  let warnings: string[] = [];
  if (isDirectory(featuresPath)) {
    // An image folder: the pipeline already streamed its statistics (and cached its features).
    const loaded = await loadInputs([featuresPath], opts);
    const input = loaded.inputs[0]!;
    if (input.kind !== 'images') throw new Error('unreachable: a folder loads as images');
    s = input.set.stats;
    warnings = loaded.warnings;
  } else {
    const x = loadInput(featuresPath, { accept: ['features'] });
    if (x.kind !== 'features') throw new Error('unreachable: stats input accepted');
    s = await gaussianStats(x.features);
  }
  writeStatsNpz(opts.output, { mu: s.mu, sigma: s.sigma, n: s.n });
  emit(
    { output: opts.output, n: s.n, dims: s.dims, input: featuresPath },
    opts,
    `wrote ${opts.output}: mu (${s.dims}) and sigma (${s.dims}×${s.dims}) from ${s.n} samples`,
    [...warnings, ...sampleSizeWarnings(s.n, s.dims, featuresPath)],
  );
}
