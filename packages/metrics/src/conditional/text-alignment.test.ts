import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { RandomState } from '../random.js';
import { expectGenEvalError } from '../testing/expect.js';
import { textAlignment } from './text-alignment.js';

const gaussian = (seed: number, rows: number, cols: number) => ({ rows, cols, data: new RandomState(seed).normals(rows * cols) });

describe('textAlignment', () => {
  it('is 100 for each pair that points the same way, 0 for opposite or orthogonal ones, whatever the norms', () => {
    const r = textAlignment(
      fromRows([
        [1, 0],
        [0, 2],
        [3, 4],
      ]),
      fromRows([
        [5, 0],
        [0, -1],
        [-4, 3],
      ]),
    );
    expect([...r.perPair]).toEqual([100, 0, 0]);
    expect(r.textAlignment).toBeCloseTo(100 / 3, 12);
  });

  it('does not depend on the order of the pairs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (n, d, seed) => {
        const [img, cap] = [gaussian(seed, n, d), gaussian(seed + 1, n, d)];
        const perm = new RandomState(seed + 2).permutation(n);
        const permute = (m: typeof img) => ({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, k) => m.data[perm[Math.floor(k / d)]! * d + (k % d)]!) });
        const [a, b] = [textAlignment(img, cap).textAlignment, textAlignment(permute(img), permute(cap)).textAlignment];
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, a));
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('refuses mismatched, empty and zero embeddings, naming the input', () => {
    expectGenEvalError(
      () =>
        textAlignment(
          fromRows([[1, 0]]),
          fromRows([
            [1, 0],
            [0, 1],
          ]),
          ['img.npy', 'cap.npy'],
        ),
      { code: 'bad_input', path: 'cap.npy', message: /2 rows but img\.npy has 1/ },
    );
    expectGenEvalError(() => textAlignment(fromRows([[1, 0]]), fromRows([[1, 0, 0]])), { path: 'captions', message: /3 dims but images has 2/ });
    expectGenEvalError(() => textAlignment(fromRows([[0, 0]]), fromRows([[1, 0]])), { path: 'images', message: /row 0 has norm 0/ });
    expectGenEvalError(() => textAlignment({ rows: 0, cols: 2, data: new Float64Array(0) }, fromRows([[1, 0]])), { path: 'images', message: /empty/ });
  });
});
