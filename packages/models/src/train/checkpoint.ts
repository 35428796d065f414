/**
 * Checkpoints: every variable and optimiser slot of a model in one `.npz` (float32 arrays that
 * numpy reads as they are — no TensorFlow needed), and the loop's state in a `.json` beside it.
 * The random state is the pair (seed, step): every stream is derived from it (../rng.ts), so the
 * step number is all a resumed run needs to draw exactly what the uninterrupted run drew.
 *
 * Files are written whole and renamed into place, npz first, then its json, then `latest.json`,
 * so a kill at any moment leaves the previous checkpoint intact and `latest.json` naming a
 * complete one.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpz, parseNpz, readInputFile, writeFileAtomic, type NpzEntry } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, TrainableModel } from '../family.js';
import type { SlotArray } from '../nn/optimizers.js';
import { LATEST_CHECKPOINT, listStepFiles, parseStepFile, readJson, runPaths, stepFileName, writeJson } from '@gen-eval/metrics/runs';

/** The loop's state saved with the weights. */
export interface LoopState {
  readonly step: number;
  /** Training seconds used so far (evaluation excluded). */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  /** Loss sums and count since the last evaluation (float64, so resumed means are identical). */
  readonly lossSums: Readonly<Record<string, number>>;
  readonly lossCount: number;
  /** Steps taken by each optimiser. */
  readonly iterations: Readonly<Record<string, number>>;
}

/** How many checkpoints a run keeps (the newest ones). */
export const KEEP_CHECKPOINTS = 3;

/**
 * Saves the model and loop state as the run's latest checkpoint — unless a variable or optimiser
 * slot holds a non-finite value (a diverged model): then nothing is written, the previous
 * checkpoint stays the latest, and the array's name is returned.
 */
export async function saveCheckpoint(dir: string, model: TrainableModel, state: Omit<LoopState, 'iterations'>): Promise<string | undefined> {
  const entries: Record<string, NpzEntry> = {};
  const add = async (key: string, t: tfNs.Tensor) => {
    entries[key] = { data: Float32Array.from(await t.data()), shape: t.shape };
  };
  for (const [name, v] of model.variables) await add(`var/${name}`, v);
  const iterations: Record<string, number> = {};
  for (const [name, opt] of model.optimizers) {
    iterations[name] = opt.iterations;
    for (const [slot, a] of opt.state()) entries[`opt/${name}/${slot}`] = { data: a.data, shape: a.shape };
  }
  for (const [key, e] of Object.entries(entries)) if (firstNonFinite(e.data) >= 0) return key;
  const paths = runPaths(dir);
  writeFileAtomic(paths.checkpoint(state.step, 'npz'), encodeNpz(entries));
  writeJson(paths.checkpoint(state.step, 'json'), { ...state, iterations, weights: stepFileName(state.step, 'npz') });
  writeLatest(dir, state);
  prune(paths.checkpoints);
  return undefined;
}

/** Index of the first NaN or ±∞ in a float array, −1 when every value is finite. */
function firstNonFinite(a: NpzEntry['data']): number {
  if (!(a instanceof Float32Array || a instanceof Float64Array)) return -1;
  for (let i = 0; i < a.length; i++) if (a[i]! - a[i]! !== 0) return i;
  return -1;
}

function prune(ckDir: string): void {
  const files = listStepFiles(ckDir, ['npz', 'json']);
  const steps = [...new Set(files.map((f) => f.step))];
  const old = new Set(steps.slice(0, Math.max(0, steps.length - KEEP_CHECKPOINTS)));
  for (const f of files) if (old.has(f.step)) rmSync(f.path, { force: true });
}

/**
 * The newest checkpoint whose state file names its step and weights and whose weights exist, for
 * a run that lost `latest.json` (deleted by hand, or a copy that missed it).
 */
function newestComplete(ckDir: string): string | undefined {
  if (!existsSync(ckDir)) return undefined;
  const states = listStepFiles(ckDir, ['json'])
    .map((f) => f.name)
    .reverse();
  for (const f of states) {
    try {
      const s = readJson<{ step?: unknown; weights?: unknown }>(join(ckDir, f));
      if (Number.isInteger(s.step) && typeof s.weights === 'string' && existsSync(join(ckDir, s.weights))) return f;
    } catch {
      // An unreadable state file is not a checkpoint; an older one may be.
    }
  }
  return undefined;
}

/** True when the run has a checkpoint to resume from (`latest.json`, or a complete one it lost). */
export function hasCheckpoint(dir: string): boolean {
  const paths = runPaths(dir);
  return existsSync(paths.latest) || newestComplete(paths.checkpoints) !== undefined;
}

/** Writes `latest.json` naming the checkpoint of `state` (after {@link loadCheckpoint} rebuilt it). */
export function writeLatest(dir: string, state: Pick<LoopState, 'step'>): void {
  writeJson(runPaths(dir).latest, { step: state.step, state: stepFileName(state.step, 'json') });
}

/**
 * Loads the latest checkpoint into `model` (variables and optimiser slots) and returns the loop
 * state. Missing or inconsistent files, and weights that are not finite, are one-line errors
 * naming the file. Without `latest.json` the newest complete checkpoint is used, and `warnings`
 * says so (the caller may rewrite it with {@link writeLatest}).
 */
export function loadCheckpoint(tf: TF, dir: string, model: TrainableModel, warnings: string[] = []): LoopState & { rebuiltLatest?: boolean } {
  const ckDir = runPaths(dir).checkpoints;
  const latestPath = runPaths(dir).latest;
  let stateFile: string;
  let rebuiltLatest = false;
  if (existsSync(latestPath)) {
    const latest = readJson<{ step?: unknown; state?: unknown }>(latestPath);
    if (typeof latest.state !== 'string' || !parseStepFile(latest.state, ['json'])) throw inputError(latestPath, 'corrupt checkpoint index (no "state" file named)');
    stateFile = latest.state;
  } else {
    const newest = newestComplete(ckDir);
    if (!newest) throw inputError(dir, `has no checkpoint (checkpoints/${LATEST_CHECKPOINT} is missing)`);
    stateFile = newest;
    rebuiltLatest = true;
    warnings.push(`${latestPath} is missing: using the newest complete checkpoint, ${newest.replace(/\.json$/, '')}`);
  }
  const statePath = join(ckDir, stateFile);
  const state = readJson<LoopState & { weights?: unknown }>(statePath);
  if (!Number.isInteger(state.step) || typeof state.weights !== 'string' || typeof state.iterations !== 'object') {
    throw inputError(statePath, 'corrupt checkpoint state (expected step, weights and iterations)');
  }
  const npzPath = join(ckDir, state.weights);
  const arrays = parseNpz(readInputFile(npzPath, 'a checkpoint .npz'), npzPath);
  // NaN weights would train or sample NaN without a word.
  const checkFinite = (data: Float32Array, key: string) => {
    const i = firstNonFinite(data);
    if (i >= 0) throw inputError(npzPath, `"${key}" holds a non-finite value (${data[i]} at index ${i}); the model had diverged when it was saved`);
  };
  const tensor = (key: string, shape: readonly number[]) => {
    const a = arrays[key];
    if (!a) throw inputError(npzPath, `corrupt checkpoint: "${key}" is missing`);
    if (a.shape.join(',') !== shape.join(',')) throw inputError(npzPath, `corrupt checkpoint: "${key}" has shape (${a.shape.join(', ')}), the model needs (${shape.join(', ')})`);
    if (!(a.data instanceof Float32Array)) throw inputError(npzPath, `corrupt checkpoint: "${key}" is not float32`);
    checkFinite(a.data, key);
    return tf.tensor(a.data, [...shape]);
  };
  for (const [name, v] of model.variables) {
    const t = tensor(`var/${name}`, v.shape);
    v.assign(t);
    t.dispose();
  }
  for (const [name, opt] of model.optimizers) {
    const prefix = `opt/${name}/`;
    const slots = new Map<string, SlotArray>();
    for (const [key, a] of Object.entries(arrays)) {
      if (!key.startsWith(prefix)) continue;
      if (!(a.data instanceof Float32Array)) throw inputError(npzPath, `corrupt checkpoint: "${key}" is not float32`);
      checkFinite(a.data, key);
      slots.set(key.slice(prefix.length), { data: a.data, shape: a.shape });
    }
    const it = state.iterations[name];
    if (!Number.isInteger(it)) throw inputError(statePath, `corrupt checkpoint: no step count for optimiser "${name}"`);
    try {
      opt.restore(slots, it!);
    } catch (err) {
      throw inputError(npzPath, `corrupt checkpoint: ${(err as Error).message}`);
    }
  }
  return rebuiltLatest ? { ...state, rebuiltLatest } : state;
}
