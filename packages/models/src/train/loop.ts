/**
 * The one training loop every family shares: steps or a time budget, periodic evaluation,
 * checkpoints, resume and progress events. Library code: it reports through `onEvent` and never
 * writes to stdout or stderr; the CLI decides how progress looks.
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { writeNpy, type MetricSpec } from '@gen-eval/metrics';
import {
  listConditionGrids,
  listStepFiles,
  readMetrics,
  readRunConfig,
  RUN_FORMAT,
  runPaths,
  writeJson,
  writeMetrics,
  type MetricRecord,
  type RecordedMetric,
  type RunBaseline,
  type RunConfig,
  type RunSummary,
} from '@gen-eval/metrics/runs';
import { selectBackend, BACKEND_ORDER, type SelectedBackend } from '../backend.js';
import { dataRecord } from '../data/datasets.js';
import { writeGridPng } from '../data/png.js';
import type { TF, TrainableModel } from '../family.js';
import { Rng } from '../rng.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { stepBatches, stepNoise } from './batches.js';
import { hasCheckpoint, saveCheckpoint, writeLatest, type LoopState } from './checkpoint.js';
import { conditionGrid, evalCondition, evalTarget } from './condition-routes.js';
import { bicubicBaseline, disposeReference, evalReference, evaluateModel, realCaptionBaseline, type EvalReference } from './evaluate.js';
import { GRID_IMAGES } from './image-eval.js';
import { openNewRunFolder, type NewRunFolder } from './run-folder.js';
import { lockRun } from './run-lock.js';
import { dataInfo, loadRunCheckpoint, planNewRun, planResume, type BackendRequest, type NewRunOptions, type ResumeOptions, type RunPlan } from './setup.js';
import { inputError } from '@gen-eval/metrics/errors';

export type TrainEvent =
  /** `notes`: what the data loader and the evaluation did that the user should know (images resized, no FID for a folder). */
  | { type: 'start'; config: RunConfig; fromStep: number; warnings: string[]; notes: string[] }
  | { type: 'step'; step: number; total: number | null; timeBudget: number | null; trainSeconds: number; losses: Record<string, number> }
  | { type: 'eval'; step: number; trainSeconds: number; metrics: Record<string, number | null> }
  | { type: 'done'; summary: RunSummary };

export interface TrainHooks {
  onEvent?: (e: TrainEvent) => void;
  /** Aborting stops the run after the current step, with a checkpoint. */
  signal?: AbortSignal;
}

const require = createRequire(import.meta.url);

/** The family's metric specs as config.json records them (open ends as null). */
function recordedMetrics(specs: Readonly<Record<string, MetricSpec>>): Record<string, RecordedMetric> {
  const end = (v: number) => (Number.isFinite(v) ? v : null);
  return Object.fromEntries(
    Object.entries(specs).map(([k, m]) => [k, { label: m.label, direction: m.direction, range: [end(m.range[0]), end(m.range[1])], unit: m.unit, kind: m.kind }]),
  );
}

function versions(tf: TF): Record<string, string> {
  const own = require('../../package.json') as { version: string };
  return { 'gen-eval': own.version, '@tensorflow/tfjs': tf.version_core, node: process.versions.node };
}

/**
 * Activates the requested backend (auto = the default order) and installs the training fixes —
 * the one place a run, a resume or `sample` gets them; conv layers and the gradient penalty
 * refuse to run without them (tfjs/training-fixes.ts requireTrainingFixes).
 */
export async function activateBackend(request: BackendRequest): Promise<SelectedBackend> {
  const sel = await selectBackend(request === 'auto' ? BACKEND_ORDER : [request]);
  installTrainingFixes(sel.tf);
  return sel;
}

/** config.json's `conditionGrid` for a run of `plan`, where its evaluations write condition grids. */
function conditionGridEntry(plan: RunPlan): Pick<RunConfig, 'conditionGrid'> {
  const grid = conditionGrid(plan, plan.seed);
  return grid ? { conditionGrid: grid.record } : {};
}

/** Builds a plan's model with the run's initial weights. */
export function buildModel(tf: TF, plan: RunPlan): TrainableModel {
  return plan.family.create({
    tf,
    hp: plan.hp,
    data: dataInfo(plan.data),
    rng: Rng.stream(plan.seed, 'init'),
  });
}

/** Starts a new run in `opts.out`, which it holds locked (see run-lock.ts) until the run ends. */
export async function trainNew(opts: NewRunOptions, hooks: TrainHooks = {}): Promise<RunSummary> {
  const plan = await planNewRun(opts);
  const folder = openNewRunFolder(opts.out, opts.force ?? false);
  try {
    return await startRun(opts, plan, folder, withWarnings(hooks, folder.warnings));
  } finally {
    folder.release();
  }
}

async function startRun(opts: NewRunOptions, plan: RunPlan, folder: NewRunFolder, hooks: TrainHooks): Promise<RunSummary> {
  const sel = await activateBackend(plan.backend);
  folder.clear(); // `force`: the old run goes only once the new one can start
  const config: RunConfig = {
    ...RUN_FORMAT,
    model: plan.family.name,
    title: plan.family.title,
    data: dataRecord(plan.data),
    ...(plan.dataB ? { dataB: dataRecord(plan.dataB) } : {}),
    ...(plan.data.text ? { textEncoder: plan.data.text.name } : {}),
    hp: plan.hp,
    seed: plan.seed,
    steps: plan.steps,
    timeBudget: plan.timeBudget,
    evalEvery: plan.evalEvery,
    evalSamples: plan.evalSamples,
    ...(plan.data.image ? { evalReal: plan.evalReal } : {}),
    backend: { requested: plan.backend, choice: sel.choice, skipped: sel.skipped },
    metrics: recordedMetrics(plan.family.metrics),
    ...conditionGridEntry(plan),
    versions: versions(sel.tf),
    created: new Date().toISOString(),
  };
  const model = buildModel(sel.tf, plan);
  writeJson(runPaths(opts.out).config, config);
  const state: LoopState = { step: 0, trainSeconds: 0, evalSeconds: 0, lossSums: {}, lossCount: 0, iterations: {} };
  return runLoop(opts.out, config, plan, sel, model, state, [], [], hooks);
}

/** Continues the run in `opts.resume` from its latest checkpoint, holding the run locked meanwhile. */
export async function trainResume(opts: ResumeOptions, hooks: TrainHooks = {}): Promise<RunSummary> {
  readRunConfig(opts.resume); // a run, before its lock is written into it
  const lock = lockRun(opts.resume);
  try {
    return await resumeRun(opts, withWarnings(hooks, lock.warnings));
  } finally {
    lock.release();
  }
}

/** Hooks whose start event also carries `warnings` (a dead process's lock taken over). */
function withWarnings(hooks: TrainHooks, warnings: readonly string[]): TrainHooks {
  if (warnings.length === 0) return hooks;
  return {
    ...hooks,
    onEvent: (e) => {
      if (e.type === 'start') e.warnings.unshift(...warnings);
      hooks.onEvent?.(e);
    },
  };
}

async function resumeRun(opts: ResumeOptions, hooks: TrainHooks): Promise<RunSummary> {
  const dir = opts.resume;
  const saved = readRunConfig(dir);
  const plan = await planResume(saved, opts);
  if (!hasCheckpoint(dir))
    throw inputError(dir, 'has no checkpoint to resume from (it was stopped before its first evaluation); start it again with `force`', { options: ['force'] });
  const sel = await activateBackend(plan.backend);
  const model = buildModel(sel.tf, plan);
  const warnings: string[] = [];
  let state: LoopState;
  try {
    state = loadRunCheckpoint(sel.tf, dir, model, warnings);
  } catch (err) {
    model.dispose();
    throw err;
  }
  if (plan.steps !== null && plan.steps <= state.step) {
    model.dispose();
    throw inputError(dir, `is already at step ${state.step}; pass \`steps\` N with N > ${state.step} (the new total) to train further`, { options: ['steps'] });
  }
  if ('rebuiltLatest' in state) writeLatest(dir, state);
  if (sel.choice !== saved.backend.choice)
    warnings.push(`the run was trained on ${saved.backend.choice}, it continues on ${sel.choice}: results will not match an uninterrupted run bit for bit`);
  // A run of an older version gains the condition grid's record with its first condition grid.
  const config: RunConfig = { ...saved, metrics: recordedMetrics(plan.family.metrics), ...conditionGridEntry(plan), steps: plan.steps, timeBudget: plan.timeBudget };
  writeJson(runPaths(dir).config, config);
  // Forget what was recorded after the checkpoint: those steps are trained again.
  const records = readMetrics(dir).filter((r) => r.step <= state.step);
  writeMetrics(dir, records);
  const samplesDir = runPaths(dir).samples;
  for (const f of [...listStepFiles(samplesDir, ['npy', 'png']), ...listConditionGrids(samplesDir)]) if (f.step > state.step) rmSync(f.path, { force: true });
  return runLoop(dir, config, plan, sel, model, state, records, warnings, hooks);
}

async function runLoop(
  dir: string,
  runConfig: RunConfig,
  plan: RunPlan,
  sel: SelectedBackend,
  model: TrainableModel,
  start: LoopState,
  records: MetricRecord[],
  warnings: string[],
  hooks: TrainHooks,
): Promise<RunSummary> {
  const emit = hooks.onEvent ?? (() => {});
  const paths = runPaths(dir);
  const target = evalTarget(plan);
  const condition = evalCondition(plan);
  const grid = conditionGrid(plan, plan.seed);
  let ref: EvalReference | undefined;
  let config = runConfig;
  try {
    const c = plan.family.condition;
    ref = await evalReference(plan.data, target, plan.evalSamples, plan.seed, plan.evalReal, c.kind === 'image' ? c.scale : undefined);
    config = await withBaseline(dir, config, ref);
    const notes = [...(plan.data.notes ?? []), ...(plan.dataB?.notes ?? []), ...ref.notes];
    emit({ type: 'start', config, fromStep: start.step, warnings, notes });
    let { step, trainSeconds, evalSeconds, lossCount } = start;
    const lossSums: Record<string, number> = { ...start.lossSums };
    let lastEval = start.step > 0 && start.lossCount === 0 ? start.step : -1;
    let lastMetrics: Record<string, number | null> = lastMetricsOf(records);
    let interrupted = false;
    let diverged: { step: number; reason: string } | undefined;
    let lastYield = performance.now();

    /** Saves a checkpoint; one with non-finite weights is refused, and the run has diverged. */
    const checkpoint = async (state: Omit<LoopState, 'iterations'>) => {
      const bad = await saveCheckpoint(dir, model, state);
      if (bad !== undefined) diverged = { step: state.step, reason: `${bad} has non-finite values` };
    };

    const evaluateAndSave = async () => {
      const t0 = performance.now();
      const losses: Record<string, number> = {};
      for (const [k, s] of Object.entries(lossSums)) losses[k] = s / lossCount;
      const { metrics, samples } = await evaluateModel(model, ref!, plan.seed, step, condition);
      const all = { ...losses, ...metrics };
      for (const [metric, value] of Object.entries(all)) records.push({ step, elapsed: round(trainSeconds), metric, value });
      lastMetrics = all;
      if (metrics.non_finite_samples) {
        // Recorded (the report shows it), but no samples of NaN and no checkpoint of this model.
        writeMetrics(dir, records);
        diverged = { step, reason: `${metrics.non_finite_samples} of ${samples.length / target.dims} generated samples are non-finite` };
        return;
      }
      const image = target.image;
      const n = samples.length / target.dims;
      writeNpy(paths.sample(step), samples, image ? [n, image.height, image.width, image.channels] : [n, target.dims]);
      if (image) await writeGridPng(paths.grid(step), samples.subarray(0, Math.min(n, GRID_IMAGES) * target.dims), image);
      // Drawn from its own stream after the evaluation's: nothing else the run draws changes.
      if (image && grid) await writeGridPng(paths.conditionGrid(step), grid.draw(model), image, { cols: grid.cols });
      writeMetrics(dir, records);
      for (const k of Object.keys(lossSums)) delete lossSums[k];
      lossCount = 0;
      evalSeconds += (performance.now() - t0) / 1000;
      await checkpoint({ step, trainSeconds, evalSeconds, lossSums, lossCount });
      if (diverged) return;
      lastEval = step;
      emit({ type: 'eval', step, trainSeconds, metrics: all });
    };

    for (;;) {
      if (plan.steps !== null && step >= plan.steps) break;
      if (plan.timeBudget !== null && trainSeconds >= plan.timeBudget) break;
      if (hooks.signal?.aborted) {
        interrupted = true;
        break;
      }
      step++;
      const t0 = performance.now();
      const losses = model.step(stepBatches(plan.data, plan.dataB, plan.hp.batchSize, plan.seed, step), stepNoise(plan.seed, step));
      trainSeconds += (performance.now() - t0) / 1000;
      const bad = Object.entries(losses).find(([, v]) => !Number.isFinite(v));
      if (bad) {
        // Every later step would be NaN too: stop, keeping the last checkpoint (finite weights).
        diverged = { step, reason: `${bad[0]} = ${bad[1]}` };
        step--; // the run trained up to the step before
        break;
      }
      for (const [k, v] of Object.entries(losses)) lossSums[k] = (lossSums[k] ?? 0) + v;
      lossCount++;
      emit({ type: 'step', step, total: plan.steps, timeBudget: plan.timeBudget, trainSeconds, losses });
      if (step % plan.evalEvery === 0) await evaluateAndSave();
      if (diverged) break;
      // Let signals and timers run now and then (a step is synchronous).
      if (performance.now() - lastYield > 50) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
    if (diverged) {
      // Nothing more is saved: the latest checkpoint is the last one with finite weights.
    } else if (interrupted) {
      // Keep what was trained since the last evaluation: a checkpoint at this step, losses and all.
      if (step > start.step && lastEval !== step) await checkpoint({ step, trainSeconds, evalSeconds, lossSums, lossCount });
    } else if (lastEval !== step && step > 0) {
      await evaluateAndSave();
    }
    const stepsRun = step;
    const summary: RunSummary = {
      model: config.model,
      data: config.data.name,
      steps: stepsRun,
      wall_seconds: round(trainSeconds),
      steps_per_second: trainSeconds > 0 ? round(stepsRun / trainSeconds) : 0,
      eval_seconds: round(evalSeconds),
      metrics: lastMetrics,
      interrupted,
      ...(diverged ? { diverged } : {}),
      backend: sel.choice,
    };
    writeJson(paths.summary, summary);
    emit({ type: 'done', summary });
    return summary;
  } finally {
    model.dispose();
    if (ref) await disposeReference(ref);
  }
}

/**
 * A run's config with its baselines (written into config.json once, at the run's first start: a
 * resume finds them there): a super-resolution run's bicubic upsampling, a text run's real held-out
 * images scored against their own captions (its ceiling); any other run's config as it is.
 */
async function withBaseline(dir: string, config: RunConfig, ref: EvalReference): Promise<RunConfig> {
  const added: Record<string, RunBaseline> = {};
  if (!config.baselines?.bicubic) {
    const metrics = await bicubicBaseline(ref);
    if (metrics) added.bicubic = { label: `bicubic ×${ref.pairs!.scale!} (Pillow's bicubic upsampling of the held-out inputs)`, metrics };
  }
  if (!config.baselines?.real) {
    const metrics = await realCaptionBaseline(ref);
    if (metrics) added.real = { label: 'real held-out images with their own captions (the ceiling)', metrics };
  }
  if (Object.keys(added).length === 0) return config;
  const withIt: RunConfig = { ...config, baselines: { ...config.baselines, ...added } };
  writeJson(runPaths(dir).config, withIt);
  return withIt;
}

function lastMetricsOf(records: readonly MetricRecord[]): Record<string, number | null> {
  const last = records.length ? records[records.length - 1]!.step : -1;
  return Object.fromEntries(records.filter((r) => r.step === last).map((r) => [r.metric, r.value]));
}

const round = (x: number) => Math.round(x * 1000) / 1000;
