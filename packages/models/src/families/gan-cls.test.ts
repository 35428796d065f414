import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type { HpValues } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { Rng } from '../rng.js';
import { mergeHyperParams } from '../train/hyper-params.js';
import { dataInfo } from '../train/run-data.js';
import { testTf, train } from './family.test-helper.js';
import { ganCls, wrongIndices } from './gan-cls.js';
import { expectImageBasics, expectImageResume, imageData } from './image-family.test-helper.js';
import { buildText, captionedTestData, testCaption, textOptions, TEST_TEXT_DIMS } from './text-family.test-helper.js';

type Hp = HpValues<typeof ganCls.hyperParams>;
const tiny: Partial<Hp> = { batchSize: 4, hidden: 4, latentDim: 8, textDim: 8 };
const data = captionedTestData();

describe('gan-cls', () => {
  it('is conditioned on text, with the paper’s nz 100, text code 128 and β1 0.5, CPU-sized width, batch and lr, and CLS and INT on', () => {
    expect(ganCls.condition).toEqual({ kind: 'text' });
    expect(ganCls.defaultData).toBe('captioned-mnist');
    expect(schemaDefaults(ganCls.hyperParams, 'images')).toMatchObject({ latentDim: 100, textDim: 128, lr: 1e-3, beta1: 0.5, batchSize: 32, hidden: 16, cls: true, int: true });
    expect(Object.keys(ganCls.metrics).sort()).toEqual(['d_loss', 'g_loss']);
  });

  it('refuses data without captions and 2-D points with one line', async () => {
    const tf = await testTf();
    const hp = schemaDefaults(ganCls.hyperParams, 'images');
    for (const info of [dataInfo(imageData('mnist')), { dims: 2 }]) {
      expectGenEvalError((): void => void ganCls.create({ tf, hp, data: info, rng: new Rng(1) }), {
        code: 'usage',
        message: /^gan-cls draws images for captions: it needs a captioned image data set/,
      });
    }
  });

  it('refuses a bad cls / int / textDim value as a usage line naming it', () => {
    expectGenEvalError(() => mergeHyperParams(ganCls, { cls: 'yes' }, true), { code: 'usage', message: /^cls must be true or false, got "yes"$/ });
    expectGenEvalError(() => mergeHyperParams(ganCls, { int: 1 }, true), { code: 'usage', message: /^int must be/ });
    expectGenEvalError(() => mergeHyperParams(ganCls, { textDim: 0 }, true), { code: 'usage', message: /^textDim must be an integer/ });
    expect(mergeHyperParams(ganCls, { cls: false, int: false }, true)).toMatchObject({ cls: false, int: false });
  });

  it('trains with finite losses, samples 784 values in [−1, 1], leaks nothing, and is deterministic in the seed', async () => {
    await expectImageBasics(ganCls, tiny, 6, data);
  });

  it('resumes bit for bit from saved variables and optimiser slots', async () => {
    await expectImageResume(ganCls, tiny, data);
  });

  it('the ablations change the game: cls off drops the wrong pairs from D’s loss, int off the interpolations from G’s', async () => {
    const losses = async (o: Partial<Hp>) => {
      const b = await buildText(ganCls, { ...tiny, ...o }, 3);
      try {
        return train(b, 2, 3);
      } finally {
        b.model.dispose();
      }
    };
    const both = await losses({});
    const noCls = await losses({ cls: false });
    const noInt = await losses({ int: false });
    // The first step: same weights, same batch; D's loss differs with cls, G's with int only.
    expect(noCls[0]!.d_loss).not.toBe(both[0]!.d_loss);
    expect(noInt[0]!.d_loss).toBe(both[0]!.d_loss);
    expect(noInt[0]!.g_loss).not.toBe(both[0]!.g_loss);
    for (const l of [...noCls, ...noInt]) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
  });

  it('draws one image per caption embedding, the caption changing the image under the same noise', async () => {
    const b = await buildText(ganCls, tiny);
    try {
      train(b, 2);
      const sevens = b.model.sample(3, new Rng(4), textOptions(data, [testCaption(7)], 3));
      const ones = b.model.sample(3, new Rng(4), textOptions(data, [testCaption(1)], 3));
      expect(sevens.length).toBe(3 * 784);
      expect(Array.from(sevens)).not.toEqual(Array.from(ones));
      // A sample depends on its own row only: the first of three equals a draw of one.
      expect(Array.from(b.model.sample(1, new Rng(4), textOptions(data, [testCaption(7)], 1)))).toEqual(Array.from(sevens.subarray(0, 784)));
      expectGenEvalError(() => b.model.sample(2, new Rng(1)), { code: 'usage', message: /pass sample\(n, rng, \{ text \}\)/ });
      expectGenEvalError(() => b.model.sample(2, new Rng(1), { text: new Float32Array(TEST_TEXT_DIMS) }), { code: 'usage', message: /text holds 16 values, expected n × 16 = 32/ });
    } finally {
      b.model.dispose();
    }
  });

  it('pairs every image with a caption of another class where the batch has one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 }), fc.integer(), (labels, seed) => {
        const captions = labels.map((l) => testCaption(l));
        const w = wrongIndices({ n: labels.length, labels: Int32Array.from(labels), captions }, new Rng(seed));
        const distinct = new Set(labels).size;
        labels.forEach((l, i) => {
          if (distinct > 1) expect(labels[w[i]!]).not.toBe(l);
          else if (labels.length > 1) expect(w[i]).not.toBe(i);
          else expect(w[i]).toBe(i);
        });
      }),
    );
    // No labels: a different caption.
    const w = wrongIndices({ n: 3, captions: ['a one', 'a one', 'a two'] }, new Rng(1));
    expect([w[0], w[1]]).toEqual([2, 2]);
    expect([0, 1]).toContain(w[2]);
  });
});
