/**
 * Captioned digits and clothes (`captioned-mnist`, `captioned-fashion`): the base set's images and
 * labels with a caption per sample written from its class and its measured attributes (digits:
 * thickness, slant, size; clothes: brightness, size — see @gen-eval/metrics/conditional). Each
 * image's attributes are measured once per process on its 28 × 28 bytes; each draw of a sample
 * picks one of its phrasings (template and synonyms) from the run's rng, so the same image comes
 * with varied captions, as the sentences of the CUB and Oxford-102 sets of Reed et al. (2016) do.
 * The split is the base set's.
 */
import {
  attributeIndexes,
  BASE_ATTRIBUTES,
  generateCaption,
  loadCaptionEncoder,
  loadCaptionGrammar,
  measureAttributeLevels,
  TEXT_ENCODER_NAMES,
} from '@gen-eval/metrics/conditional';
import type { AttributeName, CaptionedBase, CaptionEncoder } from '@gen-eval/metrics/conditional';
import { internalError, usageError } from '@gen-eval/metrics/errors';
import type { DatasetOptions } from '@gen-eval/metrics/runs';
import type { Batch } from '../family.js';
import type { Rng } from '../rng.js';
import type { Dataset } from './dataset.js';
import { imageSetDataset, specOf, type Split } from './image-dataset.js';
import type { ImageSet } from './image-set.js';
import { IMAGE_DATASETS } from './images.js';

/** The captioned sets: name → base set, description. */
export const CAPTIONED_DATASETS: Readonly<Record<string, { readonly base: CaptionedBase; readonly description: string }>> = {
  'captioned-mnist': {
    base: 'mnist',
    description: 'mnist with a caption per sample from its digit and measured stroke thickness, slant and size ("a thick 7 leaning right"; 28×28×1, the split of mnist)',
  },
  'captioned-fashion': {
    base: 'fashion-mnist',
    description: 'fashion-mnist with a caption per sample from its class and measured brightness and size ("a large dark coat"; 28×28×1, the split of fashion-mnist)',
  },
};

/** Per image of a split, the value index (0, 1, 2) of each of the base's attributes, measured once. */
type SplitIndexes = Partial<Record<AttributeName, Uint8Array>>;
const measured = new WeakMap<ImageSet, SplitIndexes>();

function indexesOf(base: CaptionedBase, set: ImageSet): SplitIndexes {
  let hit = measured.get(set);
  if (!hit) {
    const grammar = loadCaptionGrammar();
    hit = attributeIndexes(grammar, base, measureAttributeLevels(base, set.pixels, set.n), set.labels!);
    measured.set(set, hit);
  }
  return hit;
}

/**
 * Captions for the images `picks` of `set`: one phrasing each, drawn from `rng`, and the
 * encoder's embeddings of them.
 */
export function captionBatch(base: CaptionedBase, set: ImageSet, picks: Int32Array, rng: Rng, encoder: CaptionEncoder): Pick<Batch, 'captions' | 'text'> {
  const indexes = indexesOf(base, set);
  const grammar = loadCaptionGrammar();
  const draw = (k: number) => rng.int(k);
  const captions = Array.from(picks, (j) => {
    const values = Object.fromEntries(BASE_ATTRIBUTES[base].map((a) => [a, indexes[a]![j]!]));
    return generateCaption(base, set.labels![j]!, values, draw, grammar).text;
  });
  return { captions, text: encoder.encode(captions) };
}

/**
 * The captioned version of a base set with the given conditioning encoder (`text-cond-<base>`
 * for the registered names; any {@link CaptionEncoder} of the base's vocabulary otherwise).
 */
export function captionedDataset(name: string, o: DatasetOptions, encoder: CaptionEncoder): Dataset {
  const entry = CAPTIONED_DATASETS[name];
  if (!entry) throw internalError(`${name} is not a captioned data set (${Object.keys(CAPTIONED_DATASETS).join(', ')})`);
  // The attribute functions and the judge encoder measure 28 × 28 images: at another size the
  // evaluations could score neither attributes nor captions.
  if (o.imageSize !== undefined && o.imageSize !== 28)
    throw usageError(`${name} has 28×28 images (its attributes and judge encoder measure that size); --image-size ${o.imageSize} does not apply`, { options: ['imageSize'] });
  const spec = specOf(IMAGE_DATASETS[entry.base]!.make(o))!;
  return imageSetDataset({
    ...spec,
    name,
    description: entry.description,
    record: { ...spec.record, name },
    text: encoder,
    annotate: (_split: Split, set: ImageSet, picks: Int32Array, rng: Rng) => captionBatch(entry.base, set, picks, rng, encoder),
  });
}

const encoders = new Map<string, CaptionEncoder>();

/** The shipped conditioning encoder of a base (`text-cond-<base>`), loaded once per process. */
function conditioningEncoder(base: CaptionedBase): CaptionEncoder {
  const name = `text-cond-${base}`;
  let e = encoders.get(name);
  if (!e) encoders.set(name, (e = loadCaptionEncoder(name)));
  return e;
}

/**
 * The registered captioned sets: those whose conditioning encoder ships (`text-cond-<base>` in
 * TEXT_ENCODER_NAMES), conditioned by it. A base without trained encoders has no set to offer.
 */
export const REGISTERED_CAPTIONED_DATASETS: Readonly<Record<string, { readonly description: string; make(o: DatasetOptions): Dataset }>> = Object.fromEntries(
  Object.entries(CAPTIONED_DATASETS)
    .filter(([, d]) => (TEXT_ENCODER_NAMES as readonly string[]).includes(`text-cond-${d.base}`))
    .map(([name, d]) => [name, { description: d.description, make: (o: DatasetOptions) => captionedDataset(name, o, conditioningEncoder(d.base)) }]),
);
