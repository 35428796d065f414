/**
 * What an evaluation of a text run measures beyond the image metrics: `attribute_accuracy` (and
 * `attribute_accuracy_<name>` per attribute) — the captioned set's attribute functions applied to
 * the generated images, against the attributes each image's caption asked for (attributes the
 * caption did not name are not counted). Images are measured on their PNG bytes, as
 * `gen-eval sample` writes them, with the thresholds of the class the caption asked for.
 */
import { attributeAccuracy, attributeIndexes, loadCaptionGrammar, measureAttributeLevels, parseCaption } from '@gen-eval/metrics/conditional';
import type { Dataset } from '../data/datasets.js';
import { CAPTIONED_DATASETS } from '../data/captioned.js';
import { toBytes } from '../data/png.js';

/** Attribute accuracy of `samples` (NHWC in [−1, 1]) for their `captions`; {} off a 28 × 28 grey captioned set. */
export function captionAttributeMetrics(target: Dataset, samples: Float32Array, captions: readonly string[]): Record<string, number> {
  const base = CAPTIONED_DATASETS[target.name]?.base;
  const img = target.image;
  if (!base || !img || img.height !== 28 || img.width !== 28 || img.channels !== 1) return {};
  const grammar = loadCaptionGrammar();
  const meanings = captions.map((c) => parseCaption(c, base, grammar));
  const n = captions.length;
  const labels = meanings.map((m) => m.label);
  const measured = attributeIndexes(grammar, base, measureAttributeLevels(base, toBytes(samples), n), labels);
  return { ...attributeAccuracy(measured, meanings).metrics };
}
