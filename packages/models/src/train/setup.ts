/**
 * Turning user options into a validated run plan — before anything is written, so that bad input
 * leaves no directory behind — and checking `--resume` options against the run's config.
 */
import { existsSync, readdirSync } from 'node:fs';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import type { FamilyDefinition, HyperParams } from '../family.js';
import { BACKEND_ORDER, type BackendChoice } from '../backend.js';
import { resolveDataset, type Dataset } from '../data/datasets.js';
import { FAMILIES, findFamily } from '../families/index.js';
import type { RunConfig } from './run-dir.js';
import { TRAIN_DEFAULTS } from './defaults.js';

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
  /** Hyper-parameter overrides (batchSize, lr and the family's own). */
  hp?: Record<string, number | string | boolean>;
  backend?: BackendRequest;
  out: string;
  force?: boolean;
}

export type Family = FamilyDefinition<HyperParams & { batchSize: number; lr: number }>;

export interface RunPlan {
  family: Family;
  data: Dataset;
  dataB?: Dataset;
  hp: HyperParams & { batchSize: number; lr: number };
  seed: number;
  steps: number | null;
  timeBudget: number | null;
  evalEvery: number;
  evalSamples: number;
  backend: BackendRequest;
}

const usage = (message: string) => new GenEvalError(message);

/** The family called `name`; unknown names list the valid ones. */
export function familyByName(name: string): Family {
  const f = findFamily(name);
  if (!f) throw usage(`unknown model "${name}"; expected one of ${FAMILIES.map((x) => x.name).join(', ')}`);
  return f;
}

/** Validates `backend` against the known choices. */
export function checkBackend(b: string): BackendRequest {
  if (b === 'auto' || (BACKEND_ORDER as readonly string[]).includes(b)) return b as BackendRequest;
  throw usage(`unknown backend "${b}"; expected auto, ${BACKEND_ORDER.join(', ')}`);
}

/** Merges overrides into a family's defaults, checking names and types. */
export function mergeHyperParams(family: Family, overrides: Record<string, number | string | boolean> = {}): HyperParams & { batchSize: number; lr: number } {
  const hp: HyperParams = { ...family.defaults };
  for (const [k, v] of Object.entries(overrides)) {
    const d = family.defaults[k];
    if (d === undefined) throw usage(`${family.name} has no hyper-parameter "${k}"; it has ${Object.keys(family.defaults).join(', ')}`);
    let value: number | string | boolean = v;
    if (typeof d === 'number') {
      value = typeof v === 'number' ? v : Number(v);
      if (typeof v === 'string' && v.trim() === '') value = NaN;
      if (!Number.isFinite(value)) throw usage(`${k} must be a number, got "${v}"`);
      if (Number.isInteger(d) && k !== 'lr' && !Number.isInteger(value)) throw usage(`${k} must be an integer, got "${v}"`);
      if ((value as number) <= 0 && ['batchSize', 'lr'].includes(k)) throw usage(`${k} must be > 0, got "${v}"`);
    } else if (typeof d === 'boolean') {
      if (v !== true && v !== false && v !== 'true' && v !== 'false') throw usage(`${k} must be true or false, got "${v}"`);
      value = v === true || v === 'true';
    } else value = String(v);
    hp[k] = value;
  }
  if (!Number.isInteger(hp.batchSize) || (hp.batchSize as number) < 1) throw usage(`batchSize must be a positive integer, got "${hp.batchSize}"`);
  return hp as HyperParams & { batchSize: number; lr: number };
}

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw usage(`${name} must be a positive integer, got "${v}"`);
}

function checkTimeBudget(v: number | undefined): void {
  if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw usage(`--time-budget must be a number of seconds > 0, got "${v}"`);
}

/** Checks a new run's options and resolves every default; throws before anything is written. */
export function planNewRun(o: NewRunOptions): RunPlan {
  const family = familyByName(o.model);
  positiveInt('--steps', o.steps);
  positiveInt('--eval-every', o.evalEvery);
  positiveInt('--eval-samples', o.evalSamples);
  if (o.evalSamples !== undefined && o.evalSamples < 2) throw usage(`--eval-samples must be at least 2, got "${o.evalSamples}"`);
  checkTimeBudget(o.timeBudget);
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)) throw usage(`--seed must be an integer between 0 and 4294967295, got "${o.seed}"`);
  const hp = mergeHyperParams(family, o.hp);
  const data = resolveDataset(o.data ?? family.defaultData);
  if (family.needs?.labels && !data.classes) throw usage(`${family.name} needs data with modes as labels (ring, ring-easy, grid); "${data.name}" has none`);
  let dataB: Dataset | undefined;
  if (family.needs?.secondDomain) {
    if (typeof hp.dataB !== 'string') throw usage(`${family.name} needs a second data set (hyper-parameter dataB)`);
    dataB = resolveDataset(hp.dataB);
  }
  checkOutDir(o.out, o.force ?? false);
  return {
    family,
    data,
    ...(dataB ? { dataB } : {}),
    hp,
    seed: o.seed ?? TRAIN_DEFAULTS.seed,
    steps: o.steps ?? (o.timeBudget !== undefined ? null : TRAIN_DEFAULTS.steps),
    timeBudget: o.timeBudget ?? null,
    evalEvery: o.evalEvery ?? family.evalEvery ?? TRAIN_DEFAULTS.evalEvery,
    evalSamples: o.evalSamples ?? TRAIN_DEFAULTS.evalSamples,
    backend: checkBackend(o.backend ?? TRAIN_DEFAULTS.backend),
  };
}

/** An existing, non-empty output folder needs --force (which replaces it) or --resume. */
function checkOutDir(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    throw inputError(out, 'exists and is not a folder');
  }
  if (entries.length > 0 && !force) throw inputError(out, 'already exists; pass --resume to continue that run or --force to replace it');
}

/** Options given with --resume; each must agree with the run's config (steps and time budget may change). */
export interface ResumeOptions {
  resume: string;
  steps?: number;
  timeBudget?: number;
  model?: string;
  data?: string;
  seed?: number;
  evalEvery?: number;
  evalSamples?: number;
  hp?: Record<string, number | string | boolean>;
  backend?: BackendRequest;
}

/** Checks --resume options against the run's config and returns the plan to continue it. */
export function planResume(config: RunConfig, o: ResumeOptions): RunPlan {
  const dir = o.resume;
  const clash = (option: string, given: unknown, saved: unknown) => {
    if (given !== undefined && given !== saved) throw inputError(dir, `${option} ${String(given)} contradicts the run's config (${String(saved)}); drop it, or start a new run`);
  };
  clash('--model', o.model, config.model);
  clash('--data', o.data, config.data.name);
  clash('--seed', o.seed, config.seed);
  clash('--eval-every', o.evalEvery, config.evalEvery);
  clash('--eval-samples', o.evalSamples, config.evalSamples);
  if (o.backend !== undefined && o.backend !== 'auto') clash('--backend', o.backend, config.backend.choice);
  const family = familyByName(config.model);
  const given = mergeHyperParams(family, o.hp);
  for (const k of Object.keys(o.hp ?? {})) clash(`--${k}`, given[k], config.hp[k]);
  positiveInt('--steps', o.steps);
  checkTimeBudget(o.timeBudget);
  const hp = mergeHyperParams(family, config.hp);
  const data = resolveDataset(config.data.name);
  if (config.data.sha256 && data.sha256 !== config.data.sha256) throw inputError(config.data.name, 'has changed since the run started (SHA-256 differs); resuming would train on other data');
  const dataB = config.dataB ? resolveDataset(config.dataB.name) : undefined;
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
    backend: o.backend ?? (config.backend.choice as BackendChoice),
  };
}
