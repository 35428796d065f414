/**
 * Images in, features out: lists a folder, decodes and preprocesses its images in worker threads,
 * runs the extractor batch by batch, and streams the features into float64 Gaussian statistics
 * (in fixed row blocks) and into a feature-cache entry on disk (or memory, with the cache off). No
 * more than a few batches of decoded images exist at once, whatever the folder's size; a second
 * run on an unchanged folder is read from the cache.
 */
import { GenEvalError, inputError, internalError, isUserError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { GaussianAccumulator, type GaussianStats } from '../gaussian-stats.js';
import { listImages, type ImageFileEntry, type ImageListing } from '../image/list-images.js';
import type { PreprocessProfile } from '../image/profiles.js';
import { assertFinite } from '../io/features.js';
import { encodeStatsNpz } from '../io/npz.js';
import type { Matrix } from '../matrix.js';
import { createDecodePool } from './decode-pool.js';
import { FeatureCacheWriter, featureCacheKey, imageFilesSha256, loadCachedFeatures } from './feature-cache.js';
import { createProgress, type ProgressListener } from './progress.js';

/** Options of `extractFolder`: extractor, preprocessing, batching, decode workers, cache. */
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
  /** Progress events (hashing, features); without it they are drawn on stderr unless quiet. */
  readonly onProgress?: ProgressListener;
  /** Stops between batches with the signal's reason (a DOMException "AbortError" by default). */
  readonly signal?: AbortSignal;
  /** The folder's listing when the caller already made it (it is not listed again). */
  readonly listing?: ImageListing;
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
  /**
   * The content fingerprint of the images read (see imageFilesSha256; of the file, for an `.npy`
   * image array); absent for images given in memory.
   */
  readonly sha256?: string;
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
  const listing = opts.listing ?? (await listImages(dir));
  if (extractor.input.height !== profile.size || extractor.input.width !== profile.size) {
    throw new GenEvalError(`extractor ${extractor.name} takes ${extractor.input.width}×${extractor.input.height} images but the profile resizes to ${profile.size}`);
  }
  if (extractor.input.range[0] !== profile.range[0]) {
    throw new GenEvalError(`extractor ${extractor.name} takes values in [${extractor.input.range.join(', ')}] but the profile produces [${profile.range.join(', ')}]`);
  }
  const wantLogits = opts.logits === true;
  if (wantLogits && extractor.outputs.logits === undefined) throw new GenEvalError(`extractor ${extractor.name} has no logits output`);
  // Every image's bytes are hashed once: the fingerprint a result records, and the cache's key.
  const sha256 = await imageFilesSha256(listing.files, {
    quiet: opts.quiet ?? false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    totalBytes: listing.files.reduce((s, f) => s + f.size, 0),
  });
  const key =
    opts.cacheRoot === null
      ? ''
      : await featureCacheKey({
          files: listing.files,
          filesSha256: sha256,
          extractor: extractor.name,
          profile: JSON.stringify(profile),
          outputs: wantLogits ? ['features', 'logits'] : ['features'],
          // skipping changes which images count, so it is part of the key
          weightsSha256: opts.skipBad ? 'skip-bad' : 'strict',
        });
  const base = { source: dir, extractor: extractor.name, profile, ignored: listing.ignored, sha256 };
  if (opts.cacheRoot !== null) {
    const hit = loadCachedFeatures(opts.cacheRoot, key, { stats: true });
    if (hit?.stats) {
      const stats = hit.stats;
      const skipped = (hit.meta.skipped as { file: string; reason: string }[] | undefined) ?? [];
      return {
        ...base,
        n: hit.features.rows,
        dims: hit.features.cols,
        stats: { ...stats, n: hit.features.rows },
        features: hit.features,
        ...(hit.logits ? { logits: hit.logits } : {}),
        fromCache: true,
        skipped,
      };
    }
  }
  const logitDims = wantLogits ? extractor.outputs.logits : undefined;
  const sink = opts.cacheRoot === null ? memorySink(extractor.outputs.features, logitDims) : cacheSink(opts.cacheRoot, key, extractor.outputs.features, logitDims);
  const computed = await compute(dir, listing.files, sink, opts, wantLogits);
  return { ...base, ...computed, fromCache: false };
}

/**
 * Rows per update of the streamed statistics. Fixed rather than the batch size, so that the
 * statistics are bit-identical for every batch size; large enough that the fixed cost of an
 * update (~0.15 s at d = 2048: passes over the d×d scatter) stays negligible — one update per
 * batch of 50 images cost ~4 % of the network time.
 */
export const STATS_BLOCK_ROWS = 512;

/** Images in the first network call (see `compute`). */
const FIRST_BATCH = 8;

/** Where extracted rows go: a cache entry being written, or memory when the cache is off. */
interface RowSink {
  append(features: Float32Array, logits?: Float32Array): void;
  /** Publishes the rows (with their statistics) and returns them. */
  commit(meta: Record<string, unknown>, stats: GaussianStats): { features: Matrix; logits?: Matrix };
  abort(): void;
}

function cacheSink(root: string, key: string, dims: number, logitDims: number | undefined): RowSink {
  const writer = new FeatureCacheWriter(root, key, dims, logitDims);
  return {
    append: (f, l) => writer.append(f, l),
    commit(meta, stats) {
      writer.commit(meta, { 'stats.npz': encodeStatsNpz(stats) });
      const entry = loadCachedFeatures(root, key);
      if (!entry) throw internalError('feature cache entry vanished right after it was written');
      return entry.logits ? { features: entry.features, logits: entry.logits } : { features: entry.features };
    },
    abort: () => writer.abort(),
  };
}

/**
 * Without a cache the rows stay in memory: no temporary entry, and above all no compressed
 * stats.npz, whose deflate of the 32 MB covariance took ~1.3 s per folder at d = 2048.
 */
function memorySink(dims: number, logitDims: number | undefined): RowSink {
  const rows = (cols: number) => {
    const chunks: Float32Array[] = [];
    return {
      push: (data: Float32Array) => chunks.push(data.slice()), // the extractor may reuse its buffer
      matrix(): Matrix {
        const data = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
        chunks.reduce((o, c) => (data.set(c, o), o + c.length), 0);
        return { rows: data.length / cols, cols, data };
      },
    };
  };
  const f = rows(dims);
  const l = logitDims === undefined ? undefined : rows(logitDims);
  return {
    append(features, logits) {
      f.push(features);
      if (l) l.push(logits!);
    },
    commit: () => (l ? { features: f.matrix(), logits: l.matrix() } : { features: f.matrix() }),
    abort() {},
  };
}

/** Streams feature rows into a Gaussian accumulator in fixed blocks of {@link STATS_BLOCK_ROWS}. */
function blockedStats(dims: number) {
  const acc = new GaussianAccumulator(dims);
  const block = new Float32Array(STATS_BLOCK_ROWS * dims);
  let filled = 0;
  const flush = async () => {
    if (filled > 0) await acc.add({ rows: filled, cols: dims, data: block.subarray(0, filled * dims) });
    filled = 0;
  };
  return {
    async push(features: Float32Array): Promise<void> {
      for (let o = 0; o < features.length;) {
        const take = Math.min(features.length - o, (STATS_BLOCK_ROWS - filled) * dims);
        block.set(features.subarray(o, o + take), filled * dims);
        filled += take / dims;
        o += take;
        if (filled === STATS_BLOCK_ROWS) await flush();
      }
    },
    async finish(): Promise<GaussianAccumulator> {
      await flush();
      return acc;
    },
  };
}

async function compute(dir: string, entries: readonly ImageFileEntry[], sink: RowSink, opts: ExtractFolderOptions, wantLogits: boolean) {
  const files = entries.map((f) => f.path);
  const { extractor, profile, batchSize } = opts;
  const dims = extractor.outputs.features;
  const per = 3 * profile.size * profile.size;
  const pool = createDecodePool(profile, opts.workers);
  const stats = blockedStats(dims);
  const skipped: { file: string; reason: string }[] = [];
  const progress = createProgress({
    label: `features ${extractor.name}`,
    total: files.length,
    quiet: opts.quiet ?? false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  // Decoding runs ahead of the network by at most two batches: enough to keep it fed, little memory.
  const window = Math.max(2 * batchSize, 2 * Math.max(1, opts.workers));
  const inflight: Promise<Float32Array | Error>[] = [];
  let next = 0;
  const refill = () => {
    while (next < files.length && inflight.length < window) {
      const entry = entries[next++]!;
      // A dangling link or FIFO with an image name is a bad image, and is never opened.
      inflight.push(entry.problem !== undefined ? Promise.resolve(inputError(entry.path, entry.problem)) : pool.load(entry.path).catch((e: Error) => e));
    }
  };
  try {
    refill();
    let done = 0;
    const batch = new Float32Array(batchSize * per);
    // The network idles until the first batch is decoded; a short first batch lets it start after
    // FIRST_BATCH images instead of batchSize (results do not depend on how images are batched).
    let limit = Math.min(batchSize, FIRST_BATCH);
    while (inflight.length > 0) {
      opts.signal?.throwIfAborted();
      let n = 0;
      const names: string[] = [];
      while (n < limit && inflight.length > 0) {
        const file = files[done++]!;
        const r = await inflight.shift()!;
        refill();
        if (r instanceof Error) {
          if (!isUserError(r) || !opts.skipBad) throw r;
          skipped.push({ file, reason: r.message });
          continue;
        }
        batch.set(r, n * per);
        names.push(file);
        n++;
      }
      if (n > 0) {
        const out = await extractor.run(batch.subarray(0, n * per), n);
        checkOutputs(out.features, extractor.outputs.features, names, 'features');
        if (wantLogits && out.logits && extractor.outputs.logits) checkOutputs(out.logits, extractor.outputs.logits, names, 'logits');
        await stats.push(out.features);
        sink.append(out.features, wantLogits ? out.logits : undefined);
      }
      progress.update(done);
      limit = batchSize;
    }
    progress.finish();
    const acc = await stats.finish();
    if (acc.count < 2) {
      const why = skipped.length ? ` (${skipped.length} of ${files.length} skipped as bad; first: ${skipped[0]!.reason})` : '';
      throw inputError(dir, `${acc.count} usable image${acc.count === 1 ? '' : 's'}; at least 2 are needed${why}`);
    }
    const result = acc.result();
    const rows = sink.commit({ extractor: extractor.name, profile, files: files.length, skipped }, result);
    return { n: rows.features.rows, dims, stats: result, ...rows, skipped };
  } catch (err) {
    sink.abort();
    throw err;
  } finally {
    await pool.close();
  }
}

/**
 * Extractor outputs get the checks `.npy` features get ({@link assertFinite}: finite, at most
 * FEATURE_MAX_ABS): a NaN, ±Inf or overflowing value would otherwise flow silently into KID, PR,
 * PRDC and the stats. The error names the first image (in listing order) whose row is bad.
 */
function checkOutputs(values: Float32Array, cols: number, names: readonly string[], what: string): void {
  const rows = Math.floor(values.length / Math.max(cols, 1));
  for (let i = 0; i < rows; i++) {
    try {
      assertFinite({ rows: 1, cols, data: values.subarray(i * cols, (i + 1) * cols) }, '');
    } catch (e) {
      const problem = e instanceof Error ? e.message.replace(/^: /, '').replace(/ at row 0, column/, ' at column') : String(e);
      throw inputError(names[i] ?? '(unknown image)', `the extractor's ${what} are not usable: ${problem}`);
    }
  }
}
