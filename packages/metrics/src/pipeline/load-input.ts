/**
 * What every command reads: an input path that is an image folder, a `.npy` feature matrix or a
 * `.npz` statistics file. Folders go through one shared extractor (built once per process, its
 * ONNX model cached on disk) and the feature cache; files are read directly.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULTS } from '../defaults.js';
import { inputError, orList, usageError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { createExtractor } from '../extractors/registry.js';
import type { Normalization } from '../extractors/onnx-extractor.js';
import type { GaussianStats } from '../gaussian-stats.js';
import { NETWORK_PROFILE_NAMES, PROFILE_NAMES, resolveProfile, type AnyProfileName } from '../image/profiles.js';
import { toFeatureMatrix } from '../io/features.js';
import { parseNpy } from '../io/npy.js';
import { readInputFile } from '../io/read-input-file.js';
import { extractImageArray, isImageArrayShape } from './image-array.js';
import { assertCovariancePsd, parseStatsNpz, type GaussianStatsFile } from '../io/npz.js';
import type { Matrix } from '../matrix.js';
import { cacheDir } from './cache-dir.js';
import { extractFolder, type ExtractedSet } from './extract-folder.js';
import { fileDigest, sweepFeatureCacheTemps } from './feature-cache.js';
import { sweepStaleTemps } from './temp-cleanup.js';
import { listImages, type ImageListing } from '../image/list-images.js';
import type { ProgressListener } from './progress.js';

/** Options shared by every command that reads inputs (the CLI's image options). */
export interface InputOptions {
  /** A registered extractor spec: `inception` (default), `mnist`, `mobilenet`, `onnx:PATH`, … (see `listExtractors`). */
  extractor?: string;
  /** Local Inception weights, or the mobilenet extractor's model folder (no download). */
  weights?: string;
  /** Inception feature block: 64, 192, 768, 2048. */
  dims?: number;
  profile?: AnyProfileName;
  batchSize?: number;
  workers?: number;
  device?: 'cpu' | 'cuda';
  threads?: number;
  skipBad?: boolean;
  /** false: neither read nor write the feature cache. */
  cache?: boolean;
  /** onnx:PATH extractors: input normalisation and size. */
  normalize?: Normalization;
  inputSize?: number;
  /** onnx:PATH extractors: input layout when the model does not declare it. */
  layout?: 'NCHW' | 'NHWC';
  /** No progress and no "ignored files" note. */
  quiet?: boolean;
  /**
   * Progress events (weights download, cache hashing, feature extraction); without a listener
   * they are drawn on stderr unless `quiet` (what the CLI shows).
   */
  onProgress?: ProgressListener;
  /**
   * Notes given as they arise (e.g. files in an image folder that are not images); without a
   * callback they are added to the input's `warnings`. Never written to stderr by the library.
   */
  onWarning?: (message: string) => void;
  /** Stops extraction between batches with the signal's reason (a DOMException "AbortError" by default). */
  signal?: AbortSignal;
}

/**
 * One input of a command, by kind: a `.npz` stats file, a `.npy` feature matrix or an extracted
 * image folder. `sha256` fingerprints what was read from disk (a file's bytes, or a folder's
 * images: see imageFilesSha256); inputs given in memory have none.
 */
export type LoadedInput =
  | { readonly kind: 'stats'; readonly path: string; readonly stats: GaussianStatsFile; readonly sha256?: string }
  | { readonly kind: 'features'; readonly path: string; readonly features: Matrix; readonly sha256?: string }
  | { readonly kind: 'images'; readonly path: string; readonly set: ExtractedSet; readonly warnings: readonly string[]; readonly sha256?: string };

/** Builds the extractor at most once and shares it between inputs (one network, one session). */
export class ExtractorSession {
  private extractor: Promise<{ extractor: FeatureExtractor; warnings: string[] }> | undefined;
  private cacheState: CacheState | undefined;
  private cacheWarned = false;
  constructor(readonly options: InputOptions) {}

  /**
   * The cache root this session uses: `null` with `cache: false`, or when the cache folder cannot
   * be created or written (then {@link takeCacheWarnings} says so, once). Opening it also sweeps
   * temporary files that interrupted runs left behind.
   */
  cacheRoot(): string | null {
    this.cacheState ??= this.options.cache === false ? { root: null } : openCache(cacheDir());
    return this.cacheState.root;
  }

  /** The warning about an unusable cache, the first time only (a command prints it once). */
  takeCacheWarnings(): string[] {
    this.cacheRoot();
    if (this.cacheWarned || this.cacheState?.warning === undefined) return [];
    this.cacheWarned = true;
    return [this.cacheState.warning];
  }

  get(): Promise<{ extractor: FeatureExtractor; warnings: string[] }> {
    this.extractor ??= openExtractor(this.options, this.cacheRoot());
    return this.extractor;
  }

  async dispose(): Promise<void> {
    if (this.extractor) await (await this.extractor).extractor.dispose().catch(() => undefined);
  }
}

interface CacheState {
  readonly root: string | null;
  readonly warning?: string;
}

const CACHE_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  ENOSPC: 'no space left on device',
};

/**
 * Makes sure the cache's folders exist and are writable. The cache is optional: when it cannot be
 * used (no writable HOME as under `docker --user`, a read-only GEN_EVAL_CACHE, a file at its path)
 * the run goes on without it, with one warning naming the path.
 */
function openCache(root: string): CacheState {
  try {
    for (const sub of ['features', 'models', 'weights']) {
      mkdirSync(join(root, sub), { recursive: true });
      accessSync(join(root, sub), constants.W_OK);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === undefined ? (err as Error).message : `${CACHE_REASONS[code] ?? 'cannot create or write it'} (${code})`;
    return {
      root: null,
      warning: `${root}: the feature cache cannot be used: ${reason}; going on without it (set \`cache\` to false to skip it, or set GEN_EVAL_CACHE to a writable folder)`,
    };
  }
  sweepFeatureCacheTemps(root);
  sweepStaleTemps(join(root, 'models'), '.tmp-');
  sweepStaleTemps(join(root, 'weights'), '.tmp-');
  return { root };
}

async function openExtractor(o: InputOptions, cacheRoot: string | null): Promise<{ extractor: FeatureExtractor; warnings: string[] }> {
  const warnings: string[] = [];
  // Every extractor comes from the registry; each factory reads the options that apply to it
  // and rejects those that contradict it (e.g. `weights` for the embedded classifiers).
  const extractor = await createExtractor(o.extractor ?? DEFAULTS.extractor, {
    ...(o.threads ? { threads: o.threads } : {}),
    ...(o.device ? { executionProvider: o.device } : {}),
    ...(o.weights !== undefined ? { weights: o.weights } : {}),
    ...(o.dims !== undefined ? { dims: o.dims } : {}),
    ...(o.normalize ? { normalize: o.normalize } : {}),
    ...(o.inputSize ? { inputSize: o.inputSize } : {}),
    ...(o.layout ? { layout: o.layout } : {}),
    ...(o.quiet !== undefined ? { quiet: o.quiet } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    // inception: pytorch-fid's weights from the cache (downloaded once), the built network kept
    // there too, and the session opened only if some folder is not cached (a warm run never loads
    // the network). Logits cost one 2048×1008 product per image, so they are always built: a
    // later IS reuses the feature cache.
    download: true,
    modelCache: cacheRoot,
    lazy: true,
    logits: true,
    onWarning: (message) => warnings.push(message),
  });
  return { extractor, warnings };
}

/** The kinds of input a command may accept. */
export type InputKind = LoadedInput['kind'];

const DESCRIBE: Record<InputKind, string> = {
  images: 'an image folder',
  features: 'a .npy feature matrix',
  stats: 'a .npz stats file',
};

/** Options of `loadInput`: minimum rows, accepted kinds, part of an image listing. */
export interface LoadInputOptions {
  /** Fewer `.npy` rows is an error (default 2; callers with a more specific rule pass 1 and check themselves). */
  readonly minRows?: number;
  /** Kinds the caller accepts (default all three); any other is a one-line error naming the path. */
  readonly accept?: readonly InputKind[];
  /**
   * Image folders: the part of the sorted listing to read (e.g. one shard of it); it sees the
   * whole listing first, so it can record what the part belongs to.
   */
  readonly select?: (listing: ImageListing) => ImageListing;
}

/** Reads one input: an image folder, a `.npy` feature matrix or a `.npz` stats file. */
export async function loadInput(path: string, session: ExtractorSession, opts: LoadInputOptions = {}): Promise<LoadedInput> {
  if (!existsSync(path)) throw inputError(path, 'no such file or folder');
  const accept = opts.accept ?? (['images', 'features', 'stats'] as const);
  const isDir = statSync(path).isDirectory();
  const lower = path.toLowerCase();
  const kind: InputKind | null = isDir ? 'images' : lower.endsWith('.npz') ? 'stats' : lower.endsWith('.npy') ? 'features' : null;
  if (kind === null || !accept.includes(kind)) {
    const what = isDir ? 'a folder' : extname(path) || 'no extension';
    throw inputError(path, `unsupported input (${what}): expected ${orList(accept.map((k) => DESCRIBE[k]))}`);
  }
  if (kind === 'images') {
    const o = session.options;
    const profileName = o.profile ?? DEFAULTS.imageProfile;
    // Network profiles (e.g. the CMMD command's `cmmd`) are set by commands; users choose PROFILE_NAMES.
    const known = [...PROFILE_NAMES, ...NETWORK_PROFILE_NAMES] as readonly string[];
    if (!known.includes(profileName)) throw usageError(`unknown \`profile\` "${profileName}"; choose ${PROFILE_NAMES.join(' or ')}`, { options: ['profile'] });
    // Folder problems (empty, no images) come before the slow or failing network set-up.
    const listing = opts.select ? opts.select(await listImages(path)) : await listImages(path);
    const { extractor, warnings } = await session.get();
    const profile = resolveProfile(profileName, extractor.input);
    const set = await extractFolder(path, {
      extractor,
      profile,
      listing,
      batchSize: o.batchSize ?? DEFAULTS.batchSize,
      workers: o.workers ?? DEFAULTS.decodeWorkers,
      skipBad: o.skipBad ?? false,
      cacheRoot: session.cacheRoot(),
      logits: extractor.outputs.logits !== undefined,
      quiet: o.quiet ?? false,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const notes = [...warnings, ...session.takeCacheWarnings()];
    if (set.skipped.length > 0) notes.push(`${path}: skipped ${set.skipped.length} image(s) that could not be decoded (first: ${set.skipped[0]!.reason})`);
    if (set.ignored > 0 && !o.quiet) {
      // Told at once (the CLI prints it before the extraction's other notes, as it always did).
      const note = `${path}: ignored ${set.ignored} file(s) that are not images`;
      if (o.onWarning) o.onWarning(note);
      else notes.push(note);
    }
    return { kind: 'images', path, set, warnings: notes, ...(set.sha256 ? { sha256: set.sha256 } : {}) };
  }
  if (kind === 'features') {
    // N×H×W(×C) arrays are images (e.g. `sample -o x.npy`): through the extractor, like a folder.
    const bytes = readInputFile(path, 'a .npy file');
    const arr = parseNpy(bytes, path);
    const sha256 = fileDigest(bytes);
    if (isImageArrayShape(arr.shape) && accept.includes('images')) {
      const { extractor, warnings } = await session.get();
      const set = await extractImageArray(arr, path, extractor, { batchSize: session.options.batchSize ?? DEFAULTS.batchSize });
      return { kind: 'images', path, set: { ...set, sha256 }, warnings: [...warnings], sha256 };
    }
    const features = toFeatureMatrix(arr, path);
    const minRows = opts.minRows ?? 2;
    if (features.rows < minRows) throw inputError(path, `needs at least ${minRows} samples, found ${features.rows}`);
    if (features.cols < 1) throw inputError(path, 'has zero feature dimensions');
    return { kind, path, features, sha256 };
  }
  const bytes = readInputFile(path, 'a .npz file');
  const stats = parseStatsNpz(bytes, path);
  if (stats.n !== undefined && !(Number.isInteger(stats.n) && stats.n >= 2)) {
    throw inputError(path, `"num_samples" must be an integer ≥ 2, found ${stats.n}`);
  }
  // Symmetry is checked on reading; definiteness needs a (fast, onnxruntime-backed) Cholesky.
  await assertCovariancePsd(stats.sigma, stats.dims, path, stats.sigmaTolerance);
  return { kind, path, stats, sha256: fileDigest(bytes) };
}

/** The feature matrix of an input (stats files have none). */
export function featuresOf(input: LoadedInput, purpose: string): Matrix {
  if (input.kind === 'features') return input.features;
  if (input.kind === 'images') return input.set.features;
  throw inputError(input.path, `${purpose} needs per-sample features (a .npy file or an image folder), not a .npz stats file`);
}

/** Statistics (or features, for FID's exact low-rank path) of an input. */
export function fidInputOf(input: LoadedInput): Matrix | GaussianStatsFile | GaussianStats {
  if (input.kind === 'stats') return input.stats;
  if (input.kind === 'features') return input.features;
  // Features let FID use the exact low-rank route when n < d; otherwise the streamed stats.
  return input.set.n <= input.set.dims ? input.set.features : input.set.stats;
}
