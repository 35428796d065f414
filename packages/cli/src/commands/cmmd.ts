/**
 * `gen-eval cmmd REAL FAKE` — CMMD (Jayasumana et al. 2024): MMD² ×1000 with a Gaussian kernel
 * (σ = 10) between CLIP image embeddings, as google-research's cmmd computes it. Inputs are image
 * folders (embedded by the `clip` extractor, ViT-L/14@336px by default) or `.npy` embeddings.
 */
import { cmmd, CMMD_SIGMA, METRIC } from '@gen-eval/metrics';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { usageError } from '@gen-eval/metrics/errors';
import { emit, type OutputOptions } from '../output.js';
import { readFeaturePair } from '../read-inputs.js';

export interface CmmdCommandOptions extends OutputOptions {
  extractor?: string;
}

/** CMMD is defined in CLIP space: the shared default extractor (Inception) becomes `clip`, others are refused. */
function clipExtractor(spec: string | undefined): string {
  if (spec === undefined || spec === DEFAULTS.extractor) return 'clip';
  if (spec === 'clip' || spec.startsWith('clip:')) return spec;
  throw usageError(`--extractor ${spec}: CMMD is computed on CLIP image embeddings; use clip or clip:<model>`);
}

export async function run(realPath: string, fakePath: string, opts: CmmdCommandOptions): Promise<void> {
  const extractor = clipExtractor(opts.extractor);
  const { real, fake, warnings, inputs } = await readFeaturePair(realPath, fakePath, { ...opts, extractor }, { metric: 'CMMD', minRows: 1, why: 'CMMD needs at least 1 sample' });
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
