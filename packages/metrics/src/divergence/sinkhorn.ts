/**
 * Debiased Sinkhorn divergence between two point clouds with uniform weights (Genevay et al.
 * 2018, Feydy et al. 2019 — geomloss's `SamplesLoss("sinkhorn")` conventions):
 *   S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β),
 * OT_ε = min_π ⟨π, C⟩ + ε KL(π ‖ α⊗β) with cost C(x, y) = ‖x − y‖^p / p, evaluated by its dual
 * ⟨α, f⟩ + ⟨β, g⟩ at the Sinkhorn fixed point. S_ε ≥ 0 and S_ε(α, α) = 0.
 *
 * Iterations run in the log domain (soft-min with log-sum-exp) so small ε never under/overflows.
 * ε-annealing (start at the largest cost, halve ε each iteration down to the target) is on by
 * default: it reaches the same fixed point in fewer iterations at small ε. The iteration stops when
 * the L1 violation of the plan's marginals is at most `tolerance` (POT's `stopThr` criterion) at the
 * target ε; potentials may still drift along nearly flat directions then, but the value has settled.
 * Cost matrices up to `maxCachedCosts` entries are kept; larger ones are recomputed in row blocks
 * every iteration (memory O(block × N)).
 */
import { DEFAULTS } from '../defaults.js';
import { DISTANCE_BLOCK_BYTES, squaredNorms } from '../knn.js';
import { gemmABt } from '../linalg/gemm.js';
import type { Matrix } from '../matrix.js';
import { checkPositive, checkPositiveInt, checkSamplePair, DEFAULT_NAMES, type InputNames } from './validate.js';

export interface SinkhornOptions {
  /** Entropic regularisation ε > 0, in cost units (default `DEFAULTS.sinkhornEpsilon`). */
  epsilon?: number;
  /** Cost exponent: C = ‖x−y‖^p / p (default `DEFAULTS.sinkhornP`). */
  p?: 1 | 2;
  /** Stop when the plan's L1 marginal violation is at most this (default `DEFAULTS.sinkhornTolerance`). */
  tolerance?: number;
  /** Cap on iterations at the target ε, per transport problem (default `DEFAULTS.sinkhornMaxIterations`). */
  maxIterations?: number;
  /** ε-annealing from the largest cost down to ε (default true). */
  annealing?: boolean;
  /** Largest cost matrix (entries) kept in memory; larger ones are recomputed per block (default 2²³, 64 MiB). */
  maxCachedCosts?: number;
  names?: InputNames;
}

export interface SinkhornResult {
  /** S_ε(α, β) ≥ 0. */
  readonly value: number;
  readonly epsilon: number;
  readonly p: 1 | 2;
  /** OT_ε of the three transport problems. */
  readonly ot: { readonly xy: number; readonly xx: number; readonly yy: number };
  /** Iterations used by each problem (annealing included). */
  readonly iterations: { readonly xy: number; readonly xx: number; readonly yy: number };
  /** False when some problem hit `maxIterations` before reaching `tolerance`. */
  readonly converged: boolean;
}

/** A cost matrix C[i][j] = ‖a_i − b_j‖^p / p, cached or recomputed per row block. */
class Cost {
  private cached: Float64Array | null = null;
  private readonly na: Float64Array;
  private readonly nb: Float64Array;
  private readonly block: number;
  constructor(readonly a: Matrix, readonly b: Matrix, readonly p: 1 | 2, private readonly cacheLimit: number) {
    this.na = squaredNorms(a);
    this.nb = a === b ? this.na : squaredNorms(b);
    this.block = Math.max(1, Math.min(DEFAULTS.distanceBlockRows, Math.floor(DISTANCE_BLOCK_BYTES / (8 * b.rows))));
  }

  private async compute(start: number, count: number): Promise<Float64Array> {
    const { a, b, p } = this;
    const view: Matrix = { rows: count, cols: a.cols, data: a.data.subarray(start * a.cols, (start + count) * a.cols) };
    const c = await gemmABt(view, b);
    for (let r = 0; r < count; r++) {
      const ai = this.na[start + r]!;
      const o = r * b.rows;
      for (let j = 0; j < b.rows; j++) {
        const s = ai + this.nb[j]! - 2 * c[o + j]!;
        const s0 = s > 0 ? s : 0;
        c[o + j] = p === 2 ? 0.5 * s0 : Math.sqrt(s0);
      }
    }
    return c;
  }

  /** Visits row blocks of C in order: visit(start, count, block) with block count × b.rows. */
  async forEachBlock(visit: (start: number, count: number, c: Float64Array) => void): Promise<void> {
    const n = this.a.rows;
    const m = this.b.rows;
    if (this.cached === null && n * m <= this.cacheLimit) this.cached = await this.compute(0, n);
    if (this.cached !== null) { visit(0, n, this.cached); return; }
    for (let s = 0; s < n; s += this.block) {
      const count = Math.min(this.block, n - s);
      visit(s, count, await this.compute(s, count));
    }
  }

  async max(): Promise<number> {
    let mx = 0;
    await this.forEachBlock((_s, _c, c) => { for (let i = 0; i < c.length; i++) if (c[i]! > mx) mx = c[i]!; });
    return mx;
  }
}

/** f_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε) for every row i (log-domain soft-min over columns). */
async function softminRows(C: Cost, g: Float64Array, logb: number, eps: number, out: Float64Array): Promise<void> {
  const m = g.length;
  const inv = 1 / eps;
  const h = new Float64Array(m);
  for (let j = 0; j < m; j++) h[j] = g[j]! * inv;
  const v = new Float64Array(m);
  await C.forEachBlock((start, count, c) => {
    for (let r = 0; r < count; r++) {
      const o = r * m;
      let mx = -Infinity;
      for (let j = 0; j < m; j++) {
        const t = h[j]! - c[o + j]! * inv;
        v[j] = t;
        if (t > mx) mx = t;
      }
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.exp(v[j]! - mx);
      out[start + r] = -eps * (logb + mx + Math.log(s));
    }
  });
}

/** g_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε) for every column j, by an online log-sum-exp over rows. */
async function softminCols(C: Cost, f: Float64Array, loga: number, eps: number, out: Float64Array): Promise<void> {
  const m = out.length;
  const mx = new Float64Array(m).fill(-Infinity);
  const sum = new Float64Array(m);
  const inv = 1 / eps;
  await C.forEachBlock((start, count, c) => {
    for (let r = 0; r < count; r++) {
      const hi = f[start + r]! * inv;
      const o = r * m;
      for (let j = 0; j < m; j++) {
        const v = hi - c[o + j]! * inv;
        const M = mx[j]!;
        if (v <= M) sum[j]! += Math.exp(v - M);
        else { sum[j] = sum[j]! * Math.exp(M - v) + 1; mx[j] = v; }
      }
    }
  });
  for (let j = 0; j < m; j++) out[j] = -eps * (loga + mx[j]! + Math.log(sum[j]!));
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/**
 * The plan's row sums are a_i·exp((f_i − t_i)/ε), t the soft-min of f's partner potential
 * (uniform a): returns their total (the plan's mass) and Σ_i |row sum_i − a_i|, the L1 violation.
 */
function rowMass(f: Float64Array, t: Float64Array, eps: number): { mass: number; violation: number } {
  let mass = 0;
  let violation = 0;
  const a = 1 / f.length;
  for (let i = 0; i < f.length; i++) {
    const r = Math.exp((f[i]! - t[i]!) / eps);
    mass += a * r;
    violation += a * Math.abs(r - 1);
  }
  return { mass, violation };
}

interface Solve { ot: number; iterations: number; converged: boolean }

interface Schedule { target: number; start: number; tol: number; maxIterations: number }

function nextEps(eps: number, s: Schedule): number {
  return Math.max(s.target, eps / 2);
}

/**
 * OT_ε(α, β) by alternating log-domain updates. After each g-update the column marginals are
 * exact, and the next f-update gives the row marginals for free: stop when their L1 violation is
 * at most the tolerance; the value is then the dual objective ⟨α, f⟩ + ⟨β, g⟩ (plan mass 1).
 */
async function solveTwoSided(C: Cost, s: Schedule): Promise<Solve> {
  const n = C.a.rows;
  const m = C.b.rows;
  const loga = -Math.log(n);
  const logb = -Math.log(m);
  let f = new Float64Array(n);
  let g = new Float64Array(m);
  let fn = new Float64Array(n);
  let gn = new Float64Array(m);
  let eps = s.start;
  let it = 0;
  let atTarget = 0;
  let prevEps = NaN; // ε of the last g-update
  for (;;) {
    await softminRows(C, g, logb, eps, fn);
    if (eps === s.target && prevEps === eps && rowMass(f, fn, eps).violation <= s.tol) {
      return { ot: mean(f) + mean(g), iterations: it, converged: true };
    }
    if (atTarget === s.maxIterations) return { ot: mean(f) + mean(g), iterations: it, converged: false };
    await softminCols(C, fn, loga, eps, gn);
    [f, fn] = [fn, f];
    [g, gn] = [gn, g];
    prevEps = eps;
    it++;
    if (eps === s.target) atTarget++;
    eps = nextEps(eps, s);
  }
}

/**
 * OT_ε(α, α) by the symmetric averaged update f ← ½(f + softmin(f)) (geomloss's debiasing term),
 * stopped on the same L1 marginal violation; the value is the dual objective of (f, f),
 * 2⟨α, f⟩ − ε(mass − 1).
 */
async function solveSymmetric(C: Cost, s: Schedule): Promise<Solve> {
  const n = C.a.rows;
  const loga = -Math.log(n);
  let f = new Float64Array(n);
  const t = new Float64Array(n);
  let eps = s.start;
  let it = 0;
  let atTarget = 0;
  for (;;) {
    await softminRows(C, f, loga, eps, t);
    if (eps === s.target) {
      const { mass, violation } = rowMass(f, t, eps);
      const ot = 2 * mean(f) - eps * (mass - 1);
      if (violation <= s.tol) return { ot, iterations: it, converged: true };
      if (atTarget === s.maxIterations) return { ot, iterations: it, converged: false };
      atTarget++;
    }
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = 0.5 * (f[i]! + t[i]!);
    f = next;
    it++;
    eps = nextEps(eps, s);
  }
}

/** Debiased Sinkhorn divergence S_ε between the rows of `x` and of `y` (uniform weights). */
export async function sinkhornDivergence(x: Matrix, y: Matrix, opts: SinkhornOptions = {}): Promise<SinkhornResult> {
  checkSamplePair(x, y, opts.names ?? DEFAULT_NAMES);
  const epsilon = opts.epsilon ?? DEFAULTS.sinkhornEpsilon;
  const p = opts.p ?? DEFAULTS.sinkhornP;
  const tol = opts.tolerance ?? DEFAULTS.sinkhornTolerance;
  const maxIterations = opts.maxIterations ?? DEFAULTS.sinkhornMaxIterations;
  checkPositive(epsilon, 'epsilon');
  checkPositive(tol, 'tolerance');
  checkPositiveInt(maxIterations, 'maxIterations');
  if (p !== 1 && p !== 2) throw new RangeError(`p must be 1 or 2, got ${String(p)}`);
  const limit = opts.maxCachedCosts ?? 1 << 23;
  const cxy = new Cost(x, y, p, limit);
  const cxx = new Cost(x, x, p, limit);
  const cyy = new Cost(y, y, p, limit);
  const annealing = opts.annealing ?? true;
  const start = annealing ? Math.max(epsilon, await cxy.max(), await cxx.max(), await cyy.max()) : epsilon;
  const schedule: Schedule = { target: epsilon, start, tol, maxIterations };
  const xy = await solveTwoSided(cxy, schedule);
  const xx = await solveSymmetric(cxx, schedule);
  const yy = await solveSymmetric(cyy, schedule);
  return {
    value: xy.ot - 0.5 * (xx.ot + yy.ot),
    epsilon,
    p,
    ot: { xy: xy.ot, xx: xx.ot, yy: yy.ot },
    iterations: { xy: xy.iterations, xx: xx.iterations, yy: yy.iterations },
    converged: xy.converged && xx.converged && yy.converged,
  };
}
