/**
 * The names of a run folder's files (docs/run-format.md): the one place that spells them, builds
 * them and parses them, for the trainer that writes runs and the report and `sample` that read them.
 *
 *   config.json         everything needed to reproduce the run
 *   metrics.jsonl       one {step, elapsed, metric, value} object a line
 *   samples/step-N.npy  generated points at each evaluation (float32, n × dims; images n × h × w × c)
 *   samples/step-N.png  image runs: a grid of the first generated images of each evaluation
 *   samples/step-N-condition.png  image runs of a conditioned family: the condition grid (config.json `conditionGrid`)
 *   checkpoints/        step-N.npz (weights and optimiser slots) + step-N.json (loop state), latest.json
 *   summary.json        final metrics and the training loop's speed
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The run format's name and version, written into config.json. */
export const RUN_FORMAT = { format: 'gen-eval-run', version: 1 } as const;

/** Digits of the zero-padded step in a step file's name, so that names sort by step. */
export const STEP_DIGITS = 7;

/** The extensions of step files: samples (`npy`, `png`) and checkpoints (`npz` weights, `json` loop state). */
export type StepFileExt = 'npy' | 'png' | 'npz' | 'json';

/** The checkpoint index, under checkpoints/: `{ "step": N, "state": "step-NNNNNNN.json" }`. */
export const LATEST_CHECKPOINT = 'latest.json';

/** `step-0000123`: the stem every file of `step` starts with. */
const stepStem = (step: number) => `step-${String(step).padStart(STEP_DIGITS, '0')}`;

/** `step-0000123.npz`: the file of `step` with extension `ext`. */
export function stepFileName(step: number, ext: StepFileExt): string {
  return `${stepStem(step)}.${ext}`;
}

const STEP_FILE = /^step-(\d+)\.(npy|png|npz|json)$/;

/**
 * The step and extension of a step file's name (any number of digits, as a hand-copied run may
 * have), or undefined for any other name or another extension than those of `exts`.
 */
export function parseStepFile(name: string, exts?: readonly StepFileExt[]): { step: number; ext: StepFileExt } | undefined {
  const m = STEP_FILE.exec(name);
  if (!m) return undefined;
  const ext = m[2] as StepFileExt;
  return exts && !exts.includes(ext) ? undefined : { step: Number(m[1]), ext };
}

/** `step-0000500-condition.png`: the condition grid of the evaluation at `step` (no step file: listStepFiles skips it). */
export function conditionGridFileName(step: number): string {
  return `${stepStem(step)}-condition.png`;
}

const CONDITION_GRID_FILE = /^step-(\d+)-condition\.png$/;

/** The step of a condition grid's name (any number of digits), or undefined for any other name. */
export function parseConditionGridFile(name: string): number | undefined {
  const m = CONDITION_GRID_FILE.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A step file found in a folder. */
export interface StepFile {
  readonly step: number;
  readonly ext: StepFileExt;
  readonly name: string;
  readonly path: string;
}

/** The files of `folder` that `parse` reads, by step then name (none when the folder is missing). */
function listParsed(folder: string, parse: (name: string) => { step: number; ext: StepFileExt } | undefined): StepFile[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .flatMap((name) => {
      const f = parse(name);
      return f ? [{ ...f, name, path: join(folder, name) }] : [];
    })
    .sort((a, b) => a.step - b.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The step files of `folder` with one of `exts`, by step then name (none when the folder is missing). */
export function listStepFiles(folder: string, exts: readonly StepFileExt[]): StepFile[] {
  return listParsed(folder, (name) => parseStepFile(name, exts));
}

/** The condition grids of `folder` (a run's samples/), by step (none when the folder is missing). */
export function listConditionGrids(folder: string): StepFile[] {
  return listParsed(folder, (name) => {
    const step = parseConditionGridFile(name);
    return step === undefined ? undefined : { step, ext: 'png' };
  });
}

/** The paths of a run folder's files. */
export const runPaths = (dir: string) => ({
  config: join(dir, 'config.json'),
  metrics: join(dir, 'metrics.jsonl'),
  summary: join(dir, 'summary.json'),
  samples: join(dir, 'samples'),
  checkpoints: join(dir, 'checkpoints'),
  /** checkpoints/latest.json */
  latest: join(dir, 'checkpoints', LATEST_CHECKPOINT),
  /** samples/step-N.npy: the samples of the evaluation at `step`. */
  sample: (step: number) => join(dir, 'samples', stepFileName(step, 'npy')),
  /** samples/step-N.png: image runs' grid of the evaluation at `step`. */
  grid: (step: number) => join(dir, 'samples', stepFileName(step, 'png')),
  /** samples/step-N-condition.png: image runs of a conditioned family, the condition grid of the evaluation at `step`. */
  conditionGrid: (step: number) => join(dir, 'samples', conditionGridFileName(step)),
  /** checkpoints/step-N.npz (weights) or .json (loop state). */
  checkpoint: (step: number, ext: 'npz' | 'json') => join(dir, 'checkpoints', stepFileName(step, ext)),
});
