import { describe, expect, it } from 'vitest';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { birthdayPairs } from './birthday.js';

function randn(seed: number, n: number, d: number): Matrix {
  return { rows: n, cols: d, data: new RandomState(seed).normals(n * d) };
}

describe('birthdayPairs', () => {
  it('lists the closest pairs of each batch, as a brute-force search over the same batch', async () => {
    const x = randn(1, 120, 3);
    const r = await birthdayPairs(x, { batchSize: 40, batches: 3, pairs: 5, seed: 7, blockRows: 9 });
    expect(r.pairs).toHaveLength(15);
    for (let b = 0; b < 3; b++) {
      // The same draws as birthdayPairs: one RandomState, one choice per batch.
      const rs = new RandomState(7);
      let idx = rs.choiceWithoutReplacement(120, 40);
      for (let k = 0; k < b; k++) idx = rs.choiceWithoutReplacement(120, 40);
      const all: [number, number, number][] = [];
      for (let i = 0; i < 40; i++) {
        for (let j = i + 1; j < 40; j++) {
          let s = 0;
          for (let t = 0; t < 3; t++) s += (x.data[idx[i]! * 3 + t]! - x.data[idx[j]! * 3 + t]!) ** 2;
          all.push([Math.sqrt(s), Math.min(idx[i]!, idx[j]!), Math.max(idx[i]!, idx[j]!)]);
        }
      }
      all.sort((p, q) => p[0] - q[0]);
      const got = r.pairs.filter((p) => p.batch === b);
      got.forEach((p, k) => {
        expect(p.distance).toBeCloseTo(all[k]![0], 12);
        expect([p.i, p.j]).toEqual([all[k]![1], all[k]![2]]);
      });
      expect(r.minDistances[b]).toBe(got[0]!.distance);
    }
  });

  it('finds planted duplicates at distance 0', async () => {
    const x = randn(2, 30, 4);
    x.data.copyWithin(4 * 17, 4 * 3, 4 * 4); // row 17 = row 3
    const r = await birthdayPairs(x, { batchSize: 30, batches: 1, pairs: 3 });
    expect(r.pairs[0]).toEqual({ batch: 0, i: 3, j: 17, distance: 0 });
  });

  it('shrinks the batch to the sample count and rejects fewer than 2 samples', async () => {
    expect((await birthdayPairs(randn(3, 10, 2), { batchSize: 400, batches: 1 })).batchSize).toBe(10);
    await expect(birthdayPairs(randn(3, 1, 2), { name: 'g.npy' })).rejects.toThrow(/^g\.npy: needs at least 2 samples, found 1$/);
  });
});
