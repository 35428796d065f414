import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clipScore } from './clip-score.js';
import { matrix } from './matrix.js';
import { RandomState } from './random.js';

interface Case {
  seed: number;
  n: number;
  d: number;
  shift: number;
  value: number;
  per_pair: number[];
}
const golden = JSON.parse(readFileSync(new URL('../../../fixtures/golden/clip/clip-score.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

describe('clipScore against torchmetrics clip_score arithmetic', () => {
  it.each(golden.cases.map((c) => [c.seed, c] as const))('seed %i', (_seed, c) => {
    const rng = new RandomState(c.seed);
    const image = rng.normals(c.n * c.d);
    const text = rng.normals(c.n * c.d);
    for (let i = 0; i < text.length; i++) text[i]! += c.shift * image[i]!;
    const result = clipScore(matrix(image, c.n, c.d), matrix(text, c.n, c.d));
    expect(result.count).toBe(c.n);
    expect(Math.abs(result.value - c.value)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(c.value), 1e-300));
    result.perPair.forEach((v, i) => expect(Math.abs(v - c.per_pair[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(c.per_pair[i]!), 1e-12)));
  });

  it('is 100 for identical directions and 0 for opposite ones', () => {
    const a = matrix(Float64Array.from([1, 2, 3, 1, 0, 0, 1, 0, 0]), 3, 3);
    const b = matrix(Float64Array.from([2, 4, 6, 0, 1, 0, -1, 0, 0]), 3, 3);
    const r = clipScore(a, b);
    expect(r.perPair[0]).toBeCloseTo(100, 10);
    expect(Array.from(r.perPair.slice(1))).toEqual([0, 0]);
    // (100 + 0 − 100) / 3 rounds to about 1e-14 in float64: the mean is clamped, not each pair.
    expect(r.value).toBeCloseTo(0, 10);
    expect(clipScore(matrix(a.data.slice(3), 2, 3), matrix(b.data.slice(3), 2, 3)).value).toBe(0);
  });

  it('refuses mismatched pairs, dimensions and zero embeddings', () => {
    const a = matrix(new Float64Array(6).fill(1), 2, 3);
    expect(() => clipScore(a, matrix(new Float64Array(3).fill(1), 1, 3))).toThrow(/2 image embeddings but 1 text/);
    expect(() => clipScore(a, matrix(new Float64Array(4).fill(1), 2, 2))).toThrow(/3 dimensions, text embeddings 2/);
    expect(() => clipScore(a, matrix(new Float64Array(6), 2, 3))).toThrow(/pair 0 has a zero embedding/);
  });
});
