/**
 * The attribute measurements against the numpy reference (fixtures/scripts/gen_captions.py): 200
 * held-out digits and garments and 12 synthetic float images, the value indexes, and the
 * thresholds of the shipped grammar against the terciles the script recomputes from the training
 * split.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../io/npy.js';
import {
  attributeIndexes,
  attributeValueIndex,
  BASE_ATTRIBUTES,
  imageLevels,
  INK_LEVEL,
  measureAttributeLevels,
  measureAttributes,
  measureImageAttributes,
  OBJECT_LEVEL,
} from './attributes.js';
import { loadCaptionGrammar } from './grammar.js';
import type { AttributeName, CaptionedBase } from './types.js';

const GOLDEN = new URL('../../../../fixtures/golden/captions/', import.meta.url);

interface GoldenBase {
  readonly labels: number[];
  readonly values: Record<string, number[]>;
  readonly indexes: Record<string, number[]>;
  readonly synthetic_labels: number[];
  readonly synthetic_values: Record<string, number[]>;
  readonly synthetic_indexes: Record<string, number[]>;
  readonly thresholds: Record<string, number[][]>;
}
const golden = JSON.parse(readFileSync(new URL('captions.json', GOLDEN), 'utf8')) as { bases: Record<CaptionedBase, GoldenBase> };
const grammar = loadCaptionGrammar();
const synthetic = readNpy(new URL('synthetic-images.npy', GOLDEN).pathname);

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const worst = expected.reduce((w, e, i) => Math.max(w, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1e-300)), 0);
  // Integer sums and the same final float operations: equal bit for bit, not only to 1e-12.
  expect(worst).toBe(0);
}

describe.each(['mnist', 'fashion-mnist'] as const)('%s attributes', (base) => {
  const g = golden.bases[base];
  const images = readNpy(new URL(`${base}-images.npy`, GOLDEN).pathname);

  it('measures the held-out images as numpy does', () => {
    const n = g.labels.length;
    const values = measureAttributeLevels(base, images.data as Uint8Array, n);
    expect(Object.keys(values)).toEqual([...BASE_ATTRIBUTES[base]]);
    for (const name of BASE_ATTRIBUTES[base]) expectClose(values[name]!, g.values[name]!);
    const indexes = attributeIndexes(grammar, base, values, g.labels);
    for (const name of BASE_ATTRIBUTES[base]) expect([...indexes[name]!]).toEqual(g.indexes[name]);
  });

  it('measures float images (rounded half to even to 8-bit levels) as numpy does', () => {
    const n = g.synthetic_labels.length;
    const values = measureAttributes(base, synthetic.data as Float32Array, n);
    for (const name of BASE_ATTRIBUTES[base]) expectClose(values[name]!, g.synthetic_values[name]!);
    const indexes = attributeIndexes(grammar, base, values, g.synthetic_labels);
    for (const name of BASE_ATTRIBUTES[base]) expect([...indexes[name]!]).toEqual(g.synthetic_indexes[name]);
  });

  it('ships the thresholds the training split gives', () => {
    for (const name of BASE_ATTRIBUTES[base]) expect(grammar.bases[base].attributes[name]!.thresholds).toEqual(g.thresholds[name]);
  });

  it('gives every value about a third of the held-out images', () => {
    for (const name of BASE_ATTRIBUTES[base]) {
      const counts = [0, 1, 2].map((v) => g.indexes[name]!.filter((x) => x === v).length / g.labels.length);
      for (const c of counts) expect(c).toBeGreaterThan(0.2);
    }
  });
});

describe('attribute helpers', () => {
  it('uses the grammar file’s levels', () => {
    expect(grammar.levels).toEqual({ ink: INK_LEVEL, object: OBJECT_LEVEL });
  });

  it('one image gives the batch’s values', () => {
    const one = synthetic.data.subarray(5 * 784, 6 * 784) as Float32Array;
    const batch = measureAttributes('mnist', one, 1);
    const single = measureImageAttributes('mnist', one);
    for (const name of ['thickness', 'slant', 'size'] as AttributeName[]) expect(single[name]).toBe(batch[name]![0]);
    // a right-leaning bar: the top is further right
    expect(single.slant).toBeGreaterThan(0.4);
  });

  it('a vertical bar of width 1 is thin, upright and 20 rows tall', () => {
    const img = new Float32Array(784);
    for (let y = 4; y < 24; y++) img[y * 28 + 13] = 1;
    const v = measureImageAttributes('mnist', img);
    expect(v.thickness).toBeCloseTo(40 / 42, 15);
    expect(v.slant).toBe(-0);
    expect(v.size).toBe(20);
  });

  it('splits at the thresholds: below t1, [t1, t2), at or above t2', () => {
    expect([0.9, 1, 1.5, 2, 3].map((v) => attributeValueIndex(v, [1, 2]))).toEqual([0, 1, 1, 2, 2]);
  });

  it('rejects NaN pixels and wrong sizes', () => {
    const img = new Float32Array(784);
    img[800 - 784] = NaN;
    expect(() => imageLevels(img, 1)).toThrow(/image 0 has a NaN pixel/);
    expect(() => measureAttributes('mnist', new Float32Array(783), 1)).toThrow(/1 × 784 values, got 783/);
    expect(() => attributeIndexes(grammar, 'mnist', { thickness: new Float64Array(2) }, [1])).toThrow(/thickness: expected 1 measured values/);
  });
});
