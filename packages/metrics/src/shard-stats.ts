/**
 * Sharded statistics: one image folder's mean and covariance computed on several machines and
 * merged exactly.
 *
 * A shard is a contiguous block of the folder's sorted file list (the order every command reads
 * images in): shard i of n holds files [⌊i·N/n⌋, ⌊(i+1)·N/n⌋). Its file is a pytorch-fid stats
 * `.npz` (mu, sigma, num_samples — valid on its own) plus a `shard` record (UTF-8 JSON as uint8)
 * saying which block of which listing it holds, and how its features were made. Merging checks
 * that the shards belong together (same listing, extractor, dims, profile; each index once, none
 * missing) and combines them with Chan et al.'s pairwise formula, which is exact up to rounding:
 * the merged mu/sigma equal the single-machine ones to ~1e-15 relative.
 */
import { createHash } from 'node:crypto';
import { GenEvalError, inputError, usageError } from './errors.js';
import { GaussianAccumulator, type GaussianStats } from './gaussian-stats.js';
import { encodeNpz, parseNpz, parseStatsNpz } from './io/npz.js';
import { readInputFile } from './io/read-input-file.js';

/** Version tag of the shard record; merging refuses any other. */
export const SHARD_FORMAT = 'gen-eval-stats-shard/1';

/** Shard `index` (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** The block [start, end) of a sorted list of `total` files that shard `spec` holds. */
export function shardRange(total: number, spec: ShardSpec): { start: number; end: number } {
  const { index, count } = spec;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw usageError(`shardRange: invalid shard ${index}/${count}`);
  }
  // Contiguous blocks of sizes ⌊N/n⌋ or ⌈N/n⌉. (index·total stays far below 2⁵³.)
  return { start: Math.floor((index * total) / count), end: Math.floor(((index + 1) * total) / count) };
}

/**
 * SHA-256 of a folder's sorted listing (relative path and size of every image), the identity
 * shards are checked against: shards made from folders with different files refuse to merge.
 * Times are left out on purpose, since copies of a folder on different machines differ in them.
 */
export function listingFingerprint(files: readonly { readonly relPath: string; readonly size: number }[]): string {
  const h = createHash('sha256');
  // A path cannot contain NUL, and the size ends at the newline: the encoding is unambiguous.
  for (const f of files) h.update(`${f.relPath}\0${f.size}\n`);
  return h.digest('hex');
}

/** What a shard file records besides its statistics (the `shard` entry, snake_case JSON). */
export interface ShardRecord {
  readonly format: typeof SHARD_FORMAT;
  readonly index: number;
  readonly count: number;
  /** The shard's block [start, end) of the sorted listing. */
  readonly start: number;
  readonly end: number;
  /** Images in the whole folder, and the listing's {@link listingFingerprint}. */
  readonly total_files: number;
  readonly fingerprint: string;
  /** Extractor identity: network, weights hash (first 8 hex digits of its SHA-256) and output, e.g. `inception@6726825d:2048`. */
  readonly extractor: string;
  readonly dims: number;
  /** The preprocessing profile record (PreprocessProfile). */
  readonly profile: unknown;
  /** Images of the block that were skipped as undecodable (--skip-bad). */
  readonly skipped: number;
  /** The folder as given on the command line (for messages only; machines may mount it elsewhere). */
  readonly source: string;
}

/** Encodes a shard file: the stats as pytorch-fid writes them, plus the shard record. */
export function encodeShardNpz(stats: GaussianStats, record: ShardRecord): Uint8Array {
  const d = stats.dims;
  const json = new TextEncoder().encode(JSON.stringify(record));
  return encodeNpz({
    mu: { data: stats.mu, shape: [d] },
    sigma: { data: stats.sigma, shape: [d, d] },
    num_samples: { data: BigInt64Array.of(BigInt(stats.n)), shape: [] },
    shard: { data: json, shape: [json.length] },
  });
}

/** A parsed shard file. */
export interface ShardFile {
  readonly path: string;
  readonly record: ShardRecord;
  readonly stats: GaussianStats;
}

const int = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Reads and checks one shard file (every problem names the file). */
export function readShardFile(path: string): ShardFile {
  const bytes = readInputFile(path, 'a .npz shard file');
  const arrays = parseNpz(bytes, path);
  const raw = arrays.shard;
  if (raw === undefined) {
    throw inputError(path, 'not a shard file (it has no "shard" record, which the statistics of one shard of a folder carry)');
  }
  let record: ShardRecord;
  try {
    if (!(raw.data instanceof Uint8Array)) throw new Error('not bytes');
    record = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.data)) as ShardRecord;
  } catch {
    throw inputError(path, 'its "shard" record is not UTF-8 JSON');
  }
  if (record?.format !== SHARD_FORMAT) throw inputError(path, `unsupported shard format ${JSON.stringify(record?.format)} (expected "${SHARD_FORMAT}")`);
  const r = record as unknown as Record<string, unknown>;
  const ok =
    int(r.count, 1) &&
    int(r.index, 0) &&
    (r.index as number) < (r.count as number) &&
    int(r.total_files, 0) &&
    int(r.start, 0) &&
    int(r.end, 0) &&
    int(r.skipped, 0) &&
    int(r.dims, 1) &&
    typeof r.fingerprint === 'string' &&
    typeof r.extractor === 'string';
  if (!ok) throw inputError(path, 'its "shard" record is incomplete or invalid');
  const { start, end } = shardRange(record.total_files, record);
  if (record.start !== start || record.end !== end) {
    throw inputError(
      path,
      `shard ${record.index}/${record.count} of ${record.total_files} files must hold files [${start}, ${end}), its record says [${record.start}, ${record.end})`,
    );
  }
  const s = parseStatsNpz(bytes, path);
  if (s.n === undefined || s.n !== end - start - record.skipped) {
    throw inputError(path, `"num_samples" is ${s.n ?? 'missing'} but the shard holds ${end - start - record.skipped} images`);
  }
  if (s.dims !== record.dims) throw inputError(path, `"mu" has ${s.dims} dims but the shard record says ${record.dims}`);
  return { path, record, stats: { mu: s.mu, sigma: s.sigma, n: s.n, dims: s.dims } };
}

/** The result of {@link mergeShardFiles}. */
export interface MergedShards {
  readonly stats: GaussianStats;
  /** The shards in index order. */
  readonly shards: readonly ShardFile[];
  readonly skipped: number;
}

/**
 * Checks that `paths` are all the shards of one folder, made alike, and merges their statistics
 * (in index order, whatever the order of `paths`). Errors name the offending file: a file that is
 * not a shard, a shard of another folder (listing), extractor, dims or profile, a repeated shard,
 * a shard of another split; or the first file when a shard is missing.
 */
export function mergeShardFiles(paths: readonly string[]): MergedShards {
  if (paths.length === 0) throw new GenEvalError('merge-stats needs at least one shard file');
  const shards = paths.map(readShardFile);
  const first = shards[0]!;
  const a = first.record;
  const byIndex = new Map<number, ShardFile>();
  for (const s of shards) {
    const b = s.record;
    const differs = (what: string, x: unknown, y: unknown) =>
      inputError(s.path, `${what} ${String(y)} differs from ${first.path}'s ${String(x)}; shards must come from one folder with the same extractor, weights, dims and profile`);
    if (b.count !== a.count) throw differs('shard count', a.count, b.count);
    if (b.total_files !== a.total_files || b.fingerprint !== a.fingerprint) {
      throw inputError(
        s.path,
        `comes from a different file list (${b.total_files} images, fingerprint ${b.fingerprint.slice(0, 12)}…) than ${first.path} (${a.total_files} images, ${a.fingerprint.slice(0, 12)}…); shards must list the same folder`,
      );
    }
    if (b.extractor !== a.extractor) throw differs('extractor', a.extractor, b.extractor);
    if (b.dims !== a.dims) throw differs('dims', a.dims, b.dims);
    const pa = JSON.stringify(a.profile);
    const pb = JSON.stringify(b.profile);
    if (pa !== pb) throw differs('profile', pa, pb);
    const seen = byIndex.get(b.index);
    if (seen) throw inputError(s.path, `is shard ${b.index}/${b.count} again (also ${seen.path})`);
    byIndex.set(b.index, s);
  }
  const missing = Array.from({ length: a.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const given = [...byIndex.keys()].sort((x, y) => x - y).join(', ');
    throw inputError(first.path, `its set of ${a.count} shards is incomplete: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (given: ${given})`);
  }
  const ordered = Array.from({ length: a.count }, (_, i) => byIndex.get(i)!);
  const acc = new GaussianAccumulator(a.dims);
  for (const s of ordered) {
    const { mu, sigma, n, dims } = s.stats;
    // The scatter matrix (n − 1)·Σ is the mergeable quantity; one rounding per entry (~1e-16).
    const scatter = Float64Array.from(sigma, (v) => v * (n - 1));
    acc.merge(GaussianAccumulator.fromState({ n, dims, mean: mu, scatter }));
  }
  return { stats: acc.result(), shards: ordered, skipped: ordered.reduce((t, s) => t + s.record.skipped, 0) };
}
