import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { Rng } from '../rng.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d, ConvTranspose2d } from './conv.js';

beforeAll(async () => {
  expect((await selectBackend(['wasm'])).backend).toBe('wasm');
  installTrainingFixes(tf);
});

/** PyTorch ConvTranspose2d in float64: y[o] += x[i]·W[t] for o = i·s + t − p (NHWC, W [k, k, out, in]). */
function convTranspose64(x: Float32Array, xs: number[], W: Float32Array, k: number, cout: number, s: number, p: number, b: Float32Array): Float64Array {
  const [n, h, w, cin] = xs as [number, number, number, number];
  const H = (h - 1) * s + k - 2 * p;
  const Wd = (w - 1) * s + k - 2 * p;
  const y = new Float64Array(n * H * Wd * cout);
  for (let q = 0; q < n; q++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let ti = 0; ti < k; ti++)
          for (let tj = 0; tj < k; tj++) {
            const oi = i * s + ti - p;
            const oj = j * s + tj - p;
            if (oi < 0 || oi >= H || oj < 0 || oj >= Wd) continue;
            for (let co = 0; co < cout; co++) {
              let acc = 0;
              for (let ci = 0; ci < cin; ci++) acc += x[((q * h + i) * w + j) * cin + ci]! * W[((ti * k + tj) * cout + co) * cin + ci]!;
              y[((q * H + oi) * Wd + oj) * cout + co]! += acc;
            }
          }
  for (let r = 0; r < y.length; r++) y[r]! += b[r % cout]!;
  return y;
}

describe('ConvTranspose2d', () => {
  it.each([
    [4, 2, 1, [2, 7, 7, 3], 2],
    [4, 2, 1, [1, 4, 5, 2], 3],
    [3, 2, 1, [2, 5, 5, 1], 2],
    [5, 3, 2, [1, 3, 4, 2], 1],
    [3, 1, 1, [1, 6, 6, 2], 2],
  ])('matches PyTorch semantics (k %i, stride %i, pad %i) in float64', (k, s, p, xs, cout) => {
    const rng = new Rng(k * 10 + s);
    const layer = new ConvTranspose2d(tf, rng, xs[3]!, cout, { kernel: k, stride: s, pad: p });
    const xv = rng.uniforms(
      xs.reduce((a, b) => a * b, 1),
      -1,
      1,
    );
    const y = tf.tidy(() => layer.apply(tf.tensor4d(xv, xs as [number, number, number, number])));
    const ref = convTranspose64(xv, xs, layer.W.dataSync() as Float32Array, k, cout, s, p, layer.b!.dataSync() as Float32Array);
    expect(y.shape).toEqual([xs[0], layer.outSize(xs[1]!), layer.outSize(xs[2]!), cout]);
    const got = y.dataSync();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-5);
    y.dispose();
    layer.dispose();
  });
});

describe('Conv2d', () => {
  it('keeps the size with k3 p1, halves it with k4 s2 p1, and names its variables', () => {
    const rng = new Rng(1);
    const a = new Conv2d(tf, rng, 2, 4, { kernel: 3, pad: 1 });
    const b = new Conv2d(tf, rng, 4, 3, { kernel: 4, stride: 2, pad: 1, bias: false, spectralNorm: true });
    const y = tf.tidy(() => b.apply(a.apply(tf.ones([2, 8, 8, 2]) as tf.Tensor4D)));
    expect(y.shape).toEqual([2, 4, 4, 3]);
    expect(a.namedVariables('a').map(([n]) => n)).toEqual(['a.W', 'a.b']);
    expect(b.namedVariables('b').map(([n]) => n)).toEqual(['b.W', 'b.sn.u', 'b.sn.v']);
    expect(b.trainable()).toEqual([b.W]);
    y.dispose();
    a.dispose();
    b.dispose();
  });
});

describe('BatchNorm', () => {
  it('normalises with batch statistics in training and updates the running averages as PyTorch does', () => {
    const rng = new Rng(2);
    const bn = new BatchNorm(tf, rng, 3);
    const xs = rng.normals(4 * 2 * 2 * 3).map((v, i) => 2 * v + (i % 3)); // channel means 0, 1, 2
    const y = tf.tidy(() => bn.apply(tf.tensor4d(xs, [4, 2, 2, 3])));
    const yv = y.dataSync();
    const rm = bn.runningMean.dataSync();
    const rv = bn.runningVar.dataSync();
    for (let c = 0; c < 3; c++) {
      const col = Array.from(xs.filter((_, i) => i % 3 === c));
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const v = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      col.forEach((x, r) => expect(Math.abs(yv[r * 3 + c]! - (x - mean) / Math.sqrt(v + 1e-5))).toBeLessThan(1e-4));
      expect(Math.abs(rm[c]! - 0.1 * mean)).toBeLessThan(1e-5);
      expect(Math.abs(rv[c]! - (0.9 + 0.1 * v * (col.length / (col.length - 1))))).toBeLessThan(1e-5);
    }
    // Evaluation uses the running averages and changes nothing.
    const e = tf.tidy(() => bn.apply(tf.tensor2d([[0, 0, 0]]), false));
    for (let c = 0; c < 3; c++) expect(Math.abs(e.dataSync()[c]! - (0 - rm[c]!) / Math.sqrt(rv[c]! + 1e-5))).toBeLessThan(1e-5);
    expect(Array.from(bn.runningMean.dataSync())).toEqual(Array.from(rm));
    expect(bn.namedVariables('bn').map(([n]) => n)).toEqual(['bn.gamma', 'bn.beta', 'bn.running_mean', 'bn.running_var']);
    expect(bn.trainable()).toEqual([bn.gamma, bn.beta]);
    tf.dispose([y, e]);
    bn.dispose();
  });

  it('has the gradient of float64 finite differences (x and γ)', () => {
    const rng = new Rng(3);
    const m = 6;
    const C = 2;
    const xs = Float64Array.from(rng.normals(m * C));
    const w = Float64Array.from(rng.normals(m * C));
    const gamma = [1.3, 0.7];
    const loss64 = (x: Float64Array, g: number[]): number => {
      let total = 0;
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let r = 0; r < m; r++) mean += x[r * C + c]! / m;
        let v = 0;
        for (let r = 0; r < m; r++) v += (x[r * C + c]! - mean) ** 2 / m;
        for (let r = 0; r < m; r++) total += (w[r * C + c]! * (g[c]! * (x[r * C + c]! - mean))) / Math.sqrt(v + 1e-5);
      }
      return total;
    };
    const bn = new BatchNorm(tf, rng, C);
    bn.gamma.assign(tf.tensor1d(gamma));
    const xv = tf.variable(tf.tensor2d(Float32Array.from(xs), [m, C]));
    const [gx, gg] = tf.tidy(() => {
      const wt = tf.tensor2d(Float32Array.from(w), [m, C]);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.apply(xv as tf.Tensor2D), wt)), [xv, bn.gamma]);
      return [grads[xv.name]!, grads[bn.gamma.name]!];
    });
    const h = 1e-6;
    gx.dataSync().forEach((g, i) => {
      const p = Float64Array.from(xs);
      const q = Float64Array.from(xs);
      p[i]! += h;
      q[i]! -= h;
      expect(Math.abs(g - (loss64(p, gamma) - loss64(q, gamma)) / (2 * h))).toBeLessThan(2e-4);
    });
    gg.dataSync().forEach((g, c) => {
      const gp = [...gamma];
      const gq = [...gamma];
      gp[c]! += h;
      gq[c]! -= h;
      expect(Math.abs(g - (loss64(xs, gp) - loss64(xs, gq)) / (2 * h))).toBeLessThan(2e-4);
    });
    tf.dispose([gx, gg]);
    xv.dispose();
    bn.dispose();
  });
});
