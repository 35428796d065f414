/**
 * What every command reads: an input path that is an image folder, a `.npy` feature matrix or a
 * `.npz` statistics file. Folders go through one shared extractor (built once per process, its
 * ONNX model cached on disk) and the feature cache; files are read directly.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULTS } from '../defaults.js';
import { GenEvalError, inputError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { buildInceptionModel, createInceptionExtractor, type InceptionModel } from '../extractors/inception/inception-extractor.js';
import { INCEPTION_GRAPH_VERSION, } from '../extractors/inception/graph.js';
import type { InceptionDims } from '../extractors/inception/architecture.js';
import { createExtractor, parseExtractorSpec } from '../extractors/registry.js';
import type { Normalization } from '../extractors/onnx-extractor.js';
import type { GaussianStats } from '../gaussian-stats.js';
import { preprocessProfile, PROFILE_NAMES, type ProfileName } from '../image/profiles.js';
import { readFeatureMatrix } from '../io/features.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { assertCovariancePsd, readStatsNpz, type GaussianStatsFile } from '../io/npz.js';
import type { Matrix } from '../matrix.js';
import { cacheDir } from './cache-dir.js';
import { extractFolder, type ExtractedSet } from './extract-folder.js';
import { listImages } from '../image/list-images.js';
import { resolveInceptionWeights } from './weights.js';

/** Options shared by every command that reads inputs (the CLI's image options). */
export interface InputOptions {
  /** `inception` (default) or `onnx:PATH`. */
  extractor?: string;
  /** Local Inception weights (no download). */
  weights?: string;
  /** Inception feature block: 64, 192, 768, 2048. */
  dims?: number;
  profile?: ProfileName;
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
  quiet?: boolean;
}

export type LoadedInput =
  | { readonly kind: 'stats'; readonly path: string; readonly stats: GaussianStatsFile }
  | { readonly kind: 'features'; readonly path: string; readonly features: Matrix }
  | { readonly kind: 'images'; readonly path: string; readonly set: ExtractedSet; readonly warnings: readonly string[] };

/** Builds the extractor at most once and shares it between inputs (one network, one session). */
export class ExtractorSession {
  private extractor: Promise<{ extractor: FeatureExtractor; warnings: string[] }> | undefined;
  constructor(readonly options: InputOptions) {}

  get(): Promise<{ extractor: FeatureExtractor; warnings: string[] }> {
    this.extractor ??= openExtractor(this.options);
    return this.extractor;
  }

  async dispose(): Promise<void> {
    if (this.extractor) await (await this.extractor).extractor.dispose().catch(() => undefined);
  }
}

async function openExtractor(o: InputOptions): Promise<{ extractor: FeatureExtractor; warnings: string[] }> {
  const spec = o.extractor ?? DEFAULTS.extractor;
  const session = { ...(o.threads ? { threads: o.threads } : {}), ...(o.device ? { executionProvider: o.device } : {}) };
  if (parseExtractorSpec(spec).kind === 'onnx') {
    if (o.weights !== undefined) throw new GenEvalError('--weights applies to the inception extractor only');
    return {
      extractor: await createExtractor(spec, {
        ...session, ...(o.normalize ? { normalize: o.normalize } : {}), ...(o.inputSize ? { inputSize: o.inputSize } : {}),
      }),
      warnings: [],
    };
  }
  const weights = await resolveInceptionWeights({ ...(o.weights !== undefined ? { weights: o.weights } : {}), ...(o.quiet !== undefined ? { quiet: o.quiet } : {}) });
  const model = loadOrBuildModel(weights.path, weights.sha256, (o.dims ?? DEFAULTS.inceptionDims) as InceptionDims, o.cache !== false);
  return { extractor: await createInceptionExtractor(model, session), warnings: [...weights.warnings] };
}

/** The ONNX model built from the weights, cached under <cache>/models (building takes seconds). */
function loadOrBuildModel(weightsPath: string, sha256: string, dims: InceptionDims, useCache: boolean): InceptionModel {
  const file = join(cacheDir(), 'models', `inception-${sha256.slice(0, 16)}-${dims}-logits-v${INCEPTION_GRAPH_VERSION}.onnx`);
  if (useCache && existsSync(file)) {
    return { bytes: readFileSync(file), weightsSha256: sha256, dims, logits: true, graphVersion: INCEPTION_GRAPH_VERSION };
  }
  // Logits cost one 2048×1008 product per image, so they are always built: a later IS reuses the cache.
  const model = buildInceptionModel(weightsPath, { dims, logits: true });
  if (useCache) writeFileAtomic(file, model.bytes);
  return model;
}

/** The kinds of input a command may accept. */
export type InputKind = LoadedInput['kind'];

const DESCRIBE: Record<InputKind, string> = {
  images: 'an image folder',
  features: 'a .npy feature matrix',
  stats: 'a .npz stats file',
};

export interface LoadInputOptions {
  /** Fewer `.npy` rows is an error (default 2; callers with a more specific rule pass 1 and check themselves). */
  readonly minRows?: number;
  /** Kinds the caller accepts (default all three); any other is a one-line error naming the path. */
  readonly accept?: readonly InputKind[];
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
    const list = accept.map((k) => DESCRIBE[k]);
    const expected = list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]!}` : list[0]!;
    throw inputError(path, `unsupported input (${what}): expected ${expected}`);
  }
  if (kind === 'images') {
    const o = session.options;
    const profileName = o.profile ?? DEFAULTS.imageProfile;
    if (!PROFILE_NAMES.includes(profileName)) throw new GenEvalError(`unknown --profile "${profileName}"; choose ${PROFILE_NAMES.join(' or ')}`);
    // Folder problems (empty, no images) come before the slow or failing network set-up.
    const listing = await listImages(path);
    const { extractor, warnings } = await session.get();
    const profile = preprocessProfile(profileName, extractor.input.height, extractor.input.range);
    const set = await extractFolder(path, {
      extractor, profile, listing,
      batchSize: o.batchSize ?? DEFAULTS.batchSize,
      workers: o.workers ?? DEFAULTS.decodeWorkers,
      skipBad: o.skipBad ?? false,
      cacheRoot: o.cache === false ? null : cacheDir(),
      logits: extractor.outputs.logits !== undefined,
      quiet: o.quiet ?? false,
    });
    const notes = [...warnings];
    if (set.skipped.length > 0) notes.push(`${path}: skipped ${set.skipped.length} image(s) that could not be decoded (first: ${set.skipped[0]!.reason})`);
    if (set.ignored > 0 && !o.quiet) process.stderr.write(`${path}: ignored ${set.ignored} file(s) that are not images\n`);
    return { kind: 'images', path, set, warnings: notes };
  }
  if (kind === 'features') return { kind, path, features: readFeatureMatrix(path, { minRows: opts.minRows ?? 2 }) };
  const stats = readStatsNpz(path);
  if (stats.n !== undefined && !(Number.isInteger(stats.n) && stats.n >= 2)) {
    throw inputError(path, `"num_samples" must be an integer ≥ 2, found ${stats.n}`);
  }
  // Symmetry is checked on reading; definiteness needs a (fast, onnxruntime-backed) Cholesky.
  await assertCovariancePsd(stats.sigma, stats.dims, path, stats.sigmaTolerance);
  return { kind, path, stats };
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
