/**
 * Turning user options into a validated run plan — before anything is written, so that bad input
 * leaves no directory behind — and checking `--resume` options against the run's config.
 */
import { resolve } from 'node:path';
import { GenEvalError, inputError, orList, usageError } from '@gen-eval/metrics/errors';
import type { FamilyDefinition, TF, TrainableModel } from '../family.js';
import { BACKEND_REQUESTS, type BackendChoice } from '../backend-choices.js';
import { DATASET_NAMES, IMAGE_DATASET_NAMES, dataPath, loadDataset, type Dataset, type DatasetOptions } from '../data/datasets.js';
import { checkImageSize } from '../data/image-set.js';
import { FASHION_MNIST_SETS } from '../data/paired.js';
import { dataForFamily, loadPairs } from './run-data.js';
import { FAMILIES, findFamily } from '../families/index.js';
import { checkRunConfig, configError, runPaths, type RunConfig } from '@gen-eval/metrics/runs';
import { loadCheckpoint } from './checkpoint.js';
import { checkNewRunFolder, checkRunOutsideData } from './run-folder.js';
import { TRAIN_DEFAULTS } from './defaults.js';
import { conditionNeeds } from '../condition.js';
import { checkConditionData, evalTarget } from './condition-routes.js';
import { mergeHyperParams, type RunHyperParams } from './hyper-params.js';

export { familyDefaults, mergeHyperParams } from './hyper-params.js';
export { dataForFamily, dataInfo } from './run-data.js';
import { classifierFor } from './image-eval.js';

export type BackendRequest = 'auto' | BackendChoice;

/** Options of a new run (CLI `train`); unset ones take the family's or TRAIN_DEFAULTS' values. */
export interface NewRunOptions {
  model: string;
  data?: string;
  steps?: number;
  timeBudget?: number;
  seed?: number;
  evalEvery?: number;
  evalSamples?: number;
  /** Image data: side of the square images the model sees (28, 32 or 64; default 28, folders: see imageFolderDataset). */
  imageSize?: number;
  /** fashion-mnist, edges2fashion, edges2shoes: the folder of Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist). */
  dataDir?: string;
  /**
   * Paired families: a user's paired folders [inputs, targets], matched by relative file name
   * (data/paired.ts loadFolderPairs); instead of `data`.
   */
  dataPairs?: readonly [string, string];
  /** Hyper-parameter overrides (batchSize, lr and the family's own). */
  hp?: Record<string, number | string | boolean>;
  backend?: BackendRequest;
  out: string;
  force?: boolean;
}

export type Family = FamilyDefinition;

export interface RunPlan {
  family: Family;
  data: Dataset;
  dataB?: Dataset;
  hp: RunHyperParams;
  seed: number;
  steps: number | null;
  timeBudget: number | null;
  evalEvery: number;
  evalSamples: number;
  /** Held-out real images each image evaluation compares against (0: 2-D data, or an image folder, which gets no FID). */
  evalReal: number;
  backend: BackendRequest;
}

/** Image runs: generated images per evaluation, unless --eval-samples says otherwise. */
export const IMAGE_EVAL_SAMPLES = 1000;
/** Image runs: real (held-out) images per evaluation are twice the generated ones, up to this many. */
export const IMAGE_EVAL_REAL_MAX = 10_000;

/**
 * Real images an image evaluation compares against: 2 × the generated ones (FID's real side is
 * computed once per run, so a larger one costs little), at most IMAGE_EVAL_REAL_MAX, and no more
 * than the held-out split holds (so that no image counts twice) unless the generated ones need more.
 */
export function evalRealCount(data: Dataset, evalSamples: number): number {
  if (!classifierFor(data)) return 0; // 2-D data, or images no embedded classifier knows: no FID
  const cap = Math.min(IMAGE_EVAL_REAL_MAX, data.heldOutSize ?? data.trainSize ?? Infinity);
  return Math.max(evalSamples, Math.min(2 * evalSamples, cap));
}

/** A bad option: the message names it in backticks, listed in `options` (the CLI words them as flags). */
const usage = (message: string, options?: readonly string[]) => usageError(message, options ? { options } : {});

/** The family called `name`; unknown names list the valid ones. */
export function familyByName(name: string): Family {
  const f = findFamily(name);
  if (!f) throw usage(`unknown model "${name}"; expected one of ${FAMILIES.map((x) => x.name).join(', ')}`);
  return f;
}

/** Validates `backend` against the known choices. */
export function checkBackend(b: string): BackendRequest {
  if ((BACKEND_REQUESTS as readonly string[]).includes(b)) return b as BackendRequest;
  throw usage(`unknown backend "${b}"; expected ${BACKEND_REQUESTS.join(', ')}`);
}

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw usage(`\`${name}\` must be a positive integer, got "${v}"`, [name]);
}

function checkTimeBudget(v: number | undefined): void {
  if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw usage(`\`timeBudget\` must be a number of seconds > 0, got "${v}"`, ['timeBudget']);
}

/**
 * The data options a run gives its data sets; --image-size and --data-dir are refused where they
 * would be ignored (2-D data; --data-dir without fashion-mnist), as every ignored option is.
 */
function dataOptions(o: { imageSize?: number | undefined; dataDir?: string | undefined }): DatasetOptions {
  if (o.imageSize !== undefined) checkImageSize(o.imageSize);
  return { ...(o.imageSize !== undefined ? { imageSize: o.imageSize } : {}), ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}) };
}

function checkDataOptions(o: DatasetOptions, sets: readonly Dataset[]): void {
  if (o.imageSize !== undefined && !sets.some((d) => d.image))
    throw usage(`\`imageSize\` applies to image data (${orList([...IMAGE_DATASET_NAMES, 'a folder of images'])}); ${sets[0]!.name} is 2-D`, ['imageSize']);
  if (o.dataDir !== undefined && !sets.some((d) => FASHION_MNIST_SETS.includes(d.name)))
    throw usage(`\`dataDir\` applies to ${orList(FASHION_MNIST_SETS)}; this run uses ${sets.map((d) => d.name).join(' and ')}`, ['dataDir']);
}

/** Checks a new run's options and resolves every default; throws before anything is written. */
export async function planNewRun(o: NewRunOptions): Promise<RunPlan> {
  const family = familyByName(o.model);
  positiveInt('steps', o.steps);
  positiveInt('evalEvery', o.evalEvery);
  positiveInt('evalSamples', o.evalSamples);
  if (o.evalSamples !== undefined && o.evalSamples < 2) throw usage(`\`evalSamples\` must be at least 2, got "${o.evalSamples}"`, ['evalSamples']);
  checkTimeBudget(o.timeBudget);
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff))
    throw usage(`\`seed\` must be an integer between 0 and 4294967295, got "${o.seed}"`, ['seed']);
  // Before any data is read: a run inside its own data is refused at once (built-in names are no paths).
  const pathB = o.hp?.dataB;
  if (o.dataPairs !== undefined && o.data !== undefined) throw usage('`data` and `dataPairs` are two ways to name the training data; give one', ['data', 'dataPairs']);
  if (o.dataPairs !== undefined && o.imageSize !== undefined)
    throw usage("`imageSize` does not apply to `dataPairs`: paired folders are trained at their images' own size", ['imageSize', 'dataPairs']);
  checkRunOutsideData(o.out, [
    ...(o.data !== undefined && !DATASET_NAMES.includes(o.data) ? [{ path: o.data, named: '`data`', options: ['data'] }] : []),
    ...(o.dataPairs ?? []).map((path) => ({ path, named: '`dataPairs`', options: ['dataPairs'] })),
    ...(typeof pathB === 'string' && !DATASET_NAMES.includes(pathB) ? [{ path: pathB, named: 'hyper-parameter dataB' }] : []),
    // dataDir is data only where a set reads it (checkDataOptions refuses it elsewhere).
    ...(o.dataDir !== undefined && [o.data ?? family.defaultData, pathB].some((d) => FASHION_MNIST_SETS.includes(String(d)))
      ? [{ path: o.dataDir, named: '`dataDir`', options: ['dataDir'] }]
      : []),
  ]);
  const opts = dataOptions(o);
  const data = o.dataPairs ? await loadPairs(family, o.dataPairs) : dataForFamily(family.condition, await loadDataset(o.data ?? family.defaultData, opts));
  const hp = mergeHyperParams(family, o.hp, data.image !== undefined);
  checkConditionData(family.name, family.condition, data);
  let dataB: Dataset | undefined;
  if (conditionNeeds(family.condition).secondDomain) {
    if (typeof hp.dataB !== 'string') throw usage(`${family.name} needs a second data set (hyper-parameter dataB)`);
    dataB = await loadDataset(hp.dataB, opts);
    checkSameShape(data, dataB);
  }
  checkDataOptions(opts, dataB ? [data, dataB] : [data]);
  checkNewRunFolder(o.out, o.force ?? false);
  const evalSamples = o.evalSamples ?? (data.image ? IMAGE_EVAL_SAMPLES : TRAIN_DEFAULTS.evalSamples);
  return {
    family,
    data,
    ...(dataB ? { dataB } : {}),
    hp,
    seed: o.seed ?? TRAIN_DEFAULTS.seed,
    steps: o.steps ?? (o.timeBudget !== undefined ? null : TRAIN_DEFAULTS.steps),
    timeBudget: o.timeBudget ?? null,
    evalEvery: o.evalEvery ?? family.evalEvery ?? TRAIN_DEFAULTS.evalEvery,
    evalSamples,
    evalReal: evalRealCount(evalTarget({ family, data, ...(dataB ? { dataB } : {}), hp }), evalSamples),
    backend: checkBackend(o.backend ?? TRAIN_DEFAULTS.backend),
  };
}

/** The two domains of a translation model must be samples of one shape (2-D points, or images of one size). */
function checkSameShape(a: Dataset, b: Dataset): void {
  const shape = (d: Dataset) => (d.image ? `${d.image.height}×${d.image.width}×${d.image.channels} images` : `${d.dims}-D points`);
  if (shape(a) !== shape(b)) throw usage(`the two domains must have one shape: ${a.name} has ${shape(a)}, ${b.name} has ${shape(b)}`);
}

/** Runs a check of the run's own config values; what it refuses is an error in config.json. */
function fromConfig<T>(configPath: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof GenEvalError && err.code === 'usage') throw configError(configPath, err.message.replaceAll('`', ''));
    throw err;
  }
}

/**
 * Loads the run's latest checkpoint into a model built from its config.json. A checkpoint whose
 * weights do not fit that model means config.json no longer describes the run: the error says so.
 */
export function loadRunCheckpoint(tf: TF, dir: string, model: TrainableModel, warnings: string[] = []): ReturnType<typeof loadCheckpoint> {
  try {
    return loadCheckpoint(tf, dir, model, warnings);
  } catch (err) {
    const mismatch = err instanceof GenEvalError && /"(var|opt)\/[^"]*" (has shape|is missing)/.exec(err.message);
    if (mismatch) throw configError(runPaths(dir).config, `does not describe the model of the checkpoint (${err.message.replace(/^.*?corrupt checkpoint: /, '')})`);
    throw err;
  }
}

/** Options given with --resume; each must agree with the run's config (steps and time budget may change). */
export interface ResumeOptions extends Partial<Omit<NewRunOptions, 'out' | 'force'>> {
  resume: string;
}

/** Checks --resume options against the run's config and returns the plan to continue it. */
export async function planResume(config: RunConfig, o: ResumeOptions): Promise<RunPlan> {
  const dir = o.resume;
  checkRunConfig(dir, config);
  const configPath = runPaths(dir).config;
  const clash = (option: string, given: unknown, saved: unknown) => {
    if (given !== undefined && given !== saved)
      throw inputError(dir, `\`${option}\` ${String(given)} contradicts the run's config (${saved === undefined ? 'not set' : String(saved)}); drop it, or start a new run`, {
        options: [option],
      });
  };
  clash('model', o.model, config.model);
  if (o.dataPairs !== undefined) {
    const saved = config.data.targets ? `${config.data.name} ${config.data.targets.name}` : undefined;
    clash('dataPairs', o.dataPairs.map((p) => resolve(p)).join(' '), saved);
  }
  // Files are recorded by absolute path (older runs: as given), so compare both ways.
  if (o.data !== undefined && o.data !== config.data.name) clash('data', dataPath(o.data), dataPath(config.data.name));
  clash('seed', o.seed, config.seed);
  clash('evalEvery', o.evalEvery, config.evalEvery);
  clash('evalSamples', o.evalSamples, config.evalSamples);
  clash('imageSize', o.imageSize, config.data.imageSize);
  const savedDir = config.data.dataDir ?? config.dataB?.dataDir;
  if (o.dataDir !== undefined && savedDir !== undefined) clash('dataDir', resolve(o.dataDir), resolve(savedDir));
  else clash('dataDir', o.dataDir, savedDir);
  if (o.backend !== undefined && o.backend !== 'auto') clash('backend', o.backend, config.backend.choice);
  const family = fromConfig(configPath, () => familyByName(config.model));
  // The data the run recorded, shaped by the options it recorded (image size, fashion-mnist's folder).
  const targets = config.data.targets;
  const data = targets ? await loadPairs(family, [config.data.name, targets.name], config.data) : dataForFamily(family.condition, await loadDataset(config.data.name, config.data));
  for (const [recorded, now] of [
    [config.data, data.record],
    [targets, data.record?.targets],
  ] as const) {
    if (recorded?.sha256 && now?.sha256 !== recorded.sha256)
      throw inputError(recorded.name, 'has changed since the run started (SHA-256 differs); resuming would train on other data');
  }
  // The encoder's embeddings are the model's input: other ones would feed it codes it never saw.
  if (config.textEncoder !== undefined && data.text?.name !== config.textEncoder)
    throw inputError(configPath, `records text encoder ${config.textEncoder}, but ${config.data.name} now encodes captions with ${data.text?.name ?? 'none'}`);
  const dataB = config.dataB ? await loadDataset(config.dataB.name, config.dataB) : undefined;
  if (config.dataB?.sha256 && dataB?.sha256 !== config.dataB.sha256)
    throw inputError(config.dataB.name, 'has changed since the run started (SHA-256 differs); resuming would train on other data');
  const image = data.image !== undefined;
  const given = mergeHyperParams(family, o.hp, image);
  // The run's own values, under today's names (a run of an older build may use former ones).
  const hp = fromConfig(configPath, () => mergeHyperParams(family, config.hp, image, true));
  for (const k of Object.keys(o.hp ?? {})) {
    // batchSize and lr have their own options; the others are set as `hp` NAME=VALUE.
    if (k === 'batchSize' || k === 'lr') clash(k, given[k], hp[k]);
    else if (given[k] !== hp[k])
      throw inputError(dir, `\`hp\` ${k}=${String(given[k])} contradicts the run's config (${k}=${String(hp[k])}); drop it, or start a new run`, { options: ['hp'] });
  }
  positiveInt('steps', o.steps);
  checkTimeBudget(o.timeBudget);
  return {
    family,
    data,
    ...(dataB ? { dataB } : {}),
    hp,
    seed: config.seed,
    steps: o.steps ?? (o.timeBudget !== undefined ? null : config.steps),
    timeBudget: o.timeBudget ?? (o.steps !== undefined ? null : config.timeBudget),
    evalEvery: config.evalEvery,
    evalSamples: config.evalSamples,
    evalReal: config.evalReal ?? evalRealCount(evalTarget({ family, data, ...(dataB ? { dataB } : {}), hp }), config.evalSamples),
    backend: o.backend ?? (config.backend.choice as BackendChoice),
  };
}
