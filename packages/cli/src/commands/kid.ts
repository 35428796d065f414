/**
 * `gen-eval kid REAL FAKE [--subsets 100] [--subset-size 1000] [--seed 2020]` — Kernel Inception
 * Distance with torch-fidelity's subset draws.
 */
import { kernelInceptionDistance, METRIC } from '@gen-eval/metrics';
import { emit, type OutputOptions } from '../output.js';
import { readFeaturePair } from '../read-inputs.js';

export interface KidCommandOptions extends OutputOptions {
  subsets: number;
  subsetSize: number;
  seed: number;
}

/** Six significant digits: KID values are often ~1e-3 … 1e-5 and may be negative. */
const fmt = (v: number) => v.toPrecision(6);

export async function run(realPath: string, fakePath: string, opts: KidCommandOptions): Promise<void> {
  const { real, fake, warnings, inputs } = await readFeaturePair(realPath, fakePath, opts, { metric: 'KID', minRows: 2, why: 'KID needs at least 2 samples' });
  const r = await kernelInceptionDistance(real, fake, { subsets: opts.subsets, subsetSize: opts.subsetSize, seed: opts.seed });
  emit(
    {
      metric: 'kid',
      [METRIC.kid_mean]: r.mean,
      [METRIC.kid_std]: r.std,
      subsets: r.subsets,
      subset_size: r.subsetSize,
      seed: r.seed,
      kernel: { degree: r.degree, gamma: r.gamma, coef0: r.coef0 },
      n_real: real.rows,
      n_fake: fake.rows,
      dims: real.cols,
      inputs,
    },
    opts,
    `KID: ${fmt(r.mean)} ± ${fmt(r.std)}  (${r.subsets} subsets of ${r.subsetSize}, seed ${r.seed})`,
    [...warnings, ...r.warnings],
  );
}
