import { describe, expect, it } from 'vitest';
import type * as tfNs from '@tensorflow/tfjs';
import { createClassifierExtractor, loadClassifierModel } from '@gen-eval/metrics/extract';
import { Rng } from '../rng.js';
import { testTf } from '../families/family.test-helper.js';
import { depthToSpace } from '../tfjs/conv-grad.js';
import { ClassifierFeatures } from './classifier-features.js';
import { PRelu, SrDiscriminator, SrResNet } from './sr-networks.js';

describe('pixel shuffle (depth-to-space)', () => {
  it('puts channel (i·r + j)·C + c of pixel (h, w) at (h·r + i, w·r + j, c), as computed by hand and by tf.depthToSpace', async () => {
    const tf = await testTf();
    const [n, h, w, C, r] = [2, 3, 2, 2, 2];
    const values = Float32Array.from({ length: n * h * w * r * r * C }, (_, k) => k);
    const x = tf.tensor4d(values, [n, h, w, r * r * C]);
    const y = depthToSpace(tf, x, [r, r]);
    expect(y.shape).toEqual([n, h * r, w * r, C]);
    const out = y.dataSync();
    for (let b = 0; b < n; b++)
      for (let p = 0; p < h; p++)
        for (let q = 0; q < w; q++)
          for (let i = 0; i < r; i++)
            for (let j = 0; j < r; j++)
              for (let c = 0; c < C; c++) {
                const src = ((b * h + p) * w + q) * r * r * C + (i * r + j) * C + c;
                const dst = ((b * h * r + p * r + i) * w * r + q * r + j) * C + c;
                expect(out[dst]).toBe(values[src]);
              }
    expect(Array.from(out)).toEqual(Array.from(tf.depthToSpace(x, r, 'NHWC').dataSync()));
    tf.dispose([x, y]);
  });

  it('has a gradient (the inverse permutation of the output gradient)', async () => {
    const tf = await testTf();
    const x = tf.tensor4d(new Rng(1).normals(1 * 2 * 2 * 8), [1, 2, 2, 8]);
    const weights = tf.tensor4d(new Rng(2).normals(1 * 4 * 4 * 2), [1, 4, 4, 2]);
    const g = tf.grad((t: tfNs.Tensor) => tf.sum(tf.mul(depthToSpace(tf, t as tfNs.Tensor4D, [2, 2]), weights)))(x);
    // d/dx Σ shuffle(x)·w = unshuffle(w): shuffling the gradient back gives w.
    expect(Array.from(depthToSpace(tf, g as tfNs.Tensor4D, [2, 2]).dataSync())).toEqual(Array.from(weights.dataSync()));
    tf.dispose([x, weights, g]);
  });
});

describe('SRGAN networks', () => {
  it('PReLU is x for x ≥ 0 and 0.25·x below at start', async () => {
    const tf = await testTf();
    const act = new PRelu(tf, 2);
    const y = act.apply(tf.tensor2d([1, -2, -4, 3], [2, 2]));
    expect(Array.from(y.dataSync())).toEqual([1, -0.5, -1, 3]);
    y.dispose();
    act.dispose();
  });

  for (const upsampling of ['pixel-shuffle', 'transposed'] as const) {
    it(`SrResNet (${upsampling}) maps 14×14 rows to 28×28 rows in (−1, 1); the discriminator gives one logit per image`, async () => {
      const tf = await testTf();
      const G = new SrResNet(tf, new Rng(1), { size: 14, channels: 1, width: 4, blocks: 2, upsampling });
      const D = new SrDiscriminator(tf, new Rng(2), { size: 28, channels: 1, width: 2 });
      const before = tf.memory().numTensors;
      const [sr, logits, evalOut] = tf.tidy(() => {
        const lr = tf.tensor2d(new Rng(3).uniforms(3 * 196, -1, 1), [3, 196]);
        const out = G.apply(lr);
        // Evaluation mode reads BN's running averages.
        return [out, D.apply(out), G.apply(lr, false)];
      });
      expect(sr.shape).toEqual([3, 784]);
      expect(sr.dataSync().every((v) => v > -1 && v < 1)).toBe(true);
      expect(logits.shape).toEqual([3, 1]);
      expect(evalOut.shape).toEqual([3, 784]);
      tf.dispose([sr, logits, evalOut]);
      expect(tf.memory().numTensors).toBe(before);
      expect(G.namedVariables('G').some(([k]) => k === 'G.up_act.alpha')).toBe(true);
      G.dispose();
      D.dispose();
    });
  }
});

describe('ClassifierFeatures', () => {
  it("conv3's maps, pooled and through fc1 by hand, give the metrics package's classifier features", async () => {
    const tf = await testTf();
    const n = 4;
    // Byte-valued images, as the extractor sees PNGs.
    const bytes = Uint8Array.from(new Rng(4).uniforms(n * 784, 0, 256), Math.floor);
    const x = Float32Array.from(bytes, (b) => b / 127.5 - 1);
    const phi = new ClassifierFeatures(tf, 'mnist', 1);
    const { weights } = loadClassifierModel('mnist');
    const ours = tf.tidy(() => {
      const maps = phi.apply(tf.tensor4d(x, [n, 28, 28, 1]));
      expect(maps.shape).toEqual([n, 7, 7, 64]);
      // pool 3, then torch's flatten of NCHW, then fc1 (torch [out, in] weights).
      const pooled = tf.transpose(tf.maxPool(maps, 2, 2, 'valid'), [0, 3, 1, 2]).reshape([n, 576]);
      const fc1 = weights.get('fc1.weight')!;
      return tf.add(tf.matMul(pooled, tf.tensor2d(fc1.data, [128, 576]), false, true), tf.tensor1d(weights.get('fc1.bias')!.data)).dataSync();
    });
    const extractor = await createClassifierExtractor('mnist');
    const rgb = new Float32Array(n * 3 * 784);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) for (let p = 0; p < 784; p++) rgb[(i * 3 + c) * 784 + p] = bytes[i * 784 + p]! / 255;
    const theirs = (await extractor.run(rgb, n)).features;
    await extractor.dispose();
    ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 3));
    expect(phi.apply(tf.zeros([1, 28, 28, 1]), 1).shape).toEqual([1, 28, 28, 16]);
    phi.dispose();
  });

  it('reads RGB as its gray value (Pillow luma weights)', async () => {
    const tf = await testTf();
    const gray = new ClassifierFeatures(tf, 'fashion-mnist', 1);
    const rgb = new ClassifierFeatures(tf, 'fashion-mnist', 3);
    const g = new Rng(5).uniforms(784, -1, 1);
    const a = tf.tidy(() => gray.apply(tf.tensor4d(g, [1, 28, 28, 1]), 2).dataSync());
    const b = tf.tidy(() =>
      rgb
        .apply(
          tf.tensor4d(
            Float32Array.from({ length: 3 * 784 }, (_, k) => g[Math.floor(k / 3)]!),
            [1, 28, 28, 3],
          ),
          2,
        )
        .dataSync(),
    );
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
    expect(() => new ClassifierFeatures(tf, 'mnist', 2)).toThrow(/1- or 3-channel/);
    gray.dispose();
    rgb.dispose();
  });
});
