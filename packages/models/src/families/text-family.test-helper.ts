/**
 * Shared fixtures of the text-conditioned families (gan-cls, stackgan): a captioned image set
 * built from MNIST's labels — captions from a three-phrasing grammar over the digit's name, no
 * attributes — and a small deterministic word encoder, so the families' checks need neither the
 * shipped encoder weights nor the captioned data sets. The set behaves as a captioned Dataset
 * does (`text` its encoder; `sample`/`heldOut` fill `captions` and `text` as well as `labels`).
 */
import { usageError } from '@gen-eval/metrics/errors';
import type { CaptionEncoder } from '@gen-eval/metrics/conditional';
import type { Batch, FamilyDefinition, HpSchema, HpValues, SampleOptions } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { imageData, buildImage } from './image-family.test-helper.js';
import type { Built } from './family.test-helper.js';

/** Width of the test encoder's embeddings. */
export const TEST_TEXT_DIMS = 16;

/** The digits' names, label i ↦ DIGIT_WORDS[i]. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** The three phrasings of a digit's caption (variant 0, 1, 2). */
export function testCaption(label: number, variant = 0): string {
  const word = DIGIT_WORDS[label]!;
  return [`a ${word}`, `the digit ${label}`, `a digit ${word}`][variant % 3]!;
}

/** Each word's class: the digit a name or numeral stands for, −1 for the function words. */
const VOCABULARY = new Map<string, number>([
  ...DIGIT_WORDS.flatMap((w, i): [string, number][] => [
    [w, i],
    [String(i), i],
  ]),
  ['a', -1],
  ['the', -1],
  ['digit', -1],
]);

/** A unit vector per key, drawn from a seeded stream (the same on every call). */
function unitVector(key: string): Float32Array {
  const v = Rng.stream(20, `test-words:${key}`).normals(TEST_TEXT_DIMS);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/**
 * The test encoder `test-words`: a caption's embedding is the normalised sum of its words'
 * vectors, a digit's name and numeral sharing one vector (weight 3) and each function word its own
 * (weight 1) — so captions of one digit lie close together and those of different digits apart.
 * An unknown word is a usage error naming it, as the real encoders' is.
 */
export function testCaptionEncoder(): CaptionEncoder {
  const vectors = new Map<string, Float32Array>();
  const vector = (word: string): { v: Float32Array; weight: number } => {
    const cls = VOCABULARY.get(word);
    if (cls === undefined) throw usageError(`unknown word "${word}" in a caption (test-words knows: ${[...VOCABULARY.keys()].join(', ')})`);
    const key = cls >= 0 ? `class ${cls}` : word;
    let v = vectors.get(key);
    if (!v) vectors.set(key, (v = unitVector(key)));
    return { v, weight: cls >= 0 ? 3 : 1 };
  };
  return {
    name: 'test-words',
    dims: TEST_TEXT_DIMS,
    encode(captions) {
      const out = new Float32Array(captions.length * TEST_TEXT_DIMS);
      captions.forEach((caption, i) => {
        const row = out.subarray(i * TEST_TEXT_DIMS, (i + 1) * TEST_TEXT_DIMS);
        for (const word of caption.toLowerCase().split(/\s+/).filter(Boolean)) {
          const { v, weight } = vector(word);
          for (let d = 0; d < TEST_TEXT_DIMS; d++) row[d]! += weight * v[d]!;
        }
        const norm = Math.hypot(...row);
        if (norm === 0) throw usageError(`caption ${i + 1} is empty`);
        for (let d = 0; d < TEST_TEXT_DIMS; d++) row[d]! /= norm;
      });
      return out;
    },
  };
}

/** A labelled batch with a caption per sample (its phrasing drawn from `rng`) and their embeddings. */
function captioned(b: Batch, rng: Rng, encoder: CaptionEncoder): Batch {
  if (!b.labels) throw usageError('the captioned test set needs labelled images');
  const captions = Array.from(b.labels, (label) => testCaption(label, rng.int(3)));
  return { ...b, captions, text: encoder.encode(captions) };
}

/**
 * `base` (MNIST at 28 px by default) as a captioned set: each batch's captions are drawn after
 * its images, from the same Rng, and encoded by the test encoder.
 */
export function captionedTestData(base: Dataset = imageData('mnist')): Dataset {
  const encoder = testCaptionEncoder();
  return {
    ...base,
    name: `captioned-test (${base.name})`,
    description: `${base.name} with captions from its labels (test-words)`,
    text: encoder,
    sample: (n, rng) => captioned(base.sample(n, rng), rng, encoder),
    ...(base.heldOut ? { heldOut: (n: number, rng: Rng) => captioned(base.heldOut!(n, rng), rng, encoder) } : {}),
  };
}

/** Builds a text-conditioned family on the captioned test set (image defaults, then `overrides`). */
export function buildText<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Partial<HpValues<S>>, seed = 1, data: Dataset = captionedTestData()): Promise<Built> {
  return buildImage(def, overrides, seed, data);
}

/** Sample options for n samples of a text-conditioned model: the embeddings of these captions (one per sample, cycled). */
export function textOptions(data: Dataset, captions: readonly string[], n: number): SampleOptions {
  if (!data.text) throw usageError(`${data.name} has no captions`);
  return { text: data.text.encode(Array.from({ length: n }, (_, i) => captions[i % captions.length]!)) };
}
