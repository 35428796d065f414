/**
 * `--shard i/n`: which block of a folder's sorted file list this machine reads. Indices are
 * 0-based (0 … n−1), as Kubernetes' JOB_COMPLETION_INDEX, so `--shard $JOB_COMPLETION_INDEX/n`
 * works as is. Plain decimal integers only.
 */
import type { ShardSpec } from '@gen-eval/metrics';
import { OptionValueError } from './output.js';

/** The most shards a folder may be split into (a sanity bound, far beyond any job runner). */
export const MAX_SHARDS = 100_000;

/** Parses `i/n` (0 ≤ i < n ≤ MAX_SHARDS); anything else is a usage error naming the option. */
export function parseShard(value: string): ShardSpec {
  const m = /^(\d{1,9})\/(\d{1,9})$/.exec(value.trim());
  if (!m) throw new OptionValueError(`--shard must be INDEX/COUNT with decimal integers, e.g. 0/4, got "${value}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new OptionValueError(`--shard COUNT must be 1 … ${MAX_SHARDS}, got "${value}"`);
  if (index >= count) throw new OptionValueError(`--shard INDEX is 0-based and must be 0 … ${count - 1} for ${count} shards, got "${value}"`);
  return { index, count };
}
