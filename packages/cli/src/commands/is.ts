/**
 * `gen-eval is LOGITS.npy|FOLDER [--splits 10] [--shuffle-seed S]` — Inception Score from logits,
 * or from an image folder through the extractor's logits (the Inception's 1008 unbiased logits).
 */
import { inceptionScore, METRIC, type Matrix } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import { emit, type OutputOptions } from '../output.js';
import { loadInputs } from '../read-inputs.js';

export interface IsOptions extends OutputOptions {
  splits: number;
  shuffleSeed?: number;
}

/** Logits from a .npy file, or computed for an image folder. */
async function readLogits(path: string, opts: IsOptions): Promise<{ logits: Matrix; warnings: string[] }> {
  const {
    inputs: [input],
    warnings,
  } = await loadInputs([path], opts, { accept: ['images', 'features'], minRows: 1 });
  if (input!.kind === 'features') return { logits: input!.features, warnings };
  if (input!.kind !== 'images' || !input!.set.logits) throw inputError(path, 'this extractor gives no logits for the Inception Score');
  return { logits: input!.set.logits, warnings };
}

export async function run(logitsPath: string, opts: IsOptions): Promise<void> {
  const { splits } = opts;
  const shuffleSeed = opts.shuffleSeed ?? null;
  const { logits, warnings } = await readLogits(logitsPath, opts);
  if (logits.rows < splits) throw inputError(logitsPath, `--splits ${splits} needs at least ${splits} samples, found ${logits.rows}`);
  if (logits.cols < 2) throw inputError(logitsPath, `logits need at least 2 classes (columns), found ${logits.cols}`);
  const r = inceptionScore(logits, { splits, shuffleSeed });
  emit(
    { metric: 'is', [METRIC.is_mean]: r.mean, [METRIC.is_std]: r.std, split_scores: r.scores, n: r.n, classes: r.classes, splits: r.splits, shuffle_seed: r.shuffleSeed },
    opts,
    `IS: ${r.mean.toFixed(6)} ± ${r.std.toFixed(6)}  (${r.n} samples, ${r.classes} classes, ${r.splits} splits${shuffleSeed === null ? '' : `, shuffled with seed ${shuffleSeed}`})`,
    warnings,
  );
}
