/**
 * The conv gradients of training-fixes.ts (built in conv-grad.ts from the forward Conv2D kernel)
 * against the cpu backend's native kernels (Conv2DBackpropFilter / Conv2DBackpropInput), over
 * random cases: strides 1–3, 'same' / 'valid' / numeric / explicit padding, odd sizes, several
 * channel counts; and the polyphase transposed conv against tf.conv2dTranspose.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { transposedConv2d } from './conv-grad.js';
import { installTrainingFixes } from './training-fixes.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  s: [number, number];
  pad: Pad;
}

const size = (s: readonly number[]): number => s.reduce((p, q) => p * q, 1);

/** Random conv problems with at least one output position. */
function cases(count: number): Case[] {
  const rng = new Rng(2024);
  const out: Case[] = [];
  while (out.length < count) {
    const x: Case['x'] = [1 + rng.int(3), 3 + rng.int(7), 3 + rng.int(7), [1, 2, 3, 5][rng.int(4)]!];
    const k: Case['k'] = [1 + rng.int(5), 1 + rng.int(5)];
    const s: Case['s'] =
      out.length % 3 === 2
        ? [1 + rng.int(3), 1 + rng.int(3)]
        : ((
            [
              [1, 1],
              [2, 2],
            ] as const
          )[out.length % 2]!.slice() as [number, number]);
    const kind = rng.int(4);
    const pad: Pad =
      kind === 0
        ? 'same'
        : kind === 1
          ? 'valid'
          : kind === 2
            ? rng.int(3)
            : [
                [0, 0],
                [rng.int(3), rng.int(3)],
                [rng.int(3), rng.int(3)],
                [0, 0],
              ];
    const ph = pad === 'valid' ? 0 : pad === 'same' ? k[0] : typeof pad === 'number' ? 2 * pad : pad[1][0] + pad[1][1];
    const pw = pad === 'valid' ? 0 : pad === 'same' ? k[1] : typeof pad === 'number' ? 2 * pad : pad[2][0] + pad[2][1];
    if (x[1] + ph < k[0] || x[2] + pw < k[1]) continue;
    // tfjs's numeric padding is only valid with a square filter and stride (computeConv2DInfo
    // sizes both axes from the height's) that divide evenly (no rounding mode): otherwise the
    // output shape is wrong or fractional and the wasm forward conv writes past its buffer.
    if (typeof pad === 'number' && (k[0] !== k[1] || s[0] !== s[1] || (x[1] + ph - k[0]) % s[0] !== 0 || (x[2] + pw - k[1]) % s[1] !== 0)) continue;
    out.push({ x, k, cout: [1, 2, 4][rng.int(3)]!, s, pad });
  }
  return out;
}

const CASES = cases(36);

/** d/dx, d/dW of Σ conv2d(x, W) ⊙ w for every case (w makes dy non-uniform). */
function convGrads(): number[][][] {
  const rng = new Rng(5);
  return CASES.map((c) =>
    tf.tidy(() => {
      const x = tf.tensor4d(rng.uniforms(size(c.x), -1, 1), c.x);
      const W = tf.tensor4d(rng.uniforms(size([...c.k, c.x[3], c.cout]), -1, 1), [...c.k, c.x[3], c.cout]);
      const yShape = tf.conv2d(x, W, c.s, c.pad).shape;
      const w = tf.tensor(rng.uniforms(size(yShape), -1, 1), yShape);
      const [gx, gW] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), w)))([x, W]);
      return [Array.from(gx!.dataSync()), Array.from(gW!.dataSync())];
    }),
  );
}

/** tf.conv2dTranspose with the forward conv of each case: output and gradients for dy and W. */
function transposedResults(own: boolean): number[][][] {
  const rng = new Rng(6);
  return CASES.map((c) =>
    tf.tidy(() => {
      const fShape: [number, number, number, number] = [...c.k, c.x[3], c.cout];
      const dyShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, c.s, c.pad).shape;
      const dy = tf.tensor4d(rng.uniforms(size(dyShape), -1, 1), dyShape);
      const W = tf.tensor4d(rng.uniforms(size(fShape), -1, 1), fShape);
      const w = tf.tensor(rng.uniforms(size(c.x), -1, 1), c.x);
      const info = tf.backend_util.computeConv2DInfo(c.x, fShape, c.s, 1, c.pad);
      const pads = info.padInfo;
      const f = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => (own ? transposedConv2d(tf, a, b, [c.x[1], c.x[2]], c.s, pads) : tf.conv2dTranspose(a, b, c.x, c.s, c.pad));
      const y = f(dy, W);
      const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), w)))([dy, W]);
      return [Array.from(y.dataSync()), Array.from(g1!.dataSync()), Array.from(g2!.dataSync())];
    }),
  );
}

/**
 * Second order (the WGAN-GP pattern): d/dθ Σ‖∇ₓ f(x)‖² for a two-layer strided conv critic
 * f = Σ softplus(conv(softplus(conv(x, W1, s2)), W2, s2)) ⊙ w, θ = (W1, W2). The stock cpu
 * gradients differentiate through the native backprop kernels; ours through conv-grad.ts.
 */
function penaltyGrads(): number[][][] {
  const rng = new Rng(9);
  const problems: { x: [number, number, number, number]; c1: number; c2: number; pad: Pad }[] = [
    {
      x: [3, 8, 8, 2],
      c1: 3,
      c2: 2,
      pad: [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    },
    { x: [2, 7, 9, 1], c1: 2, c2: 3, pad: 'same' },
  ];
  return problems.map((p) =>
    tf.tidy(() => {
      const x = tf.tensor4d(rng.uniforms(size(p.x), -1, 1), p.x);
      const W1 = tf.tensor4d(rng.uniforms(16 * p.x[3] * p.c1, -0.5, 0.5), [4, 4, p.x[3], p.c1]);
      const W2 = tf.tensor4d(rng.uniforms(9 * p.c1 * p.c2, -0.5, 0.5), [3, 3, p.c1, p.c2]);
      const f = (v: tf.Tensor4D, a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => tf.sum(tf.softplus(tf.conv2d(tf.softplus(tf.conv2d(v, a, 2, p.pad)), b, 2, p.pad)));
      const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const gx = tf.grad((v: tf.Tensor) => f(v as tf.Tensor4D, a as tf.Tensor4D, b as tf.Tensor4D))(x);
        return tf.sum(tf.square(gx));
      })([W1, W2]);
      return [Array.from(g1!.dataSync()), Array.from(g2!.dataSync())];
    }),
  );
}

/** Largest |got − ref| / max |ref| over all arrays of one case; all cases' worst. */
function worstRelError(got: number[][][], ref: number[][][]): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  got.forEach((arrs, c) =>
    arrs.forEach((g, k) => {
      const r = ref[c]![k]!;
      expect(g.length).toBe(r.length);
      const scale = Math.max(...r.map(Math.abs), 1e-12);
      for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - r[i]!) / scale);
    }),
  );
  return worst;
}

describe('conv gradients from the forward conv kernel', () => {
  let refConv: number[][][];
  let refTransposed: number[][][];
  let refPenalty: number[][][];

  beforeAll(async () => {
    // Native cpu kernels with tfjs's stock gradients are the reference: take them before the
    // fixes replace the (global) gradient registry entries.
    await tf.setBackend('cpu');
    refConv = convGrads();
    refTransposed = transposedResults(false);
    refPenalty = penaltyGrads();
    expect((await selectBackend(['wasm'])).backend).toBe('wasm');
    installTrainingFixes(tf);
  });

  it('stock wasm cannot train a conv (no Conv2DBackpropFilter kernel) — the case the fix is for', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives the native conv2d gradients on ${backend} (36 random cases, ≤ 1e-5 relative)`, async () => {
      await tf.setBackend(backend);
      const err = worstRelError(convGrads(), refConv);
      await tf.setBackend('wasm');
      expect(err).toBeLessThan(1e-5);
    });

    it(`gives the native second-order gradients (a gradient penalty through strided convs) on ${backend}`, async () => {
      await tf.setBackend(backend);
      const err = worstRelError(penaltyGrads(), refPenalty);
      await tf.setBackend('wasm');
      expect(err).toBeLessThan(1e-5);
    });

    it(`computes tf.conv2dTranspose and its gradients by polyphase conv on ${backend}`, async () => {
      await tf.setBackend(backend);
      const own = worstRelError(transposedResults(true), refTransposed);
      const stock = worstRelError(transposedResults(false), refTransposed); // Conv2DBackpropInput's re-registered gradient
      await tf.setBackend('wasm');
      expect(own).toBeLessThan(1e-5);
      expect(stock).toBeLessThan(1e-5);
    });
  }
});
