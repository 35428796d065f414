import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { Rng } from '../rng.js';
import { scoped } from '../tfjs/scoped.test-helper.js';
import { gradientPenalty } from './gradient-penalty.js';

const SIZES = [2, 8, 8, 1];
const N = 5;
const LAMBDA = 10;

type Act = 'relu' | 'tanh';
const ACT: Record<Act, [(z: number) => number, (z: number) => number]> = {
  relu: [(z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0)],
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2],
};

/** Layer l's W [in,out] row-major and b [out] inside the flat parameter vector. */
function layout(): { w: number; b: number; nin: number; nout: number }[] {
  const out = [];
  let off = 0;
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const nin = SIZES[l]!;
    const nout = SIZES[l + 1]!;
    out.push({ w: off, b: off + nin * nout, nin, nout });
    off += nin * nout + nout;
  }
  return out;
}
const LAYOUT = layout();
const P = LAYOUT.reduce((s, l) => s + l.nin * l.nout + l.nout, 0);

/** D(x) and ∇ₓ D(x) for one sample, float64, by hand-written backprop. */
function critic64(theta: Float64Array, x: number[], act: Act): { d: number; grad: number[] } {
  const [a, da] = ACT[act];
  let h = x;
  const zs: number[][] = [];
  LAYOUT.forEach((L, l) => {
    const z = [];
    for (let j = 0; j < L.nout; j++) {
      let s = theta[L.b + j]!;
      for (let i = 0; i < L.nin; i++) s += h[i]! * theta[L.w + i * L.nout + j]!;
      z.push(s);
    }
    zs.push(z);
    h = l + 1 < LAYOUT.length ? z.map(a) : z;
  });
  let g = [1];
  for (let l = LAYOUT.length - 1; l >= 0; l--) {
    const L = LAYOUT[l]!;
    const gin = new Array<number>(L.nin).fill(0);
    for (let i = 0; i < L.nin; i++) for (let j = 0; j < L.nout; j++) gin[i] = gin[i]! + theta[L.w + i * L.nout + j]! * g[j]!;
    g = l > 0 ? gin.map((v, i) => v * da(zs[l - 1]![i]!)) : gin;
  }
  return { d: h[0]!, grad: g };
}

interface Problem {
  theta: Float64Array;
  real: Float32Array;
  fake: Float32Array;
  eps: Float32Array;
}

function problem(seed: number): Problem {
  const rng = new Rng(seed);
  return {
    theta: Float64Array.from(rng.uniforms(P, -0.8, 0.8)),
    real: rng.uniforms(N * 2, -2, 2),
    fake: rng.uniforms(N * 2, -2, 2),
    eps: rng.uniforms(N, 0, 1),
  };
}

/** x̂ rows in float64 (from the float32 inputs, as the tensors see them). */
function xHat(p: Problem): number[][] {
  const rows = [];
  for (let r = 0; r < N; r++) {
    const e = p.eps[r]!;
    rows.push([0, 1].map((k) => e * p.real[r * 2 + k]! + (1 - e) * p.fake[r * 2 + k]!));
  }
  return rows;
}

/** The penalty in float64 with ∇ₓ D by hand-written backprop. */
function penalty64(theta: Float64Array, p: Problem, act: Act): number {
  let s = 0;
  for (const x of xHat(p)) {
    const g = critic64(theta, x, act).grad;
    s += (Math.hypot(...g) - 1) ** 2;
  }
  return (LAMBDA * s) / N;
}

/** gradientPenalty through tfjs; returns its value and d/dθ (flat, in the layout above). */
function penaltyTf(p: Problem, act: Act): { value: number; grad: Float64Array } {
  return scoped(() => {
    const vars = LAYOUT.flatMap((L) => [
      tf.variable(tf.tensor2d(Float32Array.from(p.theta.subarray(L.w, L.b)), [L.nin, L.nout])),
      tf.variable(tf.tensor1d(Float32Array.from(p.theta.subarray(L.b, L.b + L.nout)))),
    ]);
    const critic = (x: tf.Tensor2D): tf.Tensor2D => {
      let h = x;
      LAYOUT.forEach((_, l) => {
        const z = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!) as tf.Tensor2D;
        h = l + 1 < LAYOUT.length ? (act === 'relu' ? tf.relu(z) : tf.tanh(z)) : z;
      });
      return h;
    };
    const real = tf.tensor2d(p.real, [N, 2]);
    const fake = tf.tensor2d(p.fake, [N, 2]);
    const { value, grads } = tf.variableGrads(() => gradientPenalty(tf, critic, real, fake, p.eps, LAMBDA), vars);
    const grad = new Float64Array(P);
    let k = 0;
    for (const v of vars) {
      const g = grads[v.name];
      if (g) for (const x of g.dataSync()) grad[k++] = x;
      else k += v.size;
    }
    const out = { value: value.dataSync()[0]!, grad };
    vars.forEach((v) => v.dispose());
    return out;
  });
}

describe('gradientPenalty', () => {
  beforeAll(async () => {
    await selectBackend(['wasm', 'cpu']);
    installTrainingFixes(tf);
  });

  it('has the value λ·mean((‖∇D(x̂)‖ − 1)²) with ∇D by finite differences on x̂', () => {
    const p = problem(21);
    // ∇ₓ D by float64 central differences of D itself (not by backprop).
    const h = 1e-6;
    let s = 0;
    for (const x of xHat(p)) {
      const g = [0, 1].map((k) => {
        const xp = [...x];
        const xm = [...x];
        xp[k] = xp[k]! + h;
        xm[k] = xm[k]! - h;
        return (critic64(p.theta, xp, 'relu').d - critic64(p.theta, xm, 'relu').d) / (2 * h);
      });
      s += (Math.hypot(...g) - 1) ** 2;
    }
    const ref = (LAMBDA * s) / N;
    expect(ref).toBeGreaterThan(0.01); // a penalty that is not trivially 0
    const { value } = penaltyTf(p, 'relu');
    expect(Math.abs(value - ref)).toBeLessThan(1e-4 * ref);
  });

  for (const act of ['relu', 'tanh'] as const) {
    it(`d(penalty)/dθ matches float64 finite differences on θ (${act} critic)`, () => {
      const p = problem(act === 'relu' ? 22 : 23);
      const { grad } = penaltyTf(p, act);
      const h = 1e-6;
      let maxErr = 0;
      let maxRef = 0;
      for (let i = 0; i < P; i++) {
        const tp = Float64Array.from(p.theta);
        const tm = Float64Array.from(p.theta);
        tp[i] = tp[i]! + h;
        tm[i] = tm[i]! - h;
        const fd = (penalty64(tp, p, act) - penalty64(tm, p, act)) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(grad[i]! - fd));
        maxRef = Math.max(maxRef, Math.abs(fd));
      }
      expect(maxRef).toBeGreaterThan(0.01);
      expect(maxErr / maxRef).toBeLessThan(1e-4);
    });
  }

  it('accepts eps as a tensor and checks shapes', () => {
    const real = tf.zeros([3, 2]) as tf.Tensor2D;
    const fake = tf.ones([3, 2]) as tf.Tensor2D;
    const W = tf.tensor2d([[2], [0]]);
    // D(x) = 2·x₀ has ‖∇D‖ = 2 everywhere: penalty = λ·(2 − 1)² = λ.
    const v = gradientPenalty(tf, (x) => tf.matMul(x, W), real, fake, tf.fill([3, 1], 0.5) as tf.Tensor2D, 10);
    expect(v.dataSync()[0]).toBeCloseTo(10, 5);
    expect(() => gradientPenalty(tf, (x) => tf.matMul(x, W), real, fake, new Float32Array(2))).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'internal' }));
    tf.dispose([real, fake, W, v]);
  });
});
