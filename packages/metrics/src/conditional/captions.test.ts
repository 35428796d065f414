/**
 * Captions: the numpy reference's captions replayed from the same draws
 * (fixtures/scripts/gen_captions.py), parse-back and vocabulary properties over every template and
 * synonym, and the errors a caption outside the grammar gets.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_ATTRIBUTES } from './attributes.js';
import { captionVocabulary, generateCaption, parseCaption, tokenizeCaption } from './captions.js';
import { loadCaptionGrammar } from './grammar.js';
import type { AttributeName, CaptionedBase, CaptionMeaning } from './types.js';

interface GoldenCaption {
  readonly text: string;
  readonly meaning: CaptionMeaning;
  readonly drawn: number[];
}
interface GoldenBase {
  readonly labels: number[];
  readonly indexes: Record<string, number[]>;
  readonly vocabulary: string[];
  readonly captions: GoldenCaption[];
}
const golden = JSON.parse(readFileSync(new URL('../../../../fixtures/golden/captions/captions.json', import.meta.url), 'utf8')) as { bases: Record<CaptionedBase, GoldenBase> };
const grammar = loadCaptionGrammar();
const BASES = ['mnist', 'fashion-mnist'] as const;

/** Replays recorded draws, checking each bound is the one the reference drew with. */
function replay(drawn: readonly number[]): (n: number) => number {
  let k = 0;
  return (n) => {
    const v = drawn[k++];
    if (v === undefined || v >= n) throw new Error(`draw ${k - 1}: ${v} out of [0, ${n})`);
    return v;
  };
}

/** Arbitrary class, attribute values and draw source for a base. */
const meaningArb = (base: CaptionedBase) =>
  fc.record({
    label: fc.integer({ min: 0, max: 9 }),
    values: fc.tuple(...BASE_ATTRIBUTES[base].map(() => fc.integer({ min: 0, max: 2 }))),
    seeds: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  });

const seededRng = (seeds: readonly number[]) => {
  let k = 0;
  return (n: number) => seeds[k++ % seeds.length]! % n;
};

describe.each(BASES)('%s captions', (base) => {
  const g = golden.bases[base];

  it('are the numpy reference’s captions for the same draws', () => {
    g.captions.forEach((c, j) => {
      const i = j * 5;
      const values = Object.fromEntries(BASE_ATTRIBUTES[base].map((a) => [a, g.indexes[a]![i]!]));
      const out = generateCaption(base, g.labels[i]!, values, replay(c.drawn), grammar);
      expect(out.text).toBe(c.text);
      expect(out.meaning).toEqual(c.meaning);
    });
  });

  it('has the numpy reference’s vocabulary', () => {
    expect(captionVocabulary(base, grammar)).toEqual(g.vocabulary);
  });

  it('parse back to their meaning, and use only vocabulary words', () => {
    const vocab = new Set(captionVocabulary(base, grammar));
    fc.assert(
      fc.property(meaningArb(base), ({ label, values, seeds }) => {
        const attrs = Object.fromEntries(BASE_ATTRIBUTES[base].map((a, k) => [a, values[k]!])) as Partial<Record<AttributeName, number>>;
        const { text, meaning } = generateCaption(base, label, attrs, seededRng(seeds), grammar);
        expect(parseCaption(text, base, grammar)).toEqual(meaning);
        for (const a of Object.keys(meaning.attributes) as AttributeName[]) expect(meaning.attributes[a]).toBe(attrs[a]);
        for (const w of tokenizeCaption(text)) expect(vocab.has(w)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('every template and every synonym parses back', () => {
    const b = grammar.bases[base];
    for (let t = 0; t < b.templates.length; t++) {
      for (let label = 0; label < 10; label++) {
        for (let s = 0; s < 3; s++) {
          // the template t, then synonym s (mod its count) everywhere
          const rng = (n: number) => (n === b.templates.length && t >= 0 ? t : s % n);
          const values = Object.fromEntries(BASE_ATTRIBUTES[base].map((a, k) => [a, (label + k + s) % 3]));
          const { text, meaning } = generateCaption(base, label, values, rng, grammar);
          expect(parseCaption(text, base, grammar), text).toEqual(meaning);
        }
      }
    }
  });
});

describe('caption words', () => {
  it('tokenizes to lower-case words, keeping inner hyphens', () => {
    expect(tokenizeCaption('A T-shirt, thin & Left-leaning!  8.')).toEqual(['a', 't-shirt', 'thin', 'left-leaning', '8']);
  });

  it('writes a/an by the next word', () => {
    const at = (label: number, pick: number) => generateCaption('mnist', label, { thickness: 0, slant: 0, size: 0 }, (n) => (n === 14 ? 8 : pick % n), grammar).text;
    expect(at(8, 0)).toBe('an eight');
    expect(at(8, 1)).toBe('an 8');
    expect(at(1, 0)).toBe('a one');
    expect(generateCaption('fashion-mnist', 9, { brightness: 0, size: 0 }, (n) => (n === 10 ? 4 : 0), grammar).text).toBe('an ankle boot');
  });

  it('parses attribute phrases in any order', () => {
    expect(parseCaption('Slanted right, the digit 4 — THICK.', 'mnist')).toEqual({ label: 4, attributes: { slant: 2, thickness: 2 } });
    expect(parseCaption('a pair of trousers, dark', 'fashion-mnist')).toEqual({ label: 1, attributes: { brightness: 0 } });
  });

  it('rejects a word outside the vocabulary, naming it and the caption', () => {
    expect(() => parseCaption('a purple 3', 'mnist')).toThrow('caption "a purple 3": unknown word "purple" (not in the mnist caption vocabulary)');
    expect(() => parseCaption('a thin dress', 'fashion-mnist')).toThrow(/unknown word "thin"/);
  });

  it('rejects captions without one class or with two values of an attribute', () => {
    expect(() => parseCaption('a thin digit', 'mnist')).toThrow(/names no class \(zero, one/);
    expect(() => parseCaption('a 3 and a 4', 'mnist')).toThrow(/names two classes \(3 and 4\)/);
    expect(() => parseCaption('a thin thick 3', 'mnist')).toThrow(/gives thickness two values/);
    expect(() => parseCaption('a pair of shoes', 'fashion-mnist')).toThrow(/unknown word "shoes"/);
    expect(() => parseCaption('a pair', 'fashion-mnist')).toThrow(/"pair" is only part of a phrase here/);
  });

  it('rejects a class label or attribute value out of range', () => {
    expect(() => generateCaption('mnist', 10, {}, () => 0, grammar)).toThrow(/class label 10/);
    expect(() => generateCaption('mnist', 1, { thickness: 3 }, () => 0, grammar)).toThrow(/thickness needs a value index 0, 1 or 2, got 3/);
  });
});
