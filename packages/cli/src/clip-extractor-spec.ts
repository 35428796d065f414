/**
 * Commands defined in CLIP space (cmmd, clip-score) read image folders with a `clip` extractor:
 * the shared default (Inception) becomes `clip`, another network is refused in one line.
 */
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { usageError } from '@gen-eval/metrics/errors';
import { CLIP_DEFAULT_MODEL } from '@gen-eval/metrics/extract';

/** The `--extractor` spec such a command uses, and the OpenAI model it names. */
export function clipExtractorSpec(spec: string | undefined, metric: string): { spec: string; model: string } {
  if (spec === undefined || spec === DEFAULTS.extractor || spec === 'clip') return { spec: 'clip', model: CLIP_DEFAULT_MODEL };
  if (spec.startsWith('clip:')) return { spec, model: spec.slice('clip:'.length) };
  throw usageError(`--extractor ${spec}: ${metric} is computed on CLIP image embeddings; use clip or clip:<model>`);
}
