/**
 * `gen-eval stats FOLDER|FEATURES.npy -o OUT.npz [--json]` — mean and covariance (ddof 1) saved in
 * pytorch-fid's `--save-stats` format (mu, sigma; plus num_samples, which numpy and pytorch-fid
 * ignore). The file is written atomically.
 */
import { extname } from 'node:path';
import { featuresOf, gaussianStats, inputError, sampleSizeWarnings, writeStatsNpz, type GaussianStats } from '@gen-eval/metrics';
import { loadInputs } from '../read-inputs.js';
import { emit, type OutputOptions } from '../output.js';

export interface StatsCommandOptions extends OutputOptions {
  output: string;
}

export async function run(featuresPath: string, opts: StatsCommandOptions): Promise<void> {
  // numpy's savez appends ".npz" to other names, so pytorch-fid users expect exactly this suffix.
  if (extname(opts.output).toLowerCase() !== '.npz') throw inputError(opts.output, 'the output file must end in .npz');
  // An image folder's statistics were streamed by the pipeline (which also cached its features).
  const { inputs: [input], warnings } = await loadInputs([featuresPath], opts, { accept: ['images', 'features'] });
  const s: GaussianStats = input!.kind === 'images' ? input!.set.stats : await gaussianStats(featuresOf(input!, 'stats'));
  writeStatsNpz(opts.output, { mu: s.mu, sigma: s.sigma, n: s.n });
  emit(
    { output: opts.output, n: s.n, dims: s.dims, input: featuresPath },
    opts,
    `wrote ${opts.output}: mu (${s.dims}) and sigma (${s.dims}×${s.dims}) from ${s.n} samples`,
    [...warnings, ...sampleSizeWarnings(s.n, s.dims, featuresPath)],
  );
}
