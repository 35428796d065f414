/**
 * `gen-eval stats FOLDER|FEATURES.npy -o OUT.npz [--shard i/n] [--json]` — mean and covariance
 * (ddof 1) saved in pytorch-fid's `--save-stats` format (mu, sigma; plus num_samples, which numpy
 * and pytorch-fid ignore). With `--shard`, only one contiguous block of the folder's sorted file
 * list is read, and the file also records what `merge-stats` needs to merge the shards exactly.
 * The file is written atomically.
 */
import { extname } from 'node:path';
import {
  encodeShardNpz,
  gaussianStats,
  listingFingerprint,
  sampleSizeWarnings,
  SHARD_FORMAT,
  shardRange,
  writeFileAtomic,
  writeStatsNpz,
  type GaussianStats,
  type ShardRecord,
  type ShardSpec,
} from '@gen-eval/metrics';
import { featuresOf } from '@gen-eval/metrics/extract';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import type { ImageListing } from '@gen-eval/metrics/images';
import { loadInputs } from '../read-inputs.js';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputs, isSpecial } from '../output-path.js';

export interface StatsCommandOptions extends OutputOptions {
  output: string;
  shard?: ShardSpec;
  /** How the command line names the output (`fid A B --save-stats` names it B). */
  outputOption?: string;
}

export async function run(featuresPath: string, opts: StatsCommandOptions): Promise<void> {
  // numpy's savez appends ".npz" to other names, so pytorch-fid users expect exactly this suffix (a device such as /dev/stdout has no name to mistake).
  if (extname(opts.output).toLowerCase() !== '.npz' && !isSpecial(opts.output)) throw inputError(opts.output, 'the output file must end in .npz');
  checkOutputs({ inputs: [featuresPath], outputs: [{ path: opts.output, option: opts.outputOption ?? '-o' }] });
  if (opts.shard) return runShard(featuresPath, opts, opts.shard);
  // An image folder's statistics were streamed by the pipeline (which also cached its features).
  const {
    inputs: [input],
    warnings,
  } = await loadInputs([featuresPath], opts, { accept: ['images', 'features'] });
  const s: GaussianStats = input!.kind === 'images' ? input!.set.stats : await gaussianStats(featuresOf(input!, 'stats'));
  writeStatsNpz(opts.output, { mu: s.mu, sigma: s.sigma, n: s.n });
  emit({ output: opts.output, n: s.n, dims: s.dims, input: featuresPath }, opts, `wrote ${opts.output}: mu (${s.dims}) and sigma (${s.dims}×${s.dims}) from ${s.n} samples`, [
    ...warnings,
    ...sampleSizeWarnings(s.n, s.dims, featuresPath),
  ]);
}

/** One shard of an image folder: its block of the sorted listing, and the record merging checks. */
async function runShard(folder: string, opts: StatsCommandOptions, shard: ShardSpec): Promise<void> {
  let block: { start: number; end: number; total: number; fingerprint: string } | undefined;
  const select = (listing: ImageListing): ImageListing => {
    const total = listing.files.length;
    const { start, end } = shardRange(total, shard);
    // The pipeline needs two images for a covariance; with n ≤ N/2 every block has at least two.
    if (end - start < 2) {
      throw inputError(
        folder,
        `shard ${shard.index}/${shard.count} would hold ${end - start} of its ${total} images; each shard needs at least 2, so use at most ${Math.max(1, Math.floor(total / 2))} shards`,
      );
    }
    block = { start, end, total, fingerprint: listingFingerprint(listing.files) };
    return { ...listing, files: listing.files.slice(start, end) };
  };
  const {
    inputs: [input],
    warnings,
  } = await loadInputs([folder], opts, { accept: ['images'], select });
  if (input!.kind !== 'images' || block === undefined) throw new GenEvalError(`${folder}: --shard applies to image folders only`);
  const set = input!.set;
  const record: ShardRecord = {
    format: SHARD_FORMAT,
    index: shard.index,
    count: shard.count,
    start: block.start,
    end: block.end,
    total_files: block.total,
    fingerprint: block.fingerprint,
    extractor: set.extractor,
    dims: set.dims,
    profile: set.profile,
    skipped: set.skipped.length,
    source: folder,
  };
  const s = set.stats;
  writeFileAtomic(opts.output, encodeShardNpz({ mu: s.mu, sigma: s.sigma, n: set.n, dims: set.dims }, record));
  emit(
    {
      output: opts.output,
      n: set.n,
      dims: set.dims,
      input: folder,
      shard: { index: shard.index, count: shard.count, start: block.start, end: block.end, total_files: block.total, fingerprint: block.fingerprint },
    },
    opts,
    `wrote ${opts.output}: shard ${shard.index}/${shard.count} (files ${block.start}…${block.end - 1} of ${block.total}), ${set.n} samples; merge all ${shard.count} with gen-eval merge-stats`,
    warnings,
  );
}
