/**
 * `gen-eval cas runs/NAME [-n N] [--epochs E] [--seed S]` — the classification accuracy score
 * (Ravuri & Vinyals 2019) of a class-conditioned image run: a small digit CNN trained on n of its
 * samples (n/K per class, labelled with the class asked for) and tested on the data's real held-out
 * split (`cas`), the same CNN trained on n real training images (`cas_real`), and the embedded
 * classifier's agreement with the requested classes (`class_accuracy`). Writes nothing.
 */
import { casRun } from '@gen-eval/models';
import { emit, log, type OutputOptions } from '../output.js';

export interface CasCommandOptions extends OutputOptions {
  n: number;
  epochs: number;
  seed: number;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export async function run(dir: string, opts: CasCommandOptions): Promise<void> {
  const r = await casRun(dir, { n: opts.n, epochs: opts.epochs, seed: opts.seed, onProgress: log });
  // Numbers at the top level are metrics (the gate and the report read them); the setup is nested.
  emit(
    {
      run: r.run,
      model: r.model,
      data: r.data,
      cas: r.cas,
      cas_real: r.cas_real,
      class_accuracy: r.class_accuracy,
      n: r.n,
      seed: r.seed,
      classifier: { epochs: r.budget.epochs, batch_size: r.budget.batchSize, lr: r.budget.lr, test_images: r.test },
      checkpoint: { step: r.step },
      timing: { seconds: Math.round(r.seconds * 10) / 10 },
    },
    opts,
    [
      `${dir} (${r.model} on ${r.data}, checkpoint at step ${r.step}): CAS ${pct(r.cas)} (real-data baseline ${pct(r.cas_real)}), class accuracy ${pct(r.class_accuracy)}`,
      `  ${r.n} images, ${r.budget.epochs} epochs, batch ${r.budget.batchSize}, tested on ${r.test} held-out images, seed ${r.seed}, ${r.seconds.toFixed(1)} s`,
    ].join('\n'),
  );
}
