/**
 * Sampling from a trained run: rebuilds the family's model from config.json, loads the latest
 * checkpoint and draws points (or images, NHWC in [−1, 1]) with a seed of the caller's choosing.
 */
import { inputError, GenEvalError } from '@gen-eval/metrics/errors';
import type { SampleOptions } from '../family.js';
import type { ImageShape } from '../data/image-set.js';
import { Rng } from '../rng.js';
import type { BackendChoice } from '../backend.js';
import { activateBackend, buildModel } from './loop.js';
import { readRunConfig } from '@gen-eval/metrics/runs';
import { readSampleInput } from './sample-input.js';
import { loadRunCheckpoint, planResume } from './setup.js';

export interface SampleRunOptions {
  /** Number of points (ignored when `input` is given: one output per input row). */
  n: number;
  seed?: number;
  /** Conditional families: the class to generate. */
  label?: number;
  /** Two-domain families: the direction of translation, and optionally the points to translate. */
  from?: 'a' | 'b';
  input?: { data: Float32Array; rows: number; cols: number; name: string };
  /**
   * Two-domain families: a file or folder of source-domain samples to translate, read as the run's
   * data (points: N×2 .npy; images: a folder or an N×H×W×C .npy, see readSampleInput).
   */
  inputPath?: string;
  /** The caller writes images (PNG files): a run on 2-D data is refused before anything is drawn. */
  images?: boolean;
}

export interface SampleRunResult {
  readonly points: Float32Array;
  readonly rows: number;
  readonly dims: number;
  /** Image runs: the shape of each sample (rows are NHWC-flattened images in [−1, 1]). */
  readonly image?: ImageShape;
  /** The checkpoint's step. */
  readonly step: number;
  /** What reading `inputPath` did that the user should know (images resized), one line each. */
  readonly notes: readonly string[];
}

/** Draws points from the run in `dir` (see SampleRunOptions). */
export async function sampleRun(dir: string, o: SampleRunOptions): Promise<SampleRunResult> {
  const config = readRunConfig(dir);
  const plan = await planResume(config, { resume: dir });
  if (o.images && !plan.data.image) throw new GenEvalError(`${dir} is a run on 2-D data (${plan.data.name}): its samples are points, write them to a .npy file`);
  const twoDomain = plan.family.needs?.secondDomain === true;
  if (o.label !== undefined) {
    if (!plan.family.needs?.labels) throw new GenEvalError(`\`label\` applies to conditional models (cgan); ${dir} is a ${config.model} run`, { options: ['label'] });
    const classes = plan.data.classes ?? 0;
    if (!Number.isInteger(o.label) || o.label < 0 || o.label >= classes)
      throw new GenEvalError(`\`label\` must be an integer from 0 to ${classes - 1} (the modes of ${plan.data.name}), got "${o.label}"`, { options: ['label'] });
  }
  if ((o.from !== undefined || o.input !== undefined || o.inputPath !== undefined) && !twoDomain)
    throw new GenEvalError(`\`from\` and \`input\` apply to translation models (cyclegan); ${dir} is a ${config.model} run`, { options: ['from', 'input'] });
  if (!Number.isInteger(o.n) || o.n < 1) throw new GenEvalError(`\`n\` must be a positive integer, got "${o.n}"`, { options: ['n'] });
  if (o.input && o.input.cols !== plan.data.dims) throw inputError(o.input.name, `has ${o.input.cols} columns, the model's points have ${plan.data.dims}`);
  // Read (and checked) before the model is built: a bad input costs no checkpoint load.
  const source = o.from === 'b' ? plan.dataB : plan.data;
  const fromFile = o.inputPath !== undefined && source ? await readSampleInput(o.inputPath, source) : undefined;
  const input = o.input ?? fromFile;
  const sel = await activateBackend(config.backend.choice as BackendChoice);
  const model = buildModel(sel.tf, plan);
  try {
    const warnings: string[] = [];
    const state = loadRunCheckpoint(sel.tf, dir, model, warnings);
    const rng = Rng.stream(o.seed ?? 0, 'sample');
    const opts: SampleOptions = {};
    if (o.label !== undefined) opts.label = o.label;
    let n = o.n;
    if (twoDomain) {
      opts.from = o.from ?? 'a';
      if (input) n = input.rows;
      opts.input = input ? input.data : source!.sample(n, rng).x;
    }
    const points = model.sample(n, rng, opts);
    const target = plan.dataB ?? plan.data;
    return { points, rows: n, dims: plan.data.dims, ...(target.image ? { image: target.image } : {}), step: state.step, notes: [...warnings, ...(fromFile?.notes ?? [])] };
  } finally {
    model.dispose();
  }
}
