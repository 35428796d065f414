import { afterAll, describe, expect, it } from 'vitest';
import { captionTokenizer, imageEncoderFrom, loadCaptionEncoder, loadJudge } from './encoders.js';
import { captionVocabulary } from './captions.js';
import { loadTextEncoderWeights, TEXT_ENCODER_NAMES } from './text-encoders.js';
import { expectUnitRows, maxAbsDiff, textEncoderGolden } from './text-encoders.test-helper.js';

const gray = (bytes: Uint8Array) => Float32Array.from(bytes, (b) => b / 255);

/**
 * Top-1 retrievals under the training script's protocol: pair i's candidates are its own and the
 * next 99 pairs' (cyclic); a hit needs the true one strictly above all others.
 */
function retrievalHits(img: Float32Array, txt: Float32Array, n: number, dims: number): { imageToCaption: number; captionToImage: number } {
  const sim = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < dims; k++) s += img[i * dims + k]! * txt[j * dims + k]!;
    return s;
  };
  let imageToCaption = 0;
  let captionToImage = 0;
  const k = Math.min(100, n);
  for (let i = 0; i < n; i++) {
    let bestI2t = -Infinity;
    let bestT2i = -Infinity;
    for (let c = 1; c < k; c++) {
      bestI2t = Math.max(bestI2t, sim(i, (i + c) % n));
      bestT2i = Math.max(bestT2i, sim((i + c) % n, i));
    }
    if (sim(i, i) > bestI2t) imageToCaption++;
    if (sim(i, i) > bestT2i) captionToImage++;
  }
  return { imageToCaption, captionToImage };
}

describe.each(TEXT_ENCODER_NAMES)('%s', (name) => {
  const { arrays, text } = textEncoderGolden(name);
  const { weights, metadata } = loadTextEncoderWeights(name);
  const image = imageEncoderFrom(name, weights, { threads: 1 });
  afterAll(() => image.dispose());

  it('encodes the golden captions (text) as torch did, in unit rows', () => {
    const enc = loadCaptionEncoder(name);
    expect(enc.name).toBe(name);
    expect(enc.dims).toBe(64);
    const got = enc.encode(text.captions);
    expect(maxAbsDiff(got, arrays.caption_embeddings!.data as Float32Array)).toBeLessThan(1e-5);
    expectUnitRows(got, enc.dims);
    expect(enc.encode([])).toHaveLength(0);
  });

  it('encodes the golden held-out images as torch did, in unit rows', async () => {
    const n = arrays.images!.shape[0]!;
    const got = await image.encodeImages(gray(arrays.images!.data as Uint8Array), n);
    expect(maxAbsDiff(got, arrays.image_embeddings!.data as Float32Array)).toBeLessThan(1e-5);
    expectUnitRows(got, 64);
  });

  it('recomputes the recorded retrieval accuracy on the first 300 held-out pairs (±1 pair for float near-ties)', async () => {
    const r = metadata.retrieval;
    const n = r.first_pairs;
    expect(text.retrieval_captions).toHaveLength(n);
    const img = await image.encodeImages(gray(arrays.retrieval_images!.data as Uint8Array), n);
    const txt = loadCaptionEncoder(name).encode(text.retrieval_captions);
    const hits = retrievalHits(img, txt, n, weights.dims);
    expect(Math.abs(hits.imageToCaption - r.first_pairs_image_to_caption_correct)).toBeLessThanOrEqual(1);
    expect(Math.abs(hits.captionToImage - r.first_pairs_caption_to_image_correct)).toBeLessThanOrEqual(1);
  });
});

describe('loadJudge and loadCaptionEncoder', () => {
  const judge = loadJudge('mnist', { threads: 1 });
  afterAll(() => judge.dispose());

  it('the judge is text-judge-<base>, with both halves, and is not the conditioning encoder', async () => {
    expect(judge.name).toBe('text-judge-mnist');
    expect(judge.metadata.seed).not.toBe(loadCaptionEncoder('text-cond-mnist').metadata.seed);
    const cond = loadCaptionEncoder('text-cond-mnist').encode(['a thick seven']);
    const own = judge.encode(['a thick seven']);
    expect(maxAbsDiff(cond, own)).toBeGreaterThan(0.01);
    expect(await judge.encodeImages(new Float32Array(0), 0)).toHaveLength(0);
  });

  it('gives each caption the same row alone, in a batch and repeated (memoised rows)', () => {
    const captions = ['a thick seven leaning right', 'the digit 7', 'a thick seven leaning right', 'a small 1'];
    const batch = loadCaptionEncoder('text-cond-mnist').encode(captions);
    const fresh = loadCaptionEncoder('text-cond-mnist');
    captions.forEach((c, i) => expect(Array.from(fresh.encode([c]))).toEqual(Array.from(batch.subarray(i * 64, (i + 1) * 64))));
    expect(maxAbsDiff(batch.subarray(0, 64), batch.subarray(64, 128))).toBeGreaterThan(0.01);
  });

  it('refuses weights trained on another vocabulary, naming the file', () => {
    const { weights, metadata } = loadTextEncoderWeights('text-cond-mnist');
    expect(captionTokenizer('text-cond-mnist', metadata, weights)('a seven')).toHaveLength(2);
    const changed = ['aardvark', ...captionVocabulary('mnist').slice(1)];
    expect(() => captionTokenizer('text-cond-mnist', metadata, weights, changed)).toThrow(
      /^\S*text-cond-mnist\.npz: trained on another vocabulary than \S*caption-grammar\.json gives for mnist \(\d+ words now, \d+ in the weights\); retrain with fixtures\/scripts\/train_text_encoders\.py$/,
    );
  });

  it('can be used again after dispose (a new session)', async () => {
    const image = imageEncoderFrom('text-judge-mnist', loadTextEncoderWeights('text-judge-mnist').weights, { threads: 1 });
    const one = await image.encodeImages(new Float32Array(784).fill(0.5), 1);
    await image.dispose();
    await image.dispose();
    expect(Array.from(await image.encodeImages(new Float32Array(784).fill(0.5), 1))).toEqual(Array.from(one));
    await image.dispose();
  });

  it('refuses an unknown word naming it, and a wrong image count', async () => {
    expect(() => judge.encode(['a thick seven', 'a purple seven'])).toThrow(/^caption "a purple seven": unknown word "purple"/);
    expect(() => loadCaptionEncoder('text-cond-mnist').encode(['!!!'])).toThrow(/has no words/);
    await expect(judge.encodeImages(new Float32Array(10), 1)).rejects.toThrow(/expected 1 × 28 × 28 = 784 image values, got 10/);
  });
});
