import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type { HpValues } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { Rng } from '../rng.js';
import { mergeHyperParams } from '../train/hyper-params.js';
import { resizeBicubic } from '../train/paired-eval.js';
import { dataInfo } from '../train/run-data.js';
import { testTf, train, type Built } from './family.test-helper.js';
import { expectImageBasics, expectImageResume, imageData } from './image-family.test-helper.js';
import { stackgan } from './stackgan.js';
import { buildText, captionedTestData, testCaption, textOptions, TEST_TEXT_DIMS } from './text-family.test-helper.js';

type Hp = HpValues<typeof stackgan.hyperParams>;
const tiny: Partial<Hp> = { batchSize: 4, hidden: 4, latentDim: 8, condDim: 4, resBlocks: 1, stage1Steps: 1 };
const data = captionedTestData();

/** Every variable's values by name. */
const snapshot = (b: Built) => new Map([...b.model.variables].map(([k, v]) => [k, Array.from(v.dataSync())]));
/** The names under `prefix` whose values differ between two snapshots. */
const changed = (a: Map<string, number[]>, b: Map<string, number[]>, prefix: string) =>
  [...a.keys()].filter((k) => k.startsWith(prefix) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));

describe('stackgan', () => {
  it('is conditioned on text, CPU-sized as gan-cls, with the reference’s z 100, β1 0.5 and KL pull per dimension (2 / 128 = 0.25 / 16)', () => {
    expect(stackgan.condition).toEqual({ kind: 'text' });
    expect(stackgan.defaultData).toBe('captioned-mnist');
    expect(schemaDefaults(stackgan.hyperParams, 'images')).toMatchObject({
      latentDim: 100,
      klWeight: 0.25,
      condDim: 16,
      ca: true,
      lr: 1e-3,
      beta1: 0.5,
      batchSize: 32,
      hidden: 16,
      stage1Steps: 1000,
    });
    expect(Object.keys(stackgan.metrics).sort()).toEqual(['d_loss', 'g_loss', 'kl_loss']);
  });

  it('trains both stages with finite losses, samples 784 values in [−1, 1], leaks nothing, and is deterministic in the seed', async () => {
    const { losses } = await expectImageBasics(stackgan, tiny, 5, data);
    for (const l of losses) expect(Object.keys(l).sort()).toEqual(['d_loss', 'g_loss', 'kl_loss']);
  });

  it('without Conditioning Augmentation: no KL term, still deterministic', async () => {
    const { losses } = await expectImageBasics(stackgan, { ...tiny, ca: false }, 3, data);
    for (const l of losses) expect(Object.keys(l).sort()).toEqual(['d_loss', 'g_loss']);
  });

  it('resumes bit for bit across the switch from stage I to stage II', async () => {
    await expectImageResume(stackgan, { ...tiny, stage1Steps: 2 }, data);
  });

  it('trains stage I for stage1Steps steps, then stage II with stage I frozen', async () => {
    const b = await buildText(stackgan, { ...tiny, stage1Steps: 2 });
    try {
      const s0 = snapshot(b);
      train(b, 2);
      const s1 = snapshot(b);
      expect(changed(s0, s1, 'G1.').length).toBeGreaterThan(0);
      expect(changed(s0, s1, 'D1.').length).toBeGreaterThan(0);
      expect([...changed(s0, s1, 'G2.'), ...changed(s0, s1, 'D2.')]).toEqual([]);
      train(b, 2, 1, 3);
      const s2 = snapshot(b);
      // Stage I's weights and batch-norm averages stay as they were.
      expect([...changed(s1, s2, 'G1.'), ...changed(s1, s2, 'D1.')]).toEqual([]);
      expect(changed(s1, s2, 'G2.').length).toBeGreaterThan(0);
      expect(changed(s1, s2, 'D2.').length).toBeGreaterThan(0);
      expect(Object.fromEntries([...b.model.optimizers].map(([k, o]) => [k, o.iterations]))).toEqual({ D1: 2, G1: 2, D2: 2, G2: 2 });
    } finally {
      b.model.dispose();
    }
  });

  it('the discriminators compress the caption with their own trained layer (dText), or read G’s μ without one', async () => {
    const own = await buildText(stackgan, tiny);
    const viaMu = await buildText(stackgan, { ...tiny, dText: false });
    try {
      const s0 = snapshot(own);
      train(own, 1);
      expect(changed(s0, snapshot(own), 'D1.text.').length).toBeGreaterThan(0);
      expect([...own.model.variables.keys()].filter((k) => /^D2\.text\./.test(k))).not.toHaveLength(0);
      expect([...viaMu.model.variables.keys()].filter((k) => /^D[12]\.text\./.test(k))).toEqual([]);
      for (const l of train(viaMu, 2)) expect(Number.isFinite(l.d_loss)).toBe(true);
    } finally {
      own.model.dispose();
      viaMu.model.dispose();
    }
  });

  it('adds klWeight × the KL term to G’s loss (the first step: same weights, same batch)', async () => {
    const first = async (klWeight: number) => {
      const b = await buildText(stackgan, { ...tiny, klWeight }, 3);
      try {
        return train(b, 1, 3)[0]!;
      } finally {
        b.model.dispose();
      }
    };
    const [two, zero] = [await first(2), await first(0)];
    expect(zero.d_loss).toBe(two.d_loss);
    expect(zero.kl_loss).toBe(two.kl_loss);
    expect(two.kl_loss).toBeGreaterThan(0);
    expect(two.g_loss! - zero.g_loss!).toBeCloseTo(2 * two.kl_loss!, 5);
  });

  it('samples stage I upsampled ×2 by bicubic or stage II from the same draw; the default follows training', async () => {
    const b = await buildText(stackgan, { ...tiny, stage1Steps: 2 });
    try {
      const opts = textOptions(data, [testCaption(7), testCaption(1)], 3);
      train(b, 2);
      const before = b.model.sample(3, new Rng(4), opts);
      expect(Array.from(before)).toEqual(Array.from(b.model.sample(3, new Rng(4), { ...opts, stage: 1 })));
      train(b, 1, 1, 3);
      const one = b.model.sample(3, new Rng(4), { ...opts, stage: 1 });
      const two = b.model.sample(3, new Rng(4), opts);
      expect(Array.from(two)).toEqual(Array.from(b.model.sample(3, new Rng(4), { ...opts, stage: 2 })));
      // Stage I is frozen: its images did not change with stage II's step.
      expect(Array.from(one)).toEqual(Array.from(before));
      expect(Array.from(two)).not.toEqual(Array.from(one));
      for (const s of [one, two]) expect(s.every((v) => v >= -1 && v <= 1)).toBe(true);
      // A stage-I sample is a 14×14 image upsampled: downsampling and upsampling again changes little.
      const back = resizeBicubic(resizeBicubic(one, { height: 28, width: 28, channels: 1 }, 14, 14), { height: 14, width: 14, channels: 1 }, 28, 28);
      const err = one.reduce((s, v, i) => s + Math.abs(v - back[i]!), 0) / one.length;
      expect(err).toBeLessThan(0.05);
      // One sample per caption embedding, each depending on its own row only.
      expect(Array.from(b.model.sample(1, new Rng(4), textOptions(data, [testCaption(7)], 1)))).toEqual(Array.from(two.subarray(0, 784)));
      expectGenEvalError(() => b.model.sample(2, new Rng(1)), { code: 'usage', message: /pass sample\(n, rng, \{ text \}\)/ });
      expectGenEvalError(() => b.model.sample(2, new Rng(1), { text: new Float32Array(TEST_TEXT_DIMS) }), { code: 'usage', message: /text holds 16 values, expected n × 16 = 32/ });
    } finally {
      b.model.dispose();
    }
  });

  it('refuses data without captions, 2-D points and a batch of one with one line', async () => {
    const tf = await testTf();
    const hp = { ...schemaDefaults(stackgan.hyperParams, 'images'), ...tiny };
    for (const info of [dataInfo(imageData('mnist')), { dims: 2 }]) {
      expectGenEvalError((): void => void stackgan.create({ tf, hp, data: info, rng: new Rng(1) }), {
        code: 'usage',
        message: /^stackgan draws 28×28 images from captions: it needs captioned/,
      });
    }
    expectGenEvalError((): void => void stackgan.create({ tf, hp: { ...hp, batchSize: 1 }, data: dataInfo(data), rng: new Rng(1) }), {
      code: 'usage',
      message: /^stackgan needs batchSize ≥ 2/,
    });
  });

  it('refuses bad hyper-parameters as a usage line naming them', () => {
    expectGenEvalError(() => mergeHyperParams(stackgan, { klWeight: '-1' }, true), { code: 'usage', message: /^klWeight must be a number in \[0, 100\]/ });
    expectGenEvalError(() => mergeHyperParams(stackgan, { ca: 'maybe' }, true), { code: 'usage', message: /^ca must be true or false, got "maybe"$/ });
    expectGenEvalError(() => mergeHyperParams(stackgan, { stage1Steps: '0' }, true), { code: 'usage', message: /^stage1Steps must be an integer from 1/ });
    expectGenEvalError(() => mergeHyperParams(stackgan, { condDim: '2.5' }, true), { code: 'usage', message: /^condDim must be an integer/ });
    expect(mergeHyperParams(stackgan, { ca: 'false', klWeight: '0' }, true)).toMatchObject({ ca: false, klWeight: 0 });
  });
});
