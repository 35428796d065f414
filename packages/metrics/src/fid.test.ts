import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/fid/fid.json' with { type: 'json' };
import { fid, fidFromStats, type StatsInput } from './fid.js';
import { GaussianAccumulator, gaussianStats } from './gaussian-stats.js';
import type { Matrix } from './matrix.js';
import { RandomState } from './random.js';

interface Spec {
  seed: number;
  n: number;
  d: number;
  shift?: number;
  loading?: number;
  sum_mu: number;
  trace: number;
  sigma_00: number;
  sigma_01: number;
  sum_sigma: number;
}

/** The generator of fixtures/scripts/gen_fid.py, elementwise in the same order (bit-identical inputs). */
function features(spec: Spec): Matrix {
  const { seed, n, d, shift = 0, loading = 1 } = spec;
  const rs = new RandomState(seed);
  const z = rs.normals(n * d);
  const s = Float64Array.from({ length: d }, () => 0.5 + rs.random());
  const f = rs.normals(n);
  const u = Float64Array.from({ length: d }, () => loading * rs.random());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = z[i * d + j]! * s[j]! + f[i]! * u[j]! + shift;
  return { rows: n, cols: d, data: x };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function input(spec: Spec, kind: string): Promise<Matrix | StatsInput> {
  const x = features(spec);
  if (kind === 'features') return x;
  const s = await gaussianStats(x);
  return { mu: s.mu, sigma: s.sigma, n: s.n };
}

describe('fid against pytorch-fid (scipy sqrtm, golden values)', () => {
  const cases = golden.cases;

  it.each(['small', 'medium'] as const)('%s: features, Cholesky route, ≤ 1e-9 relative', async (name) => {
    const c = cases[name];
    const r = await fid(features(c.a), features(c.b));
    expect(r.method).toBe('cholesky-eigh');
    expect(r.epsilonAdded).toBe(0);
    expect(rel(r.fid, c.fid)).toBeLessThan(1e-9);
    expect(rel(r.terms.traceSqrt, c.tr_covmean)).toBeLessThan(1e-10);
    expect(rel(r.terms.trace1, c.trace1)).toBeLessThan(1e-12);
    expect(rel(r.terms.meanDistance, c.mean_term)).toBeLessThan(1e-10);
  });

  it('n < d on both sides: low-rank route equals sqrtm to 1e-6 and the SVD reference to 1e-11', async () => {
    const c = cases['low-rank'];
    const r = await fid(features(c.a), features(c.b));
    expect(r.method).toBe('low-rank');
    expect(r.epsilonAdded).toBe(0);
    expect(rel(r.fid, c.fid)).toBeLessThan(1e-6);
    expect(rel(r.fid, c.fid_svd)).toBeLessThan(1e-11);
    expect(r.warnings.join('\n')).toMatch(/40 samples for 64 dims/);
  });

  it('n < d features against statistics: low-rank route, equal to sqrtm (1e-6) and exact eigvalsh (1e-11)', async () => {
    const c = cases.mixed;
    const r = await fid(features(c.a), await input(c.b, c.b_kind));
    expect(r.method).toBe('low-rank');
    expect(rel(r.fid, c.fid)).toBeLessThan(1e-6);
    expect(rel(r.fid, c.fid_exact)).toBeLessThan(1e-11);
    // Either order gives the same value.
    const swapped = await fid(await input(c.b, c.b_kind), features(c.a));
    expect(rel(swapped.fid, r.fid)).toBeLessThan(1e-12);
  });

  it('singular statistics on both sides: ε·I added (pytorch-fid rule) and reported', async () => {
    const c = cases['singular-stats'];
    const r = await fid(await input(c.a, c.a_kind), await input(c.b, c.b_kind));
    expect(r.method).toBe('cholesky-eigh');
    expect(r.epsilonAdded).toBe(golden.eps);
    // pytorch-fid adds ε only inside sqrtm; we add it to the traces too (FID of the regularised
    // Gaussians, never negative): the same tr √ as pytorch-fid, and its FID + 2·d·ε.
    expect(rel(r.terms.traceSqrt, c.tr_covmean)).toBeLessThan(1e-6);
    expect(rel(r.fid, c.fid + 2 * c.a.d * golden.eps)).toBeLessThan(1e-6);
    expect(r.warnings.join('\n')).toMatch(/added 0\.000001·I/);
    expect(Number.isFinite(r.fid)).toBe(true);
  });

  it('d = 2048, n = 2500: regenerated inputs match, FID equals sqrtm to 1e-9', async () => {
    const c = cases.d2048;
    const [xa, xb] = [features(c.a), features(c.b)];
    const sa = await gaussianStats(xa);
    for (const [s, spec] of [
      [sa, c.a],
      [await gaussianStats(xb), c.b],
    ] as const) {
      const d = s.dims;
      let sumMu = 0;
      let sumSigma = 0;
      let tr = 0;
      s.mu.forEach((v) => {
        sumMu += v;
      });
      s.sigma.forEach((v) => {
        sumSigma += v;
      });
      for (let i = 0; i < d; i++) tr += s.sigma[i * d + i]!;
      expect(rel(sumMu, spec.sum_mu)).toBeLessThan(1e-12);
      expect(rel(tr, spec.trace)).toBeLessThan(1e-12);
      expect(rel(sumSigma, spec.sum_sigma)).toBeLessThan(1e-10);
      expect(rel(s.sigma[0]!, spec.sigma_00)).toBeLessThan(1e-12);
      expect(rel(s.sigma[1]!, spec.sigma_01)).toBeLessThan(1e-10);
    }
    const r = await fid(sa, xb);
    expect(r.method).toBe('cholesky-eigh');
    expect(rel(r.fid, c.fid)).toBeLessThan(1e-9);
    expect(rel(r.terms.traceSqrt, c.tr_exact)).toBeLessThan(1e-11);
    expect(r.warnings).toEqual([]);
  }, 120_000);
});

/** Small random feature sets: n samples, d dims, with a shared factor so covariances are full. */
const featureSet = (maxD = 6) => fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 }), d: fc.integer({ min: 1, max: maxD }), extra: fc.integer({ min: 1, max: 30 }) });

function sample(seed: number, n: number, d: number, shift = 0): Matrix {
  return features({ seed, n, d, shift, loading: 0.7 } as Spec);
}

function traceOf(m: Matrix): number {
  const d = m.cols;
  let t = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < m.rows; i++) {
      s += m.data[i * d + j]!;
      s2 += m.data[i * d + j]! ** 2;
    }
    t += (s2 - (s * s) / m.rows) / (m.rows - 1);
  }
  return t;
}

describe('fid properties (fast-check)', () => {
  it('FID(X, X) = 0 to 1e-9·trace, on both routes', async () => {
    await fc.assert(
      fc.asyncProperty(featureSet(), fc.boolean(), async ({ seed, d, extra }, lowRank) => {
        // Low rank: 2 ≤ n ≤ d (exact route, no ε); otherwise n > d.
        const n = lowRank ? 2 + (extra % Math.max(1, d - 1)) : d + extra;
        const x = sample(seed, n, d);
        const r = await fid(x, x);
        expect(Math.abs(r.fid)).toBeLessThanOrEqual(1e-9 * traceOf(x));
      }),
      { numRuns: 40 },
    );
  });

  it('is symmetric: FID(X, Y) = FID(Y, X)', async () => {
    await fc.assert(
      fc.asyncProperty(featureSet(), featureSet(), async (a, b) => {
        const d = a.d;
        const x = sample(a.seed, d + a.extra, d);
        const y = sample(b.seed, Math.max(2, b.extra), d, 0.5);
        const [r1, r2] = [await fid(x, y), await fid(y, x)];
        expect(Math.abs(r1.fid - r2.fid)).toBeLessThanOrEqual(1e-10 * (r1.terms.trace1 + r1.terms.trace2 + r1.terms.meanDistance));
      }),
      { numRuns: 30 },
    );
  });

  it('equal covariances (Y = X + c): FID = ‖c‖²', async () => {
    await fc.assert(
      fc.asyncProperty(featureSet(), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }), async ({ seed, d, extra }, c) => {
        const x = sample(seed, d + extra, d);
        const y = { ...x, data: x.data.map((v, i) => v + c[i % d]!) };
        const want = c.slice(0, d).reduce((s, v) => s + v * v, 0);
        const r = await fid(x, y);
        expect(Math.abs(r.fid - want)).toBeLessThanOrEqual(1e-9 * (want + traceOf(x)));
      }),
      { numRuns: 30 },
    );
  });

  it('diagonal Gaussians: FID = ‖Δμ‖² + Σ(√a − √b)² (closed form)', async () => {
    const diag = (v: number[]) => {
      const d = v.length;
      const s = new Float64Array(d * d);
      v.forEach((x, i) => {
        s[i * d + i] = x;
      });
      return s;
    };
    const pos = fc.double({ min: 1e-3, max: 10, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 8 })
          .chain((d) =>
            fc.tuple(
              fc.array(pos, { minLength: d, maxLength: d }),
              fc.array(pos, { minLength: d, maxLength: d }),
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
            ),
          ),
        async ([a, b, m]) => {
          const d = a.length;
          const r = await fidFromStats({ mu: new Float64Array(d), sigma: diag(a) }, { mu: Float64Array.from(m), sigma: diag(b) });
          const want = m.reduce((s, v) => s + v * v, 0) + a.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(b[i]!)) ** 2, 0);
          expect(Math.abs(r.fid - want)).toBeLessThanOrEqual(1e-12 * (want + a.reduce((s, v) => s + v, 0) + b.reduce((s, v) => s + v, 0)));
          expect(r.n1).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is invariant to row order and to batch / shard splits of the statistics', async () => {
    await fc.assert(
      fc.asyncProperty(
        featureSet(8),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        async ({ seed, d, extra }, pseed, cuts) => {
          const n = d + extra + 3;
          const x = sample(seed, n, d);
          const y = sample(seed + 1, n + 5, d, 0.2);
          const base = (await fid(x, y)).fid;
          // Row order.
          const perm = new RandomState(pseed % 2 ** 32).permutation(n);
          const xp = { rows: n, cols: d, data: new Float64Array(n * d) };
          perm.forEach((src, i) => xp.data.set(x.data.subarray(src * d, (src + 1) * d), i * d));
          expect(rel((await fid(xp, y)).fid, base)).toBeLessThan(1e-11);
          // Batches of arbitrary sizes into one accumulator, and shards merged.
          const acc = new GaussianAccumulator(d, { blockRows: 1 + (pseed % 4) });
          const shards: GaussianAccumulator[] = [];
          let r0 = 0;
          for (let i = 0; r0 < n; i++) {
            const rows = Math.min(cuts[i % cuts.length]!, n - r0);
            const batch = { rows, cols: d, data: x.data.subarray(r0 * d, (r0 + rows) * d) };
            await acc.add(batch);
            shards.push(await new GaussianAccumulator(d).add(batch));
            r0 += rows;
          }
          const merged = shards.reduce((a, s) => a.merge(s), new GaussianAccumulator(d));
          for (const stats of [acc.result(), merged.result()]) {
            expect(rel((await fid(stats, y)).fid, base)).toBeLessThan(1e-11);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('fid with ε·I added (both covariances singular): the ε is in the traces too', () => {
  // FID of N(μ₁, Σ₁ + εI) and N(μ₂, Σ₂ + εI): a true squared distance, never negative.
  const constant = (n: number, d: number, v: number): Matrix => ({ rows: n, cols: d, data: new Float64Array(n * d).fill(v) });
  /** n > d rows spanning only `rank` directions (singular covariance, stats route). */
  function rankDeficient(seed: number, n: number, d: number, rank: number): Matrix {
    const rs = new RandomState(seed);
    const z = rs.normals(n * rank);
    const w = rs.normals(rank * d);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let k = 0; k < rank; k++) for (let j = 0; j < d; j++) x[i * d + j]! += z[i * rank + k]! * w[k * d + j]!;
    return { rows: n, cols: d, data: x };
  }

  it('a collapsed generator (constant features) against itself: FID = 0, not −2·d·ε', async () => {
    const r = await fid(constant(20, 4, 0.25), constant(20, 4, 0.25));
    expect(r.epsilonAdded).toBe(1e-6);
    expect(r.fid).toBe(0);
    // The reported terms still add up: trace_i includes d·ε.
    expect(r.terms.trace1).toBeCloseTo(4e-6, 18);
    expect(r.terms.traceSqrt).toBeCloseTo(4e-6, 15);
  });

  it('rank-deficient X against itself: FID ≥ 0 and ≈ 0 (1e-9·trace)', async () => {
    const x = rankDeficient(3, 30, 6, 3);
    const r = await fid(x, x);
    expect(r.epsilonAdded).toBe(1e-6);
    expect(r.fid).toBeGreaterThanOrEqual(0);
    expect(r.fid).toBeLessThan(1e-9 * (r.terms.trace1 + r.terms.trace2));
  });

  it('two different constants: FID = ‖Δμ‖² exactly (ε terms cancel)', async () => {
    const r = await fid(constant(20, 4, 0), constant(20, 4, 1));
    expect(r.fid).toBeCloseTo(4, 12);
  });
});

describe('fid input checks and warnings', () => {
  it('rejects mismatched dims, too few samples and malformed stats', async () => {
    await expect(fid(sample(1, 10, 3), sample(2, 10, 4))).rejects.toThrow(/dimensions differ/);
    await expect(fid(sample(1, 1, 3), sample(2, 10, 3))).rejects.toThrow(/at least 2 samples/);
    await expect(fid({ mu: new Float64Array(3), sigma: new Float64Array(8) }, sample(2, 10, 3))).rejects.toThrow(/sigma has 8 values/);
  });

  it('warns below 2048 samples and not at or above it; statistics without n give no sample warning', async () => {
    const d = 4;
    const small = await fid(sample(1, 100, d), sample(2, 2048, d));
    expect(small.warnings).toHaveLength(1);
    expect(small.warnings[0]).toMatch(/first input: 100 samples — FID is biased/);
    const s = await gaussianStats(sample(3, 50, d));
    const noN = await fid({ mu: s.mu, sigma: s.sigma }, sample(2, 2048, d), { labels: ['a.npz', 'b.npy'] });
    expect(noN.warnings).toEqual([]);
    expect(noN.n1).toBeNull();
    expect(noN.n2).toBe(2048);
  });

  it('rejects covariances that are not positive semi-definite even with ε·I', async () => {
    const sigma = Float64Array.of(1, 0, 0, -1);
    await expect(fidFromStats({ mu: new Float64Array(2), sigma }, { mu: new Float64Array(2), sigma })).rejects.toThrow(/not positive semi-definite/);
    // A typed input error (no path: the pair is at fault), so callers branch on the code, not the wording.
    await expect(fidFromStats({ mu: new Float64Array(2), sigma }, { mu: new Float64Array(2), sigma })).rejects.toThrow(
      expect.objectContaining({ code: 'bad_input', path: undefined }),
    );
  });
});
