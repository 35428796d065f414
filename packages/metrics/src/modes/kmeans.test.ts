import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { kMeans } from './kmeans.js';

function blobs(seed: number, k: number, per: number, d: number): Matrix {
  const rs = new RandomState(seed);
  const centres = rs.normals(k * d).map((v) => v * 20);
  const data = new Float64Array(k * per * d);
  for (let i = 0; i < k * per; i++) for (let t = 0; t < d; t++) data[i * d + t] = centres[(i % k) * d + t]! + rs.normal();
  return { rows: k * per, cols: d, data };
}

describe('kMeans (seeded k-means++ + Lloyd)', () => {
  it('is a fixed point at convergence: every row is nearest its centre and every centre is its cluster mean (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 6 }), async (seed, k) => {
        const x = blobs(seed, 4, 15, 3);
        const r = await kMeans(x, { k, seed });
        expect(r.converged).toBe(true);
        const d = 3;
        for (let c = 0; c < k; c++) {
          const members = Array.from(r.assignments.keys()).filter((i) => r.assignments[i] === c);
          if (members.length === 0) continue;
          for (let t = 0; t < d; t++) {
            const mean = members.reduce((s, i) => s + x.data[i * d + t]!, 0) / members.length;
            expect(r.centres.data[c * d + t]).toBeCloseTo(mean, 10);
          }
        }
        for (let i = 0; i < x.rows; i++) {
          const dist = (c: number) => {
            let s = 0;
            for (let t = 0; t < d; t++) s += (x.data[i * d + t]! - r.centres.data[c * d + t]!) ** 2;
            return s;
          };
          const own = dist(r.assignments[i]!);
          for (let c = 0; c < k; c++) expect(own).toBeLessThanOrEqual(dist(c) + 1e-9);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('finds well-separated blobs, is reproducible from the seed, and does not depend on the block size', async () => {
    const x = blobs(1, 5, 40, 4);
    const a = await kMeans(x, { k: 5, seed: 9 });
    const b = await kMeans(x, { k: 5, seed: 9, blockRows: 7 });
    expect(Array.from(b.assignments)).toEqual(Array.from(a.assignments));
    expect(Array.from(b.centres.data)).toEqual(Array.from(a.centres.data));
    // Rows i and i + 5 come from the same blob: same cluster; five distinct clusters in all.
    for (let i = 0; i + 5 < x.rows; i++) expect(a.assignments[i]).toBe(a.assignments[i + 5]);
    expect(new Set(a.assignments).size).toBe(5);
  });

  it('rejects fewer samples or distinct samples than clusters', async () => {
    const x: Matrix = { rows: 3, cols: 1, data: Float64Array.of(1, 1, 1) };
    await expect(kMeans(x, { k: 4, name: 'r.npy' })).rejects.toThrow(/^r\.npy: has 3 samples, fewer than the k = 4 clusters$/);
    await expect(kMeans(x, { k: 2, name: 'r.npy' })).rejects.toThrow(/^r\.npy: has fewer than k = 2 distinct samples/);
  });
});
