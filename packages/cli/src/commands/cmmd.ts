/**
 * `gen-eval cmmd REAL FAKE` — CMMD (Jayasumana et al. 2024): MMD² ×1000 with a Gaussian kernel
 * (σ = 10) between CLIP image embeddings, as google-research's cmmd computes it. Inputs are image
 * folders (embedded by the `clip` extractor, ViT-L/14@336px by default) or `.npy` embeddings.
 */
import { cmmd, CMMD_SIGMA, METRIC } from '@gen-eval/metrics';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { clipExtractorSpec } from '../clip-extractor-spec.js';
import { emit, type OutputOptions } from '../output.js';
import { readFeaturePair } from '../read-inputs.js';

export interface CmmdCommandOptions extends OutputOptions {
  extractor?: string;
  profile?: string;
}

export async function run(realPath: string, fakePath: string, opts: CmmdCommandOptions): Promise<void> {
  const { spec: extractor } = clipExtractorSpec(opts.extractor, 'CMMD');
  // google-research cmmd's own preprocessing (centre square, then resize) unless --profile clean.
  const profile = opts.profile === undefined || opts.profile === DEFAULTS.imageProfile ? 'cmmd' : opts.profile;
  const { real, fake, warnings, inputs } = await readFeaturePair(
    realPath,
    fakePath,
    { ...opts, extractor, profile },
    { metric: 'CMMD', minRows: 1, why: 'CMMD needs at least 1 sample' },
  );
  const value = await cmmd(real, fake, { names: [realPath, fakePath] });
  emit(
    {
      metric: 'cmmd',
      [METRIC.cmmd]: value,
      sigma: CMMD_SIGMA,
      extractor,
      n_real: real.rows,
      n_fake: fake.rows,
      dims: real.cols,
      inputs,
    },
    opts,
    `CMMD: ${value.toPrecision(6)}  (CLIP space, σ = ${CMMD_SIGMA}, ×1000; lower is better)`,
    warnings,
  );
}
