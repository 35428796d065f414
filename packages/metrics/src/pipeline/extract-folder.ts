/**
 * Images in, features out: lists a folder, decodes and preprocesses its images in worker threads,
 * runs the extractor batch by batch, and streams every batch into float64 Gaussian statistics and
 * into a feature-cache entry on disk. No more than a few batches of decoded images exist at once,
 * whatever the folder's size; a second run on an unchanged folder is read from the cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenEvalError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { GaussianAccumulator, type GaussianStats } from '../gaussian-stats.js';
import { listImages } from '../image/list-images.js';
import type { PreprocessProfile } from '../image/profiles.js';
import { readStatsNpz, encodeStatsNpz } from '../io/npz.js';
import type { Matrix } from '../matrix.js';
import { createDecodePool } from './decode-pool.js';
import { FeatureCacheWriter, featureCacheKey, loadCachedFeatures } from './feature-cache.js';
import { createProgress } from './progress.js';

export interface ExtractFolderOptions {
  readonly extractor: FeatureExtractor;
  readonly profile: PreprocessProfile;
  readonly batchSize: number;
  /** Decode threads (0 = decode in this thread). */
  readonly workers: number;
  /** Skip images that fail to decode (counted and reported) instead of stopping. */
  readonly skipBad?: boolean;
  /** Cache root; `null` disables the cache (nothing is read or kept). */
  readonly cacheRoot: string | null;
  /** Also keep the extractor's logits (for the Inception Score). */
  readonly logits?: boolean;
  readonly quiet?: boolean;
}

/** Features of one image folder. */
export interface ExtractedSet {
  readonly source: string;
  readonly n: number;
  readonly dims: number;
  readonly stats: GaussianStats;
  readonly features: Matrix;
  readonly logits?: Matrix;
  readonly fromCache: boolean;
  /** Images that failed to decode and were skipped (with --skip-bad). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** Files in the folder that are not images. */
  readonly ignored: number;
  readonly extractor: string;
  readonly profile: PreprocessProfile;
}

/** Extracts (or loads from the cache) the features of every image under `dir`. */
export async function extractFolder(dir: string, opts: ExtractFolderOptions): Promise<ExtractedSet> {
  const { extractor, profile } = opts;
  const listing = await listImages(dir);
  if (extractor.input.height !== profile.size || extractor.input.width !== profile.size) {
    throw new GenEvalError(`extractor ${extractor.name} takes ${extractor.input.width}×${extractor.input.height} images but the profile resizes to ${profile.size}`);
  }
  if (extractor.input.range[0] !== profile.range[0]) {
    throw new GenEvalError(`extractor ${extractor.name} takes values in [${extractor.input.range.join(', ')}] but the profile produces [${profile.range.join(', ')}]`);
  }
  const wantLogits = opts.logits === true;
  if (wantLogits && extractor.outputs.logits === undefined) throw new GenEvalError(`extractor ${extractor.name} has no logits output`);
  const key = featureCacheKey({
    files: listing.files.map((f) => ({ path: f.relPath, size: f.size, mtimeMs: f.mtimeMs })),
    extractor: extractor.name,
    profile: JSON.stringify(profile),
    outputs: wantLogits ? ['features', 'logits'] : ['features'],
    // skipping changes which images count, so it is part of the key
    weightsSha256: opts.skipBad ? 'skip-bad' : 'strict',
  });
  const base = { source: dir, extractor: extractor.name, profile, ignored: listing.ignored };
  const root = opts.cacheRoot ?? mkdtempSync(join(tmpdir(), 'gen-eval-nocache-'));
  try {
    if (opts.cacheRoot !== null) {
      const hit = loadCachedFeatures(root, key);
      if (hit) {
        const stats = readStatsNpz(join(root, 'features', key, 'stats.npz'));
        const skipped = (hit.meta.skipped as { file: string; reason: string }[] | undefined) ?? [];
        return { ...base, n: hit.features.rows, dims: hit.features.cols, stats: { ...stats, n: hit.features.rows }, features: hit.features, ...(hit.logits ? { logits: hit.logits } : {}), fromCache: true, skipped };
      }
    }
    const computed = await compute(listing.files.map((f) => f.path), root, key, opts, wantLogits);
    return { ...base, ...computed, fromCache: false };
  } finally {
    if (opts.cacheRoot === null) rmSync(root, { recursive: true, force: true });
  }
}

async function compute(files: readonly string[], root: string, key: string, opts: ExtractFolderOptions, wantLogits: boolean) {
  const { extractor, profile, batchSize } = opts;
  const dims = extractor.outputs.features;
  const per = 3 * profile.size * profile.size;
  const pool = createDecodePool(profile, opts.workers);
  const writer = new FeatureCacheWriter(root, key, dims, wantLogits ? extractor.outputs.logits : undefined);
  const acc = new GaussianAccumulator(dims);
  const skipped: { file: string; reason: string }[] = [];
  const progress = createProgress({ label: `features ${extractor.name}`, total: files.length, quiet: opts.quiet ?? false });
  // Decoding runs ahead of the network by at most two batches: enough to keep it fed, little memory.
  const window = Math.max(2 * batchSize, 2 * Math.max(1, opts.workers));
  const inflight: Promise<Float32Array | Error>[] = [];
  let next = 0;
  const refill = () => {
    while (next < files.length && inflight.length < window) {
      inflight.push(pool.load(files[next++]!).catch((e: Error) => e));
    }
  };
  try {
    refill();
    let done = 0;
    const batch = new Float32Array(batchSize * per);
    while (inflight.length > 0) {
      let n = 0;
      while (n < batchSize && inflight.length > 0) {
        const file = files[done++]!;
        const r = await inflight.shift()!;
        refill();
        if (r instanceof Error) {
          if (!(r instanceof GenEvalError) || !opts.skipBad) throw r;
          skipped.push({ file, reason: r.message });
          continue;
        }
        batch.set(r, n * per);
        n++;
      }
      if (n > 0) {
        const out = await extractor.run(batch.subarray(0, n * per), n);
        await acc.add({ rows: n, cols: dims, data: out.features });
        writer.append(out.features, wantLogits ? out.logits : undefined);
      }
      progress.update(done);
    }
    progress.finish();
    if (acc.count < 2) {
      throw new GenEvalError(`${files.length === 0 ? 'the folder' : 'the images'} gave ${acc.count} usable image${acc.count === 1 ? '' : 's'}; at least 2 are needed${skipped.length ? ` (${skipped.length} skipped as bad)` : ''}`);
    }
    const stats = acc.result();
    writer.commit({ extractor: extractor.name, profile, files: files.length, skipped }, { 'stats.npz': encodeStatsNpz(stats) });
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    await pool.close();
  }
  const entry = loadCachedFeatures(root, key);
  if (!entry) throw new Error('feature cache entry vanished right after it was written');
  const stats = acc.result();
  return { n: entry.features.rows, dims, stats, features: entry.features, ...(entry.logits ? { logits: entry.logits } : {}), skipped };
}
