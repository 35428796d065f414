/**
 * What an evaluation of a text run measures beyond the image metrics: `attribute_accuracy` (and
 * `attribute_accuracy_<name>` per attribute) — the captioned set's attribute functions applied to
 * the generated images, against the attributes each image's caption asked for (attributes the
 * caption did not name are not counted). Images are measured on their PNG bytes, as
 * `gen-eval sample` writes them, with the thresholds of the class the caption asked for; and, with
 * the judge encoder (`text-judge-<base>`, trained apart from the encoder that conditions the
 * generator, so no model is scored by the network it learnt from), `r_precision` (AttnGAN's: each
 * image's own caption ranked among 99 held-out captions of other meanings, R = 1; chance 1 %) and
 * `text_alignment` (the CLIP-score formula, mean 100·max(cos, 0) of image and caption).
 */
import { RandomState, type Matrix } from '@gen-eval/metrics';
import {
  attributeAccuracy,
  attributeIndexes,
  loadCaptionGrammar,
  loadJudge,
  meaningKey,
  measureAttributeLevels,
  parseCaption,
  rPrecision,
  textAlignment,
  type CaptionedBase,
  type CaptionSet,
  type LoadedJudge,
} from '@gen-eval/metrics/conditional';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { heldOutCaptions } from './text-routes.js';
import { CAPTIONED_DATASETS } from '../data/captioned.js';
import { toBytes } from '../data/png.js';

/** The base of a captioned set of 28 × 28 grey images (the attribute functions' and the judges' domain). */
function judgedBase(target: Dataset): CaptionedBase | undefined {
  const base = CAPTIONED_DATASETS[target.name]?.base;
  const img = target.image;
  return base && img && img.height === 28 && img.width === 28 && img.channels === 1 ? base : undefined;
}

/** Attribute accuracy of `samples` (NHWC in [−1, 1]) for their `captions`; {} off a 28 × 28 grey captioned set. */
export function captionAttributeMetrics(target: Dataset, samples: Float32Array, captions: readonly string[]): Record<string, number> {
  const base = judgedBase(target);
  if (!base) return {};
  const grammar = loadCaptionGrammar();
  const meanings = captions.map((c) => parseCaption(c, base, grammar));
  const n = captions.length;
  const labels = meanings.map((m) => m.label);
  const measured = attributeIndexes(grammar, base, measureAttributeLevels(base, toBytes(samples), n), labels);
  return { ...attributeAccuracy(measured, meanings).metrics };
}

/** Held-out captions R-precision ranks each true caption among (1 000: ten times the candidates). */
const POOL = 1000;

/** What a text run's evaluations are judged with, fixed for the run. */
export interface TextEvalReference {
  readonly base: CaptionedBase;
  readonly judge: LoadedJudge;
  /** Held-out captions of the data, drawn once from the run's `text-pool` stream and embedded by the judge: R-precision's mismatches. */
  readonly pool: CaptionSet;
}

const asMatrix = (x: Float32Array, cols: number): Matrix => ({ rows: x.length / cols, cols, data: x });

/** The judge and the mismatch pool of a captioned set's run (undefined off one). Release with `judge.dispose()`. */
export function textEvalReference(data: Dataset, seed: number): TextEvalReference | undefined {
  const base = judgedBase(data);
  if (!base || !data.text) return undefined;
  const judge = loadJudge(base);
  const pool = heldOutCaptions(data, POOL, Rng.stream(seed, 'text-pool')).captions;
  return { base, judge, pool: { embeddings: asMatrix(judge.encode(pool), judge.dims), meanings: pool.map((c) => meaningKey(parseCaption(c, base))) } };
}

/** R-precision and text alignment of `samples` for their `captions` by the judge; the mismatches drawn by `seed`. */
export async function judgeMetrics(ref: TextEvalReference, samples: Float32Array, captions: readonly string[], seed: number): Promise<Record<string, number>> {
  const n = captions.length;
  const images = Float32Array.from(toBytes(samples), (v) => v / 255);
  const dims = ref.judge.dims;
  const img = asMatrix(await ref.judge.encodeImages(images, n), dims);
  const cap = asMatrix(ref.judge.encode(captions), dims);
  const meanings = captions.map((c) => meaningKey(parseCaption(c, ref.base)));
  const r = rPrecision(img, { embeddings: cap, meanings }, ref.pool, new RandomState(seed >>> 0), { names: ['generated images', 'their captions', 'held-out captions'] });
  return { r_precision: r.rPrecision, text_alignment: textAlignment(img, cap, ['generated images', 'their captions']).textAlignment };
}
