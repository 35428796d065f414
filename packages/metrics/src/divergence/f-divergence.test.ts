import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { RandomState } from '../random.js';
import { F_DIVERGENCES, fDivergenceBound, lambertWExp, type FDivergenceName } from './f-divergence.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
const NAMES = Object.keys(F_DIVERGENCES) as FDivergenceName[];
const u = fc.double({ min: 0.05, max: 20, noNaN: true });

describe('f-GAN table', () => {
  it('every conjugate satisfies f*(f′(u)) = u·f′(u) − f(u) (property)', () => {
    for (const name of NAMES) {
      const { f, fPrime, conjugate } = F_DIVERGENCES[name];
      fc.assert(
        fc.property(u, (x) => {
          if (name === 'total-variation' && x === 1) return; // f′ is a subgradient at the kink
          const want = x * fPrime(x) - f(x);
          expect(Math.abs(conjugate(fPrime(x)) - want)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(want)));
        }),
        { numRuns: 200 },
      );
    }
  });

  it("generators vanish at 1 (GAN's is −log 4) and activations map ℝ into the conjugate domain (property)", () => {
    for (const name of NAMES) {
      const { f, conjugate, activation } = F_DIVERGENCES[name];
      // The f-GAN "GAN" divergence is 2·JS − log 4, so its generator is −log 4 at u = 1.
      expect(f(1)).toBeCloseTo(name === 'gan' ? -Math.log(4) : 0, 15);
      fc.assert(
        fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (v) => {
          expect(Number.isFinite(conjugate(activation(v)))).toBe(true);
        }),
      );
    }
  });

  it('the bound is tight at the optimal critic T = f′(p/q) on discrete distributions', () => {
    const rs = new RandomState(5);
    const p = Array.from({ length: 6 }, () => rs.random() + 0.1);
    const q = Array.from({ length: 6 }, () => rs.random() + 0.1);
    const sp = p.reduce((a, b) => a + b);
    const sq = q.reduce((a, b) => a + b);
    for (const name of NAMES) {
      const { f, fPrime, conjugate } = F_DIVERGENCES[name];
      let truth = 0;
      let bound = 0;
      for (let i = 0; i < 6; i++) {
        const r = p[i]! / sp / (q[i]! / sq);
        truth += (q[i]! / sq) * f(r);
        const t = fPrime(r);
        bound += (p[i]! / sp) * t - (q[i]! / sq) * conjugate(t);
      }
      expect(Math.abs(bound - truth)).toBeLessThan(1e-12);
    }
  });

  it('lambertWExp solves w + log w = z over a wide range, including where eᶻ overflows', () => {
    for (const z of [-700, -20, -1, 0, 0.5, 1, 2, 10, 100, 800]) {
      const w = lambertWExp(z);
      if (z > -700) expect(Math.abs(w + Math.log(w) - z)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(z)));
      expect(w).toBeGreaterThan(0);
    }
    expect(lambertWExp(1)).toBe(1);
  });
});

describe('fDivergenceBound', () => {
  const vp = Array.from(new RandomState(81).normals(50), (v) => v * 1.5 + 0.3);
  const vq = Array.from(new RandomState(82).normals(60), (v) => v * 1.2 - 0.2);

  it('matches the numpy reference for every divergence of the table', () => {
    for (const name of NAMES) rel(fDivergenceBound(name, vp, vq).value, golden.f_bounds[name]);
  });

  it('takes already-activated outputs and rejects ones outside dom f*', () => {
    const t = vp.map(F_DIVERGENCES.gan.activation);
    const tq = vq.map(F_DIVERGENCES.gan.activation);
    expect(fDivergenceBound('gan', t, tq, { activated: true }).value).toBeCloseTo(fDivergenceBound('gan', vp, vq).value, 14);
    expect(() => fDivergenceBound('gan', [0.1], [0.5], { activated: true, names: ['tp.npy', 'tq.npy'] })).toThrow(
      /^tq\.npy: critic output 0\.5 at index 0 is outside the domain of the gan conjugate$/,
    );
  });

  it('rejects empty and non-finite critic outputs', () => {
    expect(() => fDivergenceBound('kl', [], [1])).toThrow(/^P: is empty/);
    expect(() => fDivergenceBound('kl', [1], [Infinity])).toThrow(/^Q: Inf at index 0/);
  });
});
