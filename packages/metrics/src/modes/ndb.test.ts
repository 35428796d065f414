import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/modes.json' with { type: 'json' };
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { ndb, ndbFromCounts, twoProportionZTest } from './ndb.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
function randn(seed: number, n: number, d: number, scale = 1, shift = 0): Matrix {
  return { rows: n, cols: d, data: new RandomState(seed).normals(n * d).map((v) => v * scale + shift) };
}

describe('NDB', () => {
  it('z-test: the golden example of fixtures/golden/divergence/modes.json (z = 4.0871, p = 4.37e-5) to 1e-9', () => {
    const g = golden.z_example;
    const t = twoProportionZTest(g.p1, g.n1, g.p2, g.n2);
    rel(t.z, g.z);
    rel(t.pValue, g.p);
  });

  it('z-test and JS stage on fixed bin counts match scipy', () => {
    const g = golden.ndb_stage;
    const r = ndbFromCounts(g.real_counts, g.fake_counts, g.alpha);
    r.z.forEach((z, i) => rel(z, g.z[i]!));
    r.pValues.forEach((p, i) => rel(p, g.p_values[i]!));
    expect(r.ndb).toBe(g.different);
    expect(r.ndbFraction).toBe(g.different / 10);
    rel(r.js, g.js);
  });

  it('a bin with no variance is not different; identical histograms give NDB 0 and JS 0', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ z: 0, pValue: 1 });
    const r = ndbFromCounts([10, 20, 0], [20, 40, 0]);
    expect(r.ndb).toBe(0);
    expect(r.js).toBe(0);
  });

  it('same distribution: few different bins; a collapsed generator: many', async () => {
    const real = randn(1, 2000, 2);
    const same = await ndb(real, randn(2, 1000, 2), { bins: 20, seed: 3 });
    const collapsed = await ndb(real, randn(4, 1000, 2, 0.3), { bins: 20, seed: 3 });
    expect(same.ndb).toBeLessThanOrEqual(4);
    expect(collapsed.ndb).toBeGreaterThanOrEqual(10);
    expect(collapsed.js).toBeGreaterThan(same.js);
    expect(same).toMatchObject({ bins: 20, alpha: 0.05, seed: 3, kmeansConverged: true });
    // Bins are ordered by their real share, largest first.
    for (let b = 1; b < 20; b++) expect(same.realProportions[b]!).toBeLessThanOrEqual(same.realProportions[b - 1]!);
    // Reproducible from the seed.
    expect((await ndb(real, randn(2, 1000, 2), { bins: 20, seed: 3 })).z).toEqual(same.z);
  });

  it('rejects mismatched dimensions, empty sets and fewer real samples than bins', async () => {
    const names = ['real.npy', 'fake.npy'] as const;
    await expect(ndb(randn(1, 50, 2), randn(2, 50, 3), { bins: 5, names })).rejects.toThrow(/^fake\.npy: has 3 dimensions but real\.npy has 2/);
    await expect(ndb(randn(1, 50, 2), { rows: 0, cols: 2, data: new Float64Array(0) }, { bins: 5, names })).rejects.toThrow(/^fake\.npy: is empty/);
    await expect(ndb(randn(1, 5, 2), randn(2, 50, 2), { bins: 10, names })).rejects.toThrow(/^real\.npy: has 5 samples, fewer than the 10 bins$/);
  });
});
