/**
 * The captioned data sets with a small deterministic encoder (bag of words over the base's
 * vocabulary): base images and labels, captions that describe the image drawn (class and measured
 * attributes), phrasings drawn from the rng, and `text` = the encoder's embeddings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { attributeIndexes, captionVocabulary, loadCaptionGrammar, measureAttributes, parseCaption, tokenizeCaption } from '@gen-eval/metrics/conditional';
import { TEXT_ENCODER_NAMES, type AttributeName, type CaptionedBase, type CaptionEncoder } from '@gen-eval/metrics/conditional';
import { usageError } from '@gen-eval/metrics/errors';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { dataInfo } from '../train/run-data.js';
import { CAPTIONED_DATASETS, captionBatch, captionedDataset } from './captioned.js';
import { DATASET_NAMES, dataRecord, IMAGE_DATASET_NAMES, listDatasets, resolveDataset } from './datasets.js';
import { FASHION_MNIST_DIR, loadFashionMnist } from './fashion-mnist.js';
import { loadMnist } from './mnist.js';

/** Unit-norm word counts over the vocabulary; an unknown word is a usage error naming it. */
function bagOfWords(base: CaptionedBase): CaptionEncoder {
  const vocab = captionVocabulary(base);
  const dims = vocab.length;
  return {
    name: `bow-${base}`,
    dims,
    encode(captions) {
      const out = new Float32Array(captions.length * dims);
      captions.forEach((c, i) => {
        for (const w of tokenizeCaption(c)) {
          const k = vocab.indexOf(w);
          if (k < 0) throw usageError(`unknown word "${w}" in caption "${c}"`);
          out[i * dims + k]! += 1;
        }
        const row = out.subarray(i * dims, (i + 1) * dims);
        const norm = Math.hypot(...row);
        for (let k = 0; k < dims; k++) row[k]! /= norm;
      });
      return out;
    },
  };
}

const cases = [
  { name: 'captioned-mnist', base: 'mnist' as const, skip: false },
  { name: 'captioned-fashion', base: 'fashion-mnist' as const, skip: !existsSync(FASHION_MNIST_DIR) },
];

describe.each(cases)('$name', ({ name, base, skip }) => {
  it.skipIf(skip)('draws the base set’s images and labels, with captions that describe them', () => {
    const encoder = bagOfWords(base);
    const d = captionedDataset(name, {}, encoder);
    expect(d.text).toBe(encoder);
    expect(d.description).toBe(CAPTIONED_DATASETS[name]!.description);
    expect(d.record).toEqual({ name, imageSize: 28 });
    expect(d.classes).toBe(10);
    expect(dataInfo(d)).toMatchObject({ classifier: base, classes: 10, text: { dims: encoder.dims, encoder: `bow-${base}` } });
    const b = d.sample(64, new Rng(5));
    const plain = resolveDataset(base).sample(64, new Rng(5));
    expect(b.x).toEqual(plain.x);
    expect(b.labels).toEqual(plain.labels);
    expect(b.captions).toHaveLength(64);
    expect(b.text).toEqual(encoder.encode(b.captions!));
    // The attributes each caption names are those measured again from the batch's own pixels.
    const values = measureAttributes(
      base,
      b.x.map((v) => (v + 1) / 2),
      64,
    );
    const truth = attributeIndexes(loadCaptionGrammar(), base, values, b.labels!);
    let named = 0;
    b.captions!.forEach((c, i) => {
      const meaning = parseCaption(c, base);
      expect(meaning.label, c).toBe(b.labels![i]);
      for (const [a, v] of Object.entries(meaning.attributes) as [AttributeName, number][]) {
        named++;
        expect(v, `${c}: ${a}`).toBe(truth[a]![i]);
      }
    });
    const held = d.heldOut!(16, new Rng(6));
    expect(held.labels).toEqual(resolveDataset(base).heldOut!(16, new Rng(6)).labels);
    expect(held.captions!.map((c) => parseCaption(c, base).label)).toEqual([...held.labels!]);
    expect(held.text).toEqual(encoder.encode(held.captions!));
    expect(named).toBeGreaterThan(32);
  });

  it.skipIf(skip)('is a pure function of the rng, and phrases one image in several ways', () => {
    const encoder = bagOfWords(base);
    const d = captionedDataset(name, {}, encoder);
    expect(d.sample(8, new Rng(1))).toEqual(d.sample(8, new Rng(1)));
    const set = base === 'mnist' ? loadMnist() : loadFashionMnist('train');
    const picks = new Int32Array(30).fill(7);
    const { captions } = captionBatch(base, set, picks, new Rng(2), encoder);
    expect(new Set(captions).size).toBeGreaterThan(5);
    expect(new Set(captions!.map((c) => parseCaption(c, base).label))).toEqual(new Set([set.labels![7]]));
  });
});

describe('docs/datasets.md', () => {
  it('lists every template and synonym of the grammar', () => {
    const doc = readFileSync(new URL('../../../../docs/datasets.md', import.meta.url), 'utf8');
    const grammar = loadCaptionGrammar();
    for (const b of Object.values(grammar.bases)) {
      for (const t of b.templates) expect(doc).toContain(`- \`${t}\``);
      for (const a of Object.values(b.attributes)) expect(doc).toContain(a.values.map((v) => v.join('/')).join(' · '));
      for (const c of b.classes) expect(doc).toContain(c.join(' / '));
    }
  });
});

describe('registered captioned sets', () => {
  it('are the ones whose conditioning encoder ships, conditioned by it', () => {
    const shipped = Object.entries(CAPTIONED_DATASETS)
      .filter(([, d]) => (TEXT_ENCODER_NAMES as readonly string[]).includes(`text-cond-${d.base}`))
      .map(([name]) => name);
    expect(shipped).toContain('captioned-mnist');
    expect(DATASET_NAMES.filter((n) => n.startsWith('captioned-'))).toEqual(shipped);
    expect(IMAGE_DATASET_NAMES).toEqual(expect.arrayContaining(shipped));
    expect(listDatasets().find((d) => d.name === 'captioned-mnist')?.description).toBe(CAPTIONED_DATASETS['captioned-mnist']!.description);
    const d = resolveDataset('captioned-mnist');
    expect(d.text?.name).toBe('text-cond-mnist');
    expect(dataRecord(d)).toEqual({ name: 'captioned-mnist', imageSize: 28 });
    const b = d.sample(4, new Rng(3));
    expect(b.text).toEqual(d.text!.encode(b.captions!));
    expect(b.text).toHaveLength(4 * d.text!.dims);
  });

  it('refuse an image size other than 28 (the attributes and the judge measure 28×28 images)', () => {
    expect(resolveDataset('captioned-mnist', { imageSize: 28 }).image?.height).toBe(28);
    expect(() => resolveDataset('captioned-mnist', { imageSize: 32 })).toThrow(
      'captioned-mnist has 28×28 images (its attributes and judge encoder measure that size); --image-size 32 does not apply',
    );
  });
});
