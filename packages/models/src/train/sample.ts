/**
 * Sampling from a trained run: rebuilds the family's model from config.json, loads the latest
 * checkpoint and draws points (or images, NHWC in [−1, 1]) with a seed of the caller's choosing.
 */
import { GenEvalError } from '@gen-eval/metrics/errors';
import type { ImageShape } from '../data/image-set.js';
import { Rng } from '../rng.js';
import type { BackendChoice } from '../backend.js';
import { activateBackend, buildModel } from './loop.js';
import { readRunConfig } from '@gen-eval/metrics/runs';
import { evalTarget, sampleCondition, type ConditionRequest } from './condition-routes.js';
import { loadRunCheckpoint, planResume } from './setup.js';

/**
 * What to draw. The condition options (`label`, `code`, `from`, `input`/`inputPath`, `caption`)
 * apply to the families whose declared condition takes them (condition.ts); any other is refused.
 */
export interface SampleRunOptions extends ConditionRequest {
  /** Number of points (ignored when `input` or `inputPath` is given: one output per input row). */
  n: number;
  seed?: number;
  /** Condition 'label': the class to generate. */
  label?: number;
  /** Condition 'code': the value of the categorical code (other codes random). */
  code?: number;
  /** Condition 'image': the domain to translate from, and optionally the points to translate. */
  from?: 'a' | 'b';
  input?: { data: Float32Array; rows: number; cols: number; name: string };
  /**
   * Condition 'image': a file or folder of source-domain samples to translate, read as the run's
   * data (points: N×2 .npy; images: a folder or an N×H×W×C .npy, see readSampleInput; a paired
   * run's at the shape of its inputs). Without it, a paired run translates held-out inputs of its data.
   */
  inputPath?: string;
  /** Condition 'text': the caption to draw every sample for (the data's encoder embeds it). */
  caption?: string;
  /** Condition 'text': a file of captions, one a line (blank lines skipped): `n` samples each, in order. */
  captions?: string;
  /** Condition 'text', with `caption`: interpolate the text code from `caption`'s to this caption's in `n` even steps, one noise for all (GAN-INT's figure). */
  interpolate?: string;
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
  /** `inputPath` a folder: the path of each row's input image relative to it (the outputs can mirror them). */
  readonly inputFiles?: readonly string[];
  /** Text runs: the caption each row was drawn for (an interpolation: the mix of its two captions). */
  readonly captions?: readonly string[];
}

/** Draws points from the run in `dir` (see SampleRunOptions). */
export async function sampleRun(dir: string, o: SampleRunOptions): Promise<SampleRunResult> {
  const config = readRunConfig(dir);
  const plan = await planResume(config, { resume: dir });
  if (o.images && !plan.data.image) throw new GenEvalError(`${dir} is a run on 2-D data (${plan.data.name}): its samples are points, write them to a .npy file`);
  if (!Number.isInteger(o.n) || o.n < 1) throw new GenEvalError(`\`n\` must be a positive integer, got "${o.n}"`, { options: ['n'] });
  // Checked (and an input read) before the model is built: a bad request costs no checkpoint load.
  const condition = await sampleCondition(plan, dir, config.model, o.n, o);
  const sel = await activateBackend(config.backend.choice as BackendChoice);
  const model = buildModel(sel.tf, plan);
  try {
    const warnings: string[] = [];
    const state = loadRunCheckpoint(sel.tf, dir, model, warnings);
    const stream = () => Rng.stream(o.seed ?? 0, 'sample');
    const n = condition.n;
    let drawn: { points: Float32Array; captions?: readonly string[] };
    if (condition.draw) drawn = condition.draw(model, stream);
    else {
      const rng = stream();
      drawn = { points: model.sample(n, rng, condition.options(rng)) };
    }
    const image = evalTarget(plan).image;
    const files = condition.files ? { inputFiles: condition.files } : {};
    const captions = drawn.captions ? { captions: drawn.captions } : {};
    return { points: drawn.points, rows: n, dims: plan.data.dims, ...(image ? { image } : {}), step: state.step, notes: [...warnings, ...condition.notes], ...files, ...captions };
  } finally {
    model.dispose();
  }
}
