import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { CONDITION_OPTIONS, type Condition } from '../condition.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { superResolutionPairs } from '../data/paired.js';
import { captionedTestData, testCaption } from '../families/text-family.test-helper.js';
import { checkConditionData, evalCondition, evalTarget, sampleCondition, type ConditionPlan, type ConditionRequest } from './condition-routes.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-condition-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ringEasy = resolveDataset('ring-easy');
const rotated = resolveDataset('ring-easy-rot');
const captioned = captionedTestData();
const plan = (condition: Condition, hp: ConditionPlan['hp'] = {}): ConditionPlan => ({
  family: { condition },
  data: condition.kind === 'text' ? captioned : ringEasy,
  ...(condition.kind === 'image' ? { dataB: rotated } : {}),
  hp,
});
const KINDS: Record<Condition['kind'], Condition> = {
  none: { kind: 'none' },
  label: { kind: 'label' },
  code: { kind: 'code', categorical: 'catCodes' },
  image: { kind: 'image', paired: false, from: ['a', 'b'] },
  text: { kind: 'text' },
};
const route = (condition: Condition, o: ConditionRequest, hp: ConditionPlan['hp'] = { catCodes: 4 }) => sampleCondition(plan(condition, hp), 'runs/r', 'm', 5, o);
const optionsOf = async (condition: Condition, o: ConditionRequest) => (await route(condition, o)).options(Rng.stream(0, 'sample'));

describe('sampling options are routed by the declared condition kind', () => {
  it('each kind takes its own options and passes them to sample', async () => {
    expect(await optionsOf(KINDS.none, {})).toEqual({});
    expect(await optionsOf(KINDS.label, { label: 3 })).toEqual({ label: 3 });
    // The family reads the categorical code's value as `label`.
    expect(await optionsOf(KINDS.code, { code: 2 })).toEqual({ label: 2 });
    // A caption reaches the model as the data encoder's embedding, one row per sample.
    const caption = testCaption(7);
    expect(await optionsOf(KINDS.text, { caption: ` ${caption} ` })).toEqual({ text: captioned.text!.encode(Array<string>(5).fill(caption)) });
    const b = await optionsOf(KINDS.image, { from: 'b' });
    expect([b.from, b.input?.length]).toEqual(['b', 10]);
    // Fresh source samples come from the draw's Rng: the same seed, the same inputs.
    expect(b.input).toEqual(rotated.sample(5, Rng.stream(0, 'sample')).x);
  });

  it('refuses every option of another kind in one line naming it, the run and what the run takes', async () => {
    const cases: [Condition, ConditionRequest, RegExp][] = [
      [KINDS.none, { label: 1 }, /^`label` applies to models conditioned on a class label \(cgan\); runs\/r is a run of m, conditioned on noise alone$/],
      [KINDS.code, { label: 1 }, /^`label` applies .*\(cgan\); runs\/r is a run of m, conditioned on a latent code \(it takes `code`\)$/],
      [KINDS.label, { code: 1 }, /^`code` applies to models conditioned on a latent code \(infogan\); .* \(it takes `label`\)$/],
      [KINDS.label, { from: 'a' }, /^`from` applies to models conditioned on a source-domain sample \(cyclegan, pix2pix, srgan\)/],
      [KINDS.none, { inputPath: 'x.npy' }, /^`input` applies .*\(cyclegan, pix2pix, srgan\)/],
      [KINDS.image, { caption: 'x' }, /^`caption` applies to models conditioned on a caption \(gan-cls, stackgan\); .* \(it takes `from` or `input`\)$/],
      [KINDS.text, { label: 1 }, /^`label` applies .*; runs\/r is a run of m, conditioned on a caption \(it takes `caption`, `captions` or `interpolate`\)$/],
    ];
    for (const [condition, o, message] of cases) {
      const option = Object.keys(o)[0] === 'inputPath' ? 'input' : Object.keys(o)[0];
      // Every option the message names is listed (the CLI turns those into flags).
      const options = [option, ...CONDITION_OPTIONS[condition.kind]];
      await expect(route(condition, o)).rejects.toMatchObject({ code: 'usage', options, message: expect.stringMatching(message) as unknown });
    }
  });

  it('checks values against the run: labels against its classes, a code against its categories', async () => {
    await expect(route(KINDS.label, { label: 8 })).rejects.toThrow('`label` must be an integer from 0 to 7 (the modes of ring-easy), got "8"');
    await expect(route(KINDS.code, { code: 4 })).rejects.toThrow('`code` must be an integer from 0 to 3 (the values of its categorical code, catCodes=4), got "4"');
    await expect(route(KINDS.code, { code: 0 }, { catCodes: 0 })).rejects.toThrow('`code` fixes the categorical code, and this run of m has none (catCodes=0)');
    await expect(route({ kind: 'image', paired: false, from: ['a'] }, { from: 'b' })).rejects.toThrow('`from` must be a for a run of m, got "b"');
    await expect(route(KINDS.text, { caption: ' ' })).rejects.toThrow('`caption` must not be empty');
  });

  it('a translation of given inputs draws one sample per row; a file is read as the source domain', async () => {
    const given = await route(KINDS.image, { input: { data: new Float32Array(6), rows: 3, cols: 2, name: 'x' } });
    expect(given.n).toBe(3);
    await expect(route(KINDS.image, { input: { data: new Float32Array(6), rows: 2, cols: 3, name: 'x.npy' } })).rejects.toThrow("x.npy: has 3 columns, the model's points have 2");
    const file = join(root, 'pts.npy');
    writeNpy(file, new Float32Array([1, 2, 3, 4]), [2, 2]);
    const read = await route(KINDS.image, { inputPath: file });
    expect([read.n, Array.from(read.options(Rng.stream(0, 's')).input!)]).toEqual([2, [1, 2, 3, 4]]);
  });
});

describe('training and evaluation follow the declaration', () => {
  it('refuses data without what the condition needs', () => {
    expect(() => checkConditionData('c', KINDS.label, resolveDataset('spiral'))).toThrow('c needs data with modes as labels');
    expect(() => checkConditionData('c', KINDS.label, ringEasy)).not.toThrow();
    expect(() => checkConditionData('p', { kind: 'image', paired: true, from: ['a'] }, ringEasy)).toThrow(
      'p translates paired images: use edges2fashion, edges2shoes, edges2digits or `dataPairs` A/ B/; "ring-easy" is unpaired',
    );
    expect(() => checkConditionData('t', KINDS.text, ringEasy)).toThrow(
      't draws images for captions: use a captioned image data set (captioned-mnist, captioned-fashion); "ring-easy" has no captions',
    );
    expect(() => checkConditionData('t', KINDS.text, captioned)).not.toThrow();
    for (const c of [KINDS.none, KINDS.code, KINDS.image]) expect(() => checkConditionData('f', c, resolveDataset('spiral'))).not.toThrow();
  });

  it('paired families take paired data whose sizes fit; the others refuse it', () => {
    const pix = { kind: 'image', paired: true, from: ['a'] } as const;
    const sr = { kind: 'image', paired: true, from: ['a'], scale: 2 } as const;
    const edges = resolveDataset('edges2digits');
    expect(() => checkConditionData('p', pix, edges)).not.toThrow();
    expect(() => checkConditionData('s', sr, edges)).toThrow('s needs targets ×2 the inputs\' side; "edges2digits" pairs 28×28 inputs with 28×28 targets');
    expect(() => checkConditionData('s', sr, superResolutionPairs(resolveDataset('mnist'), 2))).not.toThrow();
    expect(() => checkConditionData('p', pix, superResolutionPairs(resolveDataset('mnist'), 2))).toThrow(
      'p needs targets of the inputs\' size; "mnist" pairs 14×14 inputs with 28×28 targets',
    );
    expect(() => checkConditionData('s', sr, resolveDataset('ring'))).toThrow(
      's needs image data (mnist, fashion-mnist or a folder, paired by downsampling ×2) or paired data (`dataPairs` LOW/ HIGH/); "ring" is neither',
    );
    for (const c of [KINDS.none, KINDS.label, KINDS.code, KINDS.image])
      expect(() => checkConditionData('g', c, edges)).toThrow(
        'g does not take paired data: "edges2digits" pairs each image with an input; train it on the images alone (e.g. fashion-mnist, mnist or a folder)',
      );
    expect(evalTarget({ family: { condition: pix }, data: edges, hp: {} }).name).toBe('edges2digits');
  });

  it('a translation is evaluated on its default source translated into the other domain; the rest from noise', () => {
    expect(evalTarget(plan(KINDS.image)).name).toBe('ring-easy-rot');
    expect(evalTarget({ ...plan(KINDS.image), family: { condition: { kind: 'image', paired: false, from: ['b'] } } }).name).toBe('ring-easy');
    const draw = evalCondition(plan(KINDS.image))(4, Rng.stream(1, 'eval'));
    expect(draw).toEqual({ options: { from: 'a', input: ringEasy.sample(4, Rng.stream(1, 'eval')).x } });
    for (const c of [KINDS.none, KINDS.label, KINDS.code]) {
      expect(evalTarget(plan(c)).name).toBe('ring-easy');
      expect(evalCondition(plan(c))(4, Rng.stream(1, 'eval'))).toBeUndefined();
    }
  });
});
