import { describe, expect, it } from 'vitest';
import { bestCodeMapping, confusion } from './code-accuracy.js';

describe('bestCodeMapping', () => {
  it('finds the best one-to-one mapping where the greedy choice is wrong', () => {
    // Greedy takes code 0 → class 0 (5) and leaves code 1 with class 1 (0): 5 of 14.
    // Best: code 0 → class 1 (4) and code 1 → class 0 (5): 9 of 14.
    const r = bestCodeMapping([
      [5, 4],
      [5, 0],
    ]);
    expect(r.mapping).toEqual([1, 0]);
    expect(r.accuracy).toBeCloseTo(9 / 14, 12);
    expect(r.purity).toBeCloseTo(10 / 14, 12);
  });

  it('scores a permuted perfect code as 1 and a code that ignores the class as 1/K', () => {
    const perm = [3, 0, 2, 1];
    const codes = Array.from({ length: 40 }, (_, i) => i % 4);
    expect(
      bestCodeMapping(
        confusion(
          codes,
          codes.map((c) => perm[c]!),
          4,
          4,
        ),
      ),
    ).toMatchObject({ mapping: perm, accuracy: 1 });
    // Every code yields every class equally often.
    const flat = bestCodeMapping(
      confusion(
        codes,
        codes.map((_, i) => Math.floor(i / 4) % 4),
        4,
        4,
      ),
    );
    expect(flat.accuracy).toBeCloseTo(0.25, 12);
  });

  it('leaves codes unmapped when there are more codes than classes', () => {
    const r = bestCodeMapping([
      [3, 0],
      [0, 2],
      [1, 1],
    ]);
    expect(r.mapping).toEqual([0, 1, -1]);
    expect(r.accuracy).toBeCloseTo(5 / 7, 12);
  });

  it('maps every code while classes remain, even codes whose samples all went elsewhere', () => {
    // Every sample is classified as class 1: one code gets it, the others still get a class each.
    const r = bestCodeMapping([
      [0, 5, 0],
      [0, 5, 0],
      [0, 5, 0],
    ]);
    expect([...r.mapping].sort()).toEqual([0, 1, 2]);
    expect(r.accuracy).toBeCloseTo(1 / 3, 12);
    expect(r.purity).toBe(1);
  });
});
