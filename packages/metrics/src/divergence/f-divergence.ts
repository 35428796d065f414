/**
 * Variational lower bounds on f-divergences from critic outputs (f-GAN, Nowozin, Cseke & Tomioka
 * 2016): for any critic T,
 *   D_f(P ‖ Q) ≥ E_P[T(x)] − E_Q[f*(T(x))],   T = g_f(V),
 * where V is the critic's raw output, g_f the output activation of the paper's Table 6 (it maps ℝ
 * into the domain of the convex conjugate f*), and f* the conjugate of the generator f of
 * D_f(P‖Q) = E_Q[f(dP/dQ)]. The bound is tight at T = f′(dP/dQ).
 */
import { inputError, usageError } from '../errors.js';
import { checkFinite, DEFAULT_NAMES, type InputNames } from './validate.js';

/** Names of the f-divergences of the f-GAN table (Nowozin et al. 2016), the keys of `F_DIVERGENCES`. */
export type FDivergenceName = 'kl' | 'reverse-kl' | 'pearson' | 'neyman' | 'squared-hellinger' | 'jeffrey' | 'js' | 'gan' | 'total-variation';

/** One row of the f-GAN table. */
export interface FDivergence {
  readonly name: FDivergenceName;
  /** Generator f(u), u > 0, with f(1) = 0. */
  readonly f: (u: number) => number;
  /** Its derivative f′(u) (for TV, a subgradient). */
  readonly fPrime: (u: number) => number;
  /** Convex conjugate f*(t) = sup_u (u t − f(u)); NaN outside its domain. */
  readonly conjugate: (t: number) => number;
  /** Output activation g_f: ℝ → dom f*. */
  readonly activation: (v: number) => number;
}

/** log(1 + eᵛ) without overflow. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/**
 * W(eᶻ) for the principal Lambert W, i.e. the w > 0 with w + log w = z, by Newton's method on
 * that equation (stable where eᶻ would overflow). Needed by Jeffrey's conjugate.
 */
export function lambertWExp(z: number): number {
  // w ≈ z − log z for large z, w ≈ eᶻ for small w; Newton on the concave w + log w − z from there.
  let w = z > 1 ? z - Math.log(z) : Math.exp(z);
  if (w === 0) return 0; // eᶻ underflows: W(eᶻ) = eᶻ to double precision
  for (let i = 0; i < 100; i++) {
    const step = ((w + Math.log(w) - z) * w) / (w + 1);
    const next = w - step;
    w = next > 0 ? next : w / 10;
    if (Math.abs(step) <= 1e-16 * Math.max(1, w)) break;
  }
  return w;
}

const domainGuard = (ok: boolean, v: number): number => (ok ? v : NaN);

/** The f-GAN table (Nowozin et al. 2016, Tables 1, 2 and 6). */
export const F_DIVERGENCES: Readonly<Record<FDivergenceName, FDivergence>> = {
  kl: {
    name: 'kl',
    f: (u) => u * Math.log(u),
    fPrime: (u) => 1 + Math.log(u),
    conjugate: (t) => Math.exp(t - 1),
    activation: (v) => v,
  },
  'reverse-kl': {
    name: 'reverse-kl',
    f: (u) => -Math.log(u),
    fPrime: (u) => -1 / u,
    conjugate: (t) => domainGuard(t < 0, -1 - Math.log(-t)),
    activation: (v) => -Math.exp(-v),
  },
  pearson: {
    name: 'pearson',
    f: (u) => (u - 1) ** 2,
    fPrime: (u) => 2 * (u - 1),
    conjugate: (t) => (t * t) / 4 + t,
    activation: (v) => v,
  },
  neyman: {
    name: 'neyman',
    f: (u) => (1 - u) ** 2 / u,
    fPrime: (u) => 1 - 1 / (u * u),
    conjugate: (t) => domainGuard(t < 1, 2 - 2 * Math.sqrt(1 - t)),
    activation: (v) => 1 - Math.exp(v),
  },
  'squared-hellinger': {
    name: 'squared-hellinger',
    f: (u) => (Math.sqrt(u) - 1) ** 2,
    fPrime: (u) => 1 - 1 / Math.sqrt(u),
    conjugate: (t) => domainGuard(t < 1, t / (1 - t)),
    activation: (v) => 1 - Math.exp(v),
  },
  jeffrey: {
    name: 'jeffrey',
    f: (u) => (u - 1) * Math.log(u),
    fPrime: (u) => Math.log(u) + 1 - 1 / u,
    conjugate: (t) => {
      const w = lambertWExp(1 - t);
      return w + 1 / w + t - 2;
    },
    activation: (v) => v,
  },
  js: {
    name: 'js',
    f: (u) => -(u + 1) * Math.log((1 + u) / 2) + u * Math.log(u),
    fPrime: (u) => Math.log((2 * u) / (1 + u)),
    conjugate: (t) => domainGuard(t < Math.LN2, -Math.log(2 - Math.exp(t))),
    activation: (v) => Math.LN2 - softplus(-v),
  },
  gan: {
    name: 'gan',
    f: (u) => u * Math.log(u) - (u + 1) * Math.log(u + 1),
    fPrime: (u) => Math.log(u / (u + 1)),
    conjugate: (t) => domainGuard(t < 0, -Math.log1p(-Math.exp(t))),
    activation: (v) => -softplus(-v),
  },
  'total-variation': {
    name: 'total-variation',
    f: (u) => 0.5 * Math.abs(u - 1),
    fPrime: (u) => (u > 1 ? 0.5 : u < 1 ? -0.5 : 0),
    conjugate: (t) => domainGuard(Math.abs(t) <= 0.5, t),
    activation: (v) => 0.5 * Math.tanh(v),
  },
};

/** Options of `fDivergenceBound`. */
export interface FBoundOptions {
  /** The critic outputs are already T = g_f(V) (skip the activation); default false. */
  activated?: boolean;
  /** Names for error messages (default "P", "Q"). */
  names?: InputNames;
}

/** The f-GAN lower bound and its two terms: `value` = `meanTP` − `meanConjugateQ`. */
export interface FBoundResult {
  readonly divergence: FDivergenceName;
  /** E_P[T] − E_Q[f*(T)], a lower bound on D_f(P ‖ Q). */
  readonly value: number;
  readonly meanTP: number;
  readonly meanConjugateQ: number;
}

/**
 * The f-GAN variational lower bound on D_f(P ‖ Q) from critic outputs on samples of P and of Q.
 * @throws GenEvalError for empty or non-finite inputs, or activated outputs outside dom f*.
 */
export function fDivergenceBound(divergence: FDivergenceName, criticP: ArrayLike<number>, criticQ: ArrayLike<number>, opts: FBoundOptions = {}): FBoundResult {
  const spec = F_DIVERGENCES[divergence];
  if (spec === undefined) throw usageError(`unknown f-divergence "${String(divergence)}"`);
  const names = opts.names ?? DEFAULT_NAMES;
  for (const [v, name] of [
    [criticP, names[0]],
    [criticQ, names[1]],
  ] as const) {
    if (v.length === 0) throw inputError(name, 'is empty (no critic outputs)');
    checkFinite(v, name);
  }
  const g = opts.activated ? (v: number) => v : spec.activation;
  let sp = 0;
  for (let i = 0; i < criticP.length; i++) sp += g(criticP[i]!);
  let sq = 0;
  for (let i = 0; i < criticQ.length; i++) {
    const c = spec.conjugate(g(criticQ[i]!));
    if (!Number.isFinite(c)) throw inputError(names[1], `critic output ${criticQ[i]} at index ${i} is outside the domain of the ${divergence} conjugate`);
    sq += c;
  }
  const meanTP = sp / criticP.length;
  const meanConjugateQ = sq / criticQ.length;
  return { divergence, value: meanTP - meanConjugateQ, meanTP, meanConjugateQ };
}
