import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type { SampleOptions } from '../family.js';
import { captionedTestData, DIGIT_WORDS, testCaption, TEST_TEXT_DIMS } from '../families/text-family.test-helper.js';
import { Rng } from '../rng.js';
import { conditionGrid, evalCondition, type ConditionPlan } from './condition-routes.js';
import { CONDITION_GRID_COLUMNS } from './condition-grid.js';
import { loadCaptionEncoder } from '@gen-eval/metrics/conditional';
import { encodeCaptions, interpolateCodes, readCaptionsFile, repeatRows, textRequest } from './text-routes.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-text-routes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = captionedTestData();
const encode = (captions: string[]) => data.text!.encode(captions);
const file = (name: string, text: string) => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};

/** A stand-in model: each sample is its text code's first value and one draw of the noise stream. */
const echo = {
  sample(n: number, rng: Rng, opts?: SampleOptions): Float32Array {
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      out[2 * i] = opts!.text![i * TEST_TEXT_DIMS]!;
      out[2 * i + 1] = rng.uniform();
    }
    return out;
  },
};
const stream = () => Rng.stream(3, 'sample');

describe('sampling a text run by caption', () => {
  it('draws n samples for one caption, each conditioned on its embedding', () => {
    const c = textRequest(data, 3, { caption: 'a seven' });
    const d = c.draw(echo, stream);
    expect(c.n).toBe(3);
    expect(d.captions).toEqual(['a seven', 'a seven', 'a seven']);
    expect(c.options(stream()).text).toEqual(encode(['a seven', 'a seven', 'a seven']));
  });

  it('a captions file: n per caption in the file’s order; blank lines skipped, CRLF read', () => {
    const path = file('caps.txt', 'a seven\r\n\r\n  the digit 1  \n\n');
    expect(readCaptionsFile(path)).toEqual(['a seven', 'the digit 1']);
    const c = textRequest(data, 2, { captions: path });
    expect(c.n).toBe(4);
    expect(c.draw(echo, stream).captions).toEqual(['a seven', 'a seven', 'the digit 1', 'the digit 1']);
    expect(c.options(stream()).text).toEqual(encode(['a seven', 'a seven', 'the digit 1', 'the digit 1']));
  });

  it('refuses an empty captions file, a missing one, and an unknown word naming the file, line and word', () => {
    for (const text of ['', '\n  \n'])
      expectGenEvalError(() => textRequest(data, 2, { captions: file('empty.txt', text) }), {
        message: /empty\.txt: has no captions \(one caption per line; blank lines are skipped\)$/,
      });
    expectGenEvalError(() => textRequest(data, 2, { captions: join(root, 'none.txt') }), { message: /none\.txt: cannot be read/ });
    expectGenEvalError(() => textRequest(data, 2, { captions: file('bad.txt', 'a seven\na purple seven\n') }), {
      message: /bad\.txt: caption 2 \("a purple seven"\): unknown word "purple"/,
    });
    expectGenEvalError(() => textRequest(data, 2, { caption: 'a purple seven' }), { code: 'usage', message: /^`caption` "a purple seven": unknown word "purple"/ });
  });

  it('names a refused caption once when the encoder names it too (the embedded encoders do)', () => {
    const encoder = loadCaptionEncoder('text-cond-mnist');
    const caps = ['a thick seven', 'a purple seven'];
    const err = expectGenEvalError(() => encodeCaptions(encoder, caps, (i) => ({ file: 'caps.txt', what: `caption ${i + 1} ("${caps[i]}")` })), {
      message: /^caps\.txt: caption 2 \("a purple seven"\): unknown word "purple" \(not in/,
    });
    expect(err.message.split('a purple seven')).toHaveLength(2);
  });

  it('refuses an empty caption and options that do not go together, in one line', () => {
    expectGenEvalError(() => textRequest(data, 2, { caption: '  ' }), { code: 'usage', message: /^`caption` must not be empty$/ });
    expectGenEvalError(() => textRequest(data, 2, { interpolate: 'a one' }), { code: 'usage', message: /^`interpolate` is the caption an interpolation ends at/ });
    expectGenEvalError(() => textRequest(data, 2, { caption: 'a one', captions: 'x.txt' }), {
      code: 'usage',
      message: /^`captions` \(a file\) draws for its own captions: give it alone, without `caption`$/,
    });
  });

  it('interpolates between two captions in n even steps, every row with the same noise (GAN-INT’s figure)', () => {
    const c = textRequest(data, 3, { caption: 'a one', interpolate: 'a seven' });
    const d = c.draw(echo, stream);
    expect(d.captions).toEqual(['1.000 × a one + 0.000 × a seven', '0.500 × a one + 0.500 × a seven', '0.000 × a one + 1.000 × a seven']);
    const [one, seven] = [encode(['a one']), encode(['a seven'])];
    expect(Array.from(d.points.filter((_, i) => i % 2 === 0))).toEqual([one[0]!, Math.fround(0.5 * one[0]! + 0.5 * seven[0]!), seven[0]!]);
    // The noise: the same first draw of the stream in every row.
    const z = stream().uniform();
    expect([d.points[1], d.points[3], d.points[5]]).toEqual([z, z, z].map(Math.fround));
    expect(interpolateCodes(new Float32Array([1, 0]), new Float32Array([0, 1]), 1)).toEqual({ text: new Float32Array([1, 0]), weights: [0] });
  });

  it('without a caption, draws for held-out captions of the data, from the sample stream', () => {
    const c = textRequest(data, 4, {});
    const d = c.draw(echo, stream);
    const held = data.heldOut!(4, stream());
    expect(d.captions).toEqual(held.captions);
    expect(c.notes[0]).toMatch(/^no caption given: drew for 4 held-out captions of captioned-test/);
  });

  it('repeats rows in order', () => {
    expect(Array.from(repeatRows(new Float32Array([1, 2, 3, 4]), 2, 2))).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });
});

describe('training and evaluating a text run', () => {
  const plan: ConditionPlan = { family: { condition: { kind: 'text' } }, data, hp: {} };

  it('evaluates on held-out captions drawn from the evaluation stream, asking each sample for its caption’s class', () => {
    const held = data.heldOut!(4, Rng.stream(1, 'eval'));
    expect(evalCondition(plan)(4, Rng.stream(1, 'eval'))).toEqual({ options: { text: held.text }, captions: held.captions, labels: held.labels });
  });

  it('has a caption grid: one row per class, a held-out caption of it, the same noise down each column', () => {
    const grid = conditionGrid(plan, 5)!;
    expect(grid.record.kind).toBe('text');
    expect(grid.record.rows).toHaveLength(10);
    grid.record.rows.forEach((row, k) => expect([0, 1, 2].map((v) => `"${testCaption(k, v)}"`)).toContain(row));
    expect(grid.record.rows.some((r) => r.includes(DIGIT_WORDS[3]) || r.includes('3'))).toBe(true);
    expect(conditionGrid(plan, 5)!.record).toEqual(grid.record);
    const drawn = grid.draw(echo);
    expect(drawn.length).toBe(10 * CONDITION_GRID_COLUMNS * 2);
    // Column noise repeats down the rows; the text changes.
    expect(drawn[1]).toBe(drawn[2 * CONDITION_GRID_COLUMNS + 1]);
    expect(drawn[0]).not.toBe(drawn[2 * CONDITION_GRID_COLUMNS]);
  });
});
