import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '@gen-eval/metrics/testing/expect';
import { selectBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { scoped } from './scoped.test-helper.js';
import { installTrainingFixes } from './training-fixes.js';

/** Cases for the matMul gradient: shapes of a and b and the transpose flags of the forward op. */
const MATMUL_CASES: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
  { a: [5, 3], b: [3, 4], tA: false, tB: false },
  { a: [5, 3], b: [4, 3], tA: false, tB: true },
  { a: [3, 5], b: [3, 4], tA: true, tB: false },
  { a: [3, 5], b: [4, 3], tA: true, tB: true },
  { a: [2, 5, 3], b: [2, 3, 4], tA: false, tB: false },
];

/** d/da, d/db of sum(matMul(a, b) ⊙ w) for each case, as plain arrays (w makes dy non-uniform). */
function matMulGrads(): number[][][] {
  const rng = new Rng(7);
  return MATMUL_CASES.map(({ a, b, tA, tB }) =>
    tf.tidy(() => {
      const A = tf.tensor(
        rng.uniforms(
          a.reduce((p, q) => p * q, 1),
          -1,
          1,
        ),
        a,
      );
      const B = tf.tensor(
        rng.uniforms(
          b.reduce((p, q) => p * q, 1),
          -1,
          1,
        ),
        b,
      );
      const shape = tf.matMul(A, B, tA, tB).shape;
      const w = tf.tensor(
        rng.uniforms(
          shape.reduce((p, q) => p * q, 1),
          -1,
          1,
        ),
        shape,
      );
      const [gA, gB] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), w)))([A, B]);
      return [Array.from(gA!.dataSync()), Array.from(gB!.dataSync())];
    }),
  );
}

/** Broadcasting Add/Sub cases: [a shape, b shape]; the fix reduces leading axes with a GEMV. */
const BROADCAST_CASES: [number[], number[]][] = [
  [[6, 4], [4]],
  [
    [6, 4],
    [1, 4],
  ],
  [[6, 4], []],
  [[2, 3, 4], [4]],
  [
    [2, 3, 4],
    [3, 1],
  ], // not a leading block: falls back to tf.sum
  [[5], [3, 1]], // both sides broadcast
];

/** d/da, d/db of sum((a ± b) ⊙ w) for each broadcasting case. */
function broadcastGrads(): number[][][] {
  const rng = new Rng(8);
  const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
  return BROADCAST_CASES.flatMap(([sa, sb]) =>
    [tf.add, tf.sub].map((op) =>
      tf.tidy(() => {
        const A = tf.tensor(rng.uniforms(size(sa), -1, 1), sa);
        const B = tf.tensor(rng.uniforms(size(sb), -1, 1), sb);
        const shape = op(A, B).shape;
        const w = tf.tensor(rng.uniforms(size(shape), -1, 1), shape);
        const [gA, gB] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(op(x, y), w)))([A, B]);
        expect(gA!.shape).toEqual(sa);
        expect(gB!.shape).toEqual(sb);
        return [Array.from(gA!.dataSync()), Array.from(gB!.dataSync())];
      }),
    ),
  );
}

function expectGradsClose(got: number[][][], ref: number[][][]): void {
  expect(got.length).toBe(ref.length);
  got.forEach((pair, c) => pair.forEach((g, k) => expectClose(g, ref[c]![k]!, { rel: 1e-5, abs: 1e-5 })));
}

// ---- float64 reference for the gradient penalty of a tiny MLP 2 → 4 → 3 → 1 ----

type Act = 'tanh' | 'sigmoid' | 'softplus' | 'relu' | 'leakyRelu' | 'exp' | 'elu' | 'selu';
const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;
/** Each activation and its derivative in float64. */
const ACT64: Record<Act, [(z: number) => number, (z: number) => number]> = {
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2],
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (z) => Math.exp(-z) / (1 + Math.exp(-z)) ** 2],
  softplus: [(z) => Math.log1p(Math.exp(z)), (z) => 1 / (1 + Math.exp(-z))],
  relu: [(z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0)],
  leakyRelu: [(z) => (z > 0 ? z : 0.2 * z), (z) => (z > 0 ? 1 : 0.2)],
  exp: [Math.exp, Math.exp],
  elu: [(z) => (z > 0 ? z : Math.exp(z) - 1), (z) => (z > 0 ? 1 : Math.exp(z))],
  selu: [(z) => SELU_S * (z > 0 ? z : SELU_A * (Math.exp(z) - 1)), (z) => SELU_S * (z > 0 ? 1 : SELU_A * Math.exp(z))],
};
const actTf: Record<Act, (z: tf.Tensor2D) => tf.Tensor2D> = {
  tanh: (z) => tf.tanh(z),
  sigmoid: (z) => tf.sigmoid(z),
  softplus: (z) => tf.softplus(z),
  relu: (z) => tf.relu(z),
  leakyRelu: (z) => tf.leakyRelu(z, 0.2),
  exp: (z) => tf.exp(z),
  elu: (z) => tf.elu(z),
  selu: (z) => tf.selu(z),
};

const SIZES = [2, 4, 3, 1];
/** Parameter layout: per layer W [in,out] row-major then b [out]. */
function paramCount(): number {
  let n = 0;
  for (let l = 0; l + 1 < SIZES.length; l++) n += SIZES[l]! * SIZES[l + 1]! + SIZES[l + 1]!;
  return n;
}

/** P(θ) = Σ_rows ‖∇ₓ f(x; θ)‖², with ∇ₓ f by hand-written backprop, all in float64. */
function penalty64(theta: Float64Array, xs: Float64Array, act: Act): number {
  const [a, da] = ACT64[act];
  const rows = xs.length / SIZES[0]!;
  const L = SIZES.length - 1;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let h = Array.from(xs.subarray(r * SIZES[0]!, (r + 1) * SIZES[0]!));
    const zs: number[][] = [];
    let off = 0;
    const Ws: [number, number][] = [];
    for (let l = 0; l < L; l++) {
      const nin = SIZES[l]!;
      const nout = SIZES[l + 1]!;
      Ws.push([off, off + nin * nout]);
      const z = new Array<number>(nout).fill(0);
      for (let j = 0; j < nout; j++) {
        let s = theta[off + nin * nout + j]!;
        for (let i = 0; i < nin; i++) s += h[i]! * theta[off + i * nout + j]!;
        z[j] = s;
      }
      off += nin * nout + nout;
      zs.push(z);
      h = l + 1 < L ? z.map(a) : z;
    }
    // Backward: g = ∂f/∂z of the last layer = 1.
    let g = [1];
    for (let l = L - 1; l >= 0; l--) {
      const nin = SIZES[l]!;
      const nout = SIZES[l + 1]!;
      const w0 = Ws[l]![0];
      const gin = new Array<number>(nin).fill(0);
      for (let i = 0; i < nin; i++) for (let j = 0; j < nout; j++) gin[i] = gin[i]! + theta[w0 + i * nout + j]! * g[j]!;
      g = l > 0 ? gin.map((v, i) => v * da(zs[l - 1]![i]!)) : gin;
    }
    total += g.reduce((s, v) => s + v * v, 0);
  }
  return total;
}

/** The same P(θ) and dP/dθ through tfjs: tf.grad inside tf.variableGrads (the WGAN-GP pattern). */
function penaltyGradTf(theta: Float64Array, xs: Float64Array, act: Act): Float64Array {
  return scoped(() => {
    const vars: tf.Variable[] = [];
    let off = 0;
    for (let l = 0; l + 1 < SIZES.length; l++) {
      const nin = SIZES[l]!;
      const nout = SIZES[l + 1]!;
      vars.push(tf.variable(tf.tensor2d(Float32Array.from(theta.subarray(off, off + nin * nout)), [nin, nout])));
      off += nin * nout;
      vars.push(tf.variable(tf.tensor1d(Float32Array.from(theta.subarray(off, off + nout)))));
      off += nout;
    }
    const f = (x: tf.Tensor2D): tf.Tensor2D => {
      let h = x;
      for (let l = 0; l * 2 < vars.length; l++) {
        const z = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!) as tf.Tensor2D;
        h = 2 * l + 2 < vars.length ? actTf[act](z) : z;
      }
      return h;
    };
    const X = tf.tensor2d(Float32Array.from(xs), [xs.length / SIZES[0]!, SIZES[0]!]);
    const { grads } = tf.variableGrads(() => {
      const gx = tf.grad((x: tf.Tensor) => tf.sum(f(x as tf.Tensor2D)))(X);
      return tf.sum(tf.square(gx));
    }, vars);
    const out = new Float64Array(theta.length);
    let k = 0;
    // A variable off every path to P (the last bias: ∇ₓ f does not depend on it) gets no entry: 0.
    for (const v of vars) {
      const g = grads[v.name];
      if (g) for (const x of g.dataSync()) out[k++] = x;
      else k += v.size;
    }
    vars.forEach((v) => v.dispose());
    return out;
  });
}

/** Draws a parameter vector and inputs whose pre-activations stay away from the kinks of relu-like units. */
function problem(act: Act): { theta: Float64Array; xs: Float64Array } {
  const rng = new Rng(11);
  const theta = Float64Array.from(rng.uniforms(paramCount(), -0.9, 0.9));
  const xs = Float64Array.from(rng.uniforms(6 * SIZES[0]!, -1.5, 1.5));
  void act;
  return { theta, xs };
}

/** Max |tf − FD| relative to max |FD|, with float64 central differences (step 1e-5) as the reference. */
function relErrorVsFd(act: Act): number {
  const { theta, xs } = problem(act);
  const got = penaltyGradTf(theta, xs, act);
  const h = 1e-5;
  let maxErr = 0;
  let maxRef = 0;
  for (let i = 0; i < theta.length; i++) {
    const tp = Float64Array.from(theta);
    const tm = Float64Array.from(theta);
    tp[i] = tp[i]! + h;
    tm[i] = tm[i]! - h;
    const fd = (penalty64(tp, xs, act) - penalty64(tm, xs, act)) / (2 * h);
    maxErr = Math.max(maxErr, Math.abs(got[i]! - fd));
    maxRef = Math.max(maxRef, Math.abs(fd));
  }
  return maxErr / maxRef;
}

const ACTS: Act[] = ['tanh', 'sigmoid', 'softplus', 'relu', 'leakyRelu', 'exp', 'elu', 'selu'];

describe('installTrainingFixes', () => {
  let cpuReference: number[][][];
  let cpuBroadcast: number[][][];

  beforeAll(async () => {
    // The stock gradients on the cpu backend are the reference; take them before the fixes go in
    // (the gradient registry is global to tfjs, whatever the backend).
    await tf.setBackend('cpu');
    cpuReference = matMulGrads();
    cpuBroadcast = broadcastGrads();
    const sel = await selectBackend(['wasm']);
    expect(sel.backend).toBe('wasm');
    installTrainingFixes(tf);
    installTrainingFixes(tf); // idempotent
  });

  it('gives the matMul gradient of the cpu backend on wasm, for every transpose flag and a broadcast batch', () => {
    expectGradsClose(matMulGrads(), cpuReference);
  });

  it('gives the Add/Sub broadcast gradients of the cpu backend on wasm', () => {
    expectGradsClose(broadcastGrads(), cpuBroadcast);
  });

  it('sums a matrix over axis 0 on wasm like the cpu backend (the override), and other axes as before', async () => {
    const rng = new Rng(4);
    const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
      { shape: [256, 128], axis: 0, keepDims: false },
      { shape: [7, 3], axis: [0], keepDims: true },
      { shape: [7, 3], axis: -2, keepDims: false },
      { shape: [7, 3], axis: 1, keepDims: false },
      { shape: [2, 3, 4], axis: 0, keepDims: false },
    ];
    const inputs = cases.map((c) =>
      rng.uniforms(
        c.shape.reduce((p, q) => p * q, 1),
        -1,
        1,
      ),
    );
    const run = (): { shape: number[]; values: number[] }[] =>
      cases.map((c, k) =>
        tf.tidy(() => {
          const y = tf.sum(tf.tensor(inputs[k]!, c.shape), c.axis, c.keepDims);
          return { shape: y.shape, values: Array.from(y.dataSync()) };
        }),
      );
    const got = run();
    await tf.setBackend('cpu');
    const ref = run();
    await tf.setBackend('wasm');
    got.forEach((g, k) => {
      expect(g.shape).toEqual(ref[k]!.shape);
      g.values.forEach((v, i) => expect(Math.abs(v - ref[k]!.values[i]!)).toBeLessThan(1e-4));
    });
  });

  it('shares the buffer in Identity and same-dtype Cast on wasm without letting a clone see its source disposed', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(a);
    a.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(c);
    c.dispose();
    v.assign(tf.tensor1d([4, 5, 6]));
    expect(Array.from(v.dataSync())).toEqual([4, 5, 6]);
    v.dispose();
    // Cast to the same dtype shares too; to another dtype it still converts.
    const f = tf.tensor1d([1.5, -2]);
    const same = tf.cast(f, 'float32');
    const i = tf.cast(f, 'int32');
    f.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2]);
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2]);
    tf.dispose([same, i]);
  });

  it('sums the gradient of a broadcast batch operand over the batch (the stock gradient throws here)', () => {
    const rng = new Rng(3);
    const A = tf.tensor3d(rng.uniforms(2 * 5 * 3, -1, 1), [2, 5, 3]);
    const B = tf.tensor2d(rng.uniforms(3 * 4, -1, 1), [3, 4]);
    const W = tf.tensor3d(rng.uniforms(2 * 5 * 4, -1, 1), [2, 5, 4]);
    const [gA, gB] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), W)))([A, B]);
    expect(gB!.shape).toEqual([3, 4]);
    expect(gA!.shape).toEqual([2, 5, 3]);
    // dB = Σ_k A_kᵀ · W_k, by slices.
    const a = A.arraySync();
    const w = W.arraySync();
    const gb = gB!.arraySync() as number[][];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 2; k++) for (let r = 0; r < 5; r++) s += a[k]![r]![i]! * w[k]![r]![j]!;
        expect(Math.abs(gb[i]![j]! - s)).toBeLessThan(1e-5);
      }
    tf.dispose([A, B, W, gA!, gB!]);
  });

  it('runs the matMul gradient as explicit Transpose + plain BatchMatMul', async () => {
    const A = tf.ones([8, 4]);
    const B = tf.ones([4, 6]);
    const info = await tf.profile(() => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([A, B]);
      tf.dispose(g);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'Transpose').length).toBe(2);
    expect(names.filter((n) => n === 'BatchMatMul').length).toBe(3);
    tf.dispose([A, B]);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    describe(`second-order gradients on ${backend}`, () => {
      beforeAll(async () => {
        expect(await tf.setBackend(backend)).toBe(true);
      });
      for (const act of ACTS) {
        it(`d/dθ Σ‖∇ₓ f‖² matches float64 finite differences for ${act}`, () => {
          expect(relErrorVsFd(act)).toBeLessThan(2e-4);
        });
      }
    });
  }
});
