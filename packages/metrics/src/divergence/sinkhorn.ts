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
import { GenEvalError, internalError, usageError } from '../errors.js';
import { DISTANCE_BLOCK_BYTES, squaredNorms } from '../knn.js';
import { gemmABt } from '../linalg/gemm.js';
import type { Matrix } from '../matrix.js';
import { checkPositive, checkPositiveInt, checkSamplePair, DEFAULT_NAMES, type InputNames } from './validate.js';

/** Options of `sinkhornDivergence` (geomloss conventions: cost ‖x−y‖^p / p, p = 2, ε = 0.05² by default). */
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

/** The debiased Sinkhorn divergence S_ε = OT_ε(α, β) − ½OT_ε(α, α) − ½OT_ε(β, β), with its three terms. */
export interface SinkhornResult {
  /** S_ε(α, β) ≥ 0; exactly 0 when α and β are the same points. */
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
  constructor(
    readonly a: Matrix,
    readonly b: Matrix,
    readonly p: 1 | 2,
    private readonly cacheLimit: number,
  ) {
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
    if (this.cached !== null) {
      visit(0, n, this.cached);
      return;
    }
    for (let s = 0; s < n; s += this.block) {
      const count = Math.min(this.block, n - s);
      visit(s, count, await this.compute(s, count));
    }
  }

  async max(): Promise<number> {
    let mx = 0;
    await this.forEachBlock((_s, _c, c) => {
      for (let i = 0; i < c.length; i++) if (c[i]! > mx) mx = c[i]!;
    });
    return mx;
  }
}

/**
 * f_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε) for every row i (log-domain soft-min over columns),
 * uniform b = 1/m. Evaluated as f_i = −M − ε·log1p(b·Σ_j expm1((w_j − M)/ε)) with w_j = g_j − C_ij
 * and M = max_j w_j (Σ_j b_j = 1 makes the two equal): all arithmetic stays in cost units, and at
 * large ε (where exp(·) ≈ 1 + tiny) expm1/log1p keep the first-order term Σ b_j (w_j − M) to full
 * precision. The textbook form −ε·(log b + M/ε + log Σ e^(·)) cancels two O(1) logarithms and
 * loses ε·2⁻⁵² absolutely (1e-4 at ε = 1e12), which drove S_ε away from its ε → ∞ limit.
 */
async function softminRows(C: Cost, g: Float64Array, eps: number, out: Float64Array): Promise<void> {
  const m = g.length;
  const b = 1 / m;
  const w = new Float64Array(m);
  await C.forEachBlock((start, count, c) => {
    for (let r = 0; r < count; r++) {
      const o = r * m;
      let mx = -Infinity;
      for (let j = 0; j < m; j++) {
        const t = g[j]! - c[o + j]!;
        w[j] = t;
        if (t > mx) mx = t;
      }
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.expm1((w[j]! - mx) / eps);
      out[start + r] = -mx - eps * Math.log1p(b * s);
    }
  });
}

/**
 * g_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε) for every column j (uniform a = 1/n), by an online
 * version of {@link softminRows}' form over row blocks: per column the running max M and
 * T = Σ_seen a·expm1((w_i − M)/ε); when M rises to M′ (δ = (M − M′)/ε),
 * T ← A·expm1(δ) + e^δ·T with A = a·(rows seen), which is exact algebra, not an approximation.
 */
async function softminCols(C: Cost, f: Float64Array, eps: number, out: Float64Array): Promise<void> {
  const m = out.length;
  const a = 1 / f.length;
  const mx = new Float64Array(m).fill(-Infinity);
  const sum = new Float64Array(m);
  await C.forEachBlock((start, count, c) => {
    for (let r = 0; r < count; r++) {
      const fi = f[start + r]!;
      const seen = (start + r) * a;
      const o = r * m;
      for (let j = 0; j < m; j++) {
        const v = fi - c[o + j]!;
        const M = mx[j]!;
        if (v <= M) sum[j]! += a * Math.expm1((v - M) / eps);
        else {
          const d = (M - v) / eps;
          sum[j] = (seen > 0 ? seen * Math.expm1(d) : 0) + Math.exp(d) * sum[j]!;
          mx[j] = v;
        }
      }
    }
  });
  for (let j = 0; j < m; j++) out[j] = -mx[j]! - eps * Math.log1p(sum[j]!);
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/**
 * The plan's row sums are a_i·exp((f_i − t_i)/ε), t the soft-min of f's partner potential
 * (uniform a): returns Σ_i (row sum_i − a_i) (the plan's mass − 1) and Σ_i |row sum_i − a_i|, the
 * L1 violation, both through expm1 so that they stay exact when (f − t)/ε is tiny (large ε).
 */
function rowMass(f: Float64Array, t: Float64Array, eps: number): { excess: number; violation: number } {
  let excess = 0;
  let violation = 0;
  const a = 1 / f.length;
  for (let i = 0; i < f.length; i++) {
    const r = Math.expm1((f[i]! - t[i]!) / eps);
    excess += a * r;
    violation += a * Math.abs(r);
  }
  return { excess, violation };
}

interface Solve {
  ot: number;
  iterations: number;
  converged: boolean;
}

interface Schedule {
  target: number;
  start: number;
  tol: number;
  maxIterations: number;
}

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
  let f = new Float64Array(n);
  let g = new Float64Array(m);
  let fn = new Float64Array(n);
  let gn = new Float64Array(m);
  let eps = s.start;
  let it = 0;
  let atTarget = 0;
  let prevEps = NaN; // ε of the last g-update
  for (;;) {
    await softminRows(C, g, eps, fn);
    if (eps === s.target && prevEps === eps && rowMass(f, fn, eps).violation <= s.tol) {
      return { ot: mean(f) + mean(g), iterations: it, converged: true };
    }
    if (atTarget === s.maxIterations) return { ot: mean(f) + mean(g), iterations: it, converged: false };
    await softminCols(C, fn, eps, gn);
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
  let f = new Float64Array(n);
  const t = new Float64Array(n);
  let eps = s.start;
  let it = 0;
  let atTarget = 0;
  for (;;) {
    await softminRows(C, f, eps, t);
    if (eps === s.target) {
      const { excess, violation } = rowMass(f, t, eps);
      const ot = 2 * mean(f) - eps * excess;
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

/** True when both matrices hold the same points in the same order (then S_ε = 0 exactly). */
function samePoints(x: Matrix, y: Matrix): boolean {
  if (x === y) return true;
  if (x.rows !== y.rows || x.cols !== y.cols) return false;
  const n = x.rows * x.cols;
  for (let i = 0; i < n; i++) if (x.data[i] !== y.data[i]) return false;
  return true;
}

/**
 * The smallest usable ε for a problem whose largest cost is `maxCost`: the potentials carry a
 * rounding error of ~2⁻⁵²·maxCost (cost units), which moves the plan's marginals by a factor
 * exp(2⁻⁵²·maxCost/ε); below this bound that alone exceeds `tolerance`, so the iteration could only
 * meet it by luck (and 1/ε-scaled costs overflow as ε → 0).
 */
export function sinkhornMinEpsilon(maxCost: number, tolerance: number): number {
  return (2 ** -52 * maxCost) / tolerance;
}

/**
 * A converged S_ε below 0 is a stopping error, never a value: each OT_ε is the dual objective at
 * potentials whose plan violates its marginals by at most `tolerance` (L1), and potentials
 * oscillate by at most the largest cost, so each is within ~tolerance·maxCost of its limit; S
 * combines them with weights 1, ½, ½. Negatives within 2·tolerance·maxCost (+ 1e-12 relative
 * rounding of the three terms) become 0; beyond that something is wrong and we say so.
 */
function clampRounding(value: number, ot: { xy: number; xx: number; yy: number }, tol: number, maxCost: number): number {
  if (value >= 0) return value;
  const bound = 2 * tol * maxCost + 1e-12 * (Math.abs(ot.xy) + Math.abs(ot.xx) + Math.abs(ot.yy));
  if (value >= -bound) return 0;
  throw internalError(`sinkhorn: converged to S = ${value} < 0, beyond the stopping bound −${bound} (an internal error; please report it)`);
}

/**
 * Debiased Sinkhorn divergence S_ε between the rows of `x` and of `y` (uniform weights).
 * Identical point sets give exactly 0 (one problem, solved once). ε below
 * {@link sinkhornMinEpsilon} is refused (exit 2); any larger finite ε is computed stably, and
 * S_ε → ½‖mean(x) − mean(y)‖² (p = 2; in general E_{x,y}C − ½E_{x,x′}C − ½E_{y,y′}C) as ε → ∞.
 */
export async function sinkhornDivergence(x: Matrix, y: Matrix, opts: SinkhornOptions = {}): Promise<SinkhornResult> {
  checkSamplePair(x, y, opts.names ?? DEFAULT_NAMES);
  const epsilon = opts.epsilon ?? DEFAULTS.sinkhornEpsilon;
  const p = opts.p ?? DEFAULTS.sinkhornP;
  const tol = opts.tolerance ?? DEFAULTS.sinkhornTolerance;
  const maxIterations = opts.maxIterations ?? DEFAULTS.sinkhornMaxIterations;
  checkPositive(epsilon, 'epsilon');
  checkPositive(tol, 'tolerance');
  checkPositiveInt(maxIterations, 'maxIterations');
  if (p !== 1 && p !== 2) throw usageError(`p must be 1 or 2, got ${String(p)}`);
  const limit = opts.maxCachedCosts ?? 1 << 23;
  const same = samePoints(x, y);
  const cxx = new Cost(x, x, p, limit);
  const cxy = same ? cxx : new Cost(x, y, p, limit);
  const cyy = same ? cxx : new Cost(y, y, p, limit);
  const maxCost = same ? await cxx.max() : Math.max(await cxy.max(), await cxx.max(), await cyy.max());
  const minEps = sinkhornMinEpsilon(maxCost, tol);
  if (epsilon < minEps) {
    throw new GenEvalError(
      `sinkhorn: ε = ${epsilon} is below ${minEps.toPrecision(3)}, the smallest usable value for these samples (2⁻⁵² × largest cost ${maxCost.toPrecision(6)} / tolerance ${tol}): float64 potentials cannot meet the tolerance there; raise ε or the tolerance`,
      { code: 'usage' },
    );
  }
  const annealing = opts.annealing ?? true;
  const start = annealing ? Math.max(epsilon, maxCost) : epsilon;
  const schedule: Schedule = { target: epsilon, start, tol, maxIterations };
  const xx = await solveSymmetric(cxx, schedule);
  // S(α, α): the same problem on all three sides, so every term is the same number and S = 0.
  const xy = same ? xx : await solveTwoSided(cxy, schedule);
  const yy = same ? xx : await solveSymmetric(cyy, schedule);
  const ot = { xy: xy.ot, xx: xx.ot, yy: yy.ot };
  const converged = xy.converged && xx.converged && yy.converged;
  const raw = same ? 0 : xy.ot - 0.5 * (xx.ot + yy.ot);
  return {
    // Unconverged (reported): the true S_ε is ≥ 0, so a negative estimate is moved to 0, the
    // nearest admissible value; converged negatives must be within the stopping bound.
    value: converged ? clampRounding(raw, ot, tol, maxCost) : Math.max(raw, 0),
    epsilon,
    p,
    ot,
    iterations: { xy: xy.iterations, xx: xx.iterations, yy: yy.iterations },
    converged,
  };
}
