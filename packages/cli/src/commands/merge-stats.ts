/**
 * `gen-eval merge-stats part-*.npz -o all.npz [--json]` — the statistics of a whole folder from the
 * shard files of `gen-eval stats FOLDER --shard i/n`, merged exactly (Chan et al.'s pairwise
 * formula in float64, in shard order). The shards are checked first: all n of one split, each
 * once, of the same file list, extractor, weights, dims and profile. The output is a plain
 * pytorch-fid stats file (mu, sigma, num_samples), written atomically.
 */
import { extname } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import { mergeShardFiles, sampleSizeWarnings, writeStatsNpz } from '@gen-eval/metrics';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputs, isSpecial } from '../output-path.js';

export interface MergeStatsOptions extends OutputOptions {
  output: string;
}

export function run(shardPaths: string[], opts: MergeStatsOptions): void {
  if (extname(opts.output).toLowerCase() !== '.npz' && !isSpecial(opts.output)) throw inputError(opts.output, 'the output file must end in .npz');
  // Overwriting a shard with the merged file would lose it if the merge were ever re-run.
  checkOutputs({ inputs: shardPaths, outputs: [{ path: opts.output, option: '-o' }] });
  const merged = mergeShardFiles(shardPaths);
  const s = merged.stats;
  const first = merged.shards[0]!.record;
  writeStatsNpz(opts.output, { mu: s.mu, sigma: s.sigma, n: s.n });
  emit(
    {
      output: opts.output,
      n: s.n,
      dims: s.dims,
      shards: merged.shards.length,
      total_files: first.total_files,
      skipped: merged.skipped,
      extractor: first.extractor,
      fingerprint: first.fingerprint,
      inputs: merged.shards.map((x) => x.path),
    },
    opts,
    `wrote ${opts.output}: mu (${s.dims}) and sigma (${s.dims}×${s.dims}) from ${s.n} samples in ${merged.shards.length} shards`,
    sampleSizeWarnings(s.n, s.dims, first.source),
  );
}
