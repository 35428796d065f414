import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { Rng } from '../rng.js';
import { ConvDenoiser } from './conv-denoiser.js';
import { ConvDiscriminator, ConvGenerator, convDecoder, convEncoder, type DiscriminatorOptions } from './dcgan.js';
import { gradientPenalty } from './gradient-penalty.js';
import { Adam } from './optimizers.js';

beforeAll(async () => {
  expect((await selectBackend(['wasm'])).backend).toBe('wasm');
  installTrainingFixes(tf);
});

const values = (m: { namedVariables(p: string): [string, tf.Variable][] }): Map<string, Float32Array> =>
  new Map(m.namedVariables('m').map(([n, v]) => [n, Float32Array.from(v.dataSync())]));

describe('DCGAN builders', () => {
  it.each([28, 32, 64])('map z to %i px images in [−1, 1] and images to logits, from a seed, without leaking', (size) => {
    const before = tf.memory().numTensors;
    const G = new ConvGenerator(tf, new Rng(1), { latentDim: 8, size, channels: 3, width: 4 });
    const D = new ConvDiscriminator(tf, new Rng(2), { size, channels: 3, width: 4, norm: 'batch', outputs: 2 });
    // Same seed, same weights (compared before training-mode calls move the running stats).
    const G2 = new ConvGenerator(tf, new Rng(1), { latentDim: 8, size, channels: 3, width: 4 });
    expect(values(G2)).toEqual(values(G));
    const out = tf.tidy(() => {
      const x = G.apply(tf.tensor2d(new Rng(3).normals(2 * 8), [2, 8]));
      return [x, D.apply(x), D.apply(tf.reshape(x, [2, size * size * 3]) as tf.Tensor2D)];
    });
    expect(out[0]!.shape).toEqual([2, size, size, 3]);
    expect(out[1]!.shape).toEqual([2, 2]);
    expect(Array.from(out[2]!.dataSync())).toEqual(Array.from(out[1]!.dataSync()));
    expect(Math.max(...Array.from(out[0]!.dataSync(), Math.abs))).toBeLessThanOrEqual(1);
    tf.dispose(out);
    for (const m of [G, G2, D]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('for 28 px with width 32 is 7×7×64 → 14×14×32 → 28×28×C and 28 → 14×14×32 → 7×7×64 (DCGAN, Radford et al. 2016, at CPU width)', () => {
    const G = new ConvGenerator(tf, new Rng(1), { latentDim: 100, size: 28, channels: 1 });
    const D = new ConvDiscriminator(tf, new Rng(2), { size: 28, channels: 1 });
    expect(G.project.outDim).toBe(7 * 7 * 64);
    expect(G.ups.map((u) => [u.inChannels, u.outChannels])).toEqual([
      [64, 32],
      [32, 1],
    ]);
    expect(D.convs.map((c) => [c.inChannels, c.outChannels])).toEqual([
      [1, 32],
      [32, 64],
    ]);
    expect(D.featureDim).toBe(7 * 7 * 64);
    // Batch norm variables are state: in namedVariables, running stats not trainable.
    const names = G.namedVariables('G').map(([n]) => n);
    expect(names).toContain('G.bn1.running_var');
    expect(G.trainable().some((v) => v.name === G.norms[1]!.runningVar.name)).toBe(false);
    G.dispose();
    D.dispose();
  });

  it('restores exactly from its named variables (batch-norm running stats and spectral-norm vectors included)', () => {
    const make = () =>
      [
        new ConvGenerator(tf, new Rng(5), { latentDim: 4, size: 28, channels: 1, width: 4 }),
        new ConvDiscriminator(tf, new Rng(6), { size: 28, channels: 1, width: 4, norm: 'spectral' }),
      ] as const;
    const [G, D] = make();
    const z = tf.tensor2d(new Rng(7).normals(3 * 4), [3, 4]);
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(() => D.apply(G.apply(z)))); // moves running stats and u, v
    const [G2, D2] = make();
    for (const [a, b] of [
      [G, G2],
      [D, D2],
    ] as const) {
      const src = new Map(a.namedVariables('m'));
      for (const [n, v] of b.namedVariables('m')) v.assign(src.get(n)!);
    }
    const run = (g: ConvGenerator, d: ConvDiscriminator) =>
      tf.tidy(() => Array.from(d.apply(g.apply(z)).dataSync()).concat(Array.from(g.apply(z, { training: false }).dataSync())));
    expect(run(G2, D2)).toEqual(run(G, D));
    expect(values(G2)).toEqual(values(G));
    expect(values(D2)).toEqual(values(D));
    z.dispose();
    for (const m of [G, D, G2, D2]) m.dispose();
  });

  it('conditions by concatenated maps and by projection', () => {
    const rng = new Rng(8);
    const opts: DiscriminatorOptions = { size: 28, channels: 1, width: 4 };
    const Dc = new ConvDiscriminator(tf, rng, { ...opts, condDim: 10 });
    const Dp = new ConvDiscriminator(tf, rng, { ...opts, projectionClasses: 10 });
    const G = new ConvGenerator(tf, rng, { latentDim: 4, size: 28, channels: 1, width: 4, condDim: 10 });
    const out = tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d([1, 7], 'int32'), 10).toFloat() as tf.Tensor2D;
      const y2 = tf.oneHot(tf.tensor1d([2, 3], 'int32'), 10).toFloat() as tf.Tensor2D;
      const x = G.apply(tf.ones([2, 4]), { cond: y });
      return [Dc.apply(x, { cond: y }), Dc.apply(x, { cond: y2 }), Dp.apply(x, { labels: y }), Dp.apply(x, { labels: y2 })];
    });
    expect(out[0]!.dataSync()).not.toEqual(out[1]!.dataSync());
    expect(out[2]!.dataSync()).not.toEqual(out[3]!.dataSync());
    expect(() => tf.tidy(() => Dc.apply(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D))).toThrow(/condition/);
    tf.dispose(out);
    for (const m of [Dc, Dp, G]) m.dispose();
  });

  it('builds a conv VAE encoder/decoder and a DDPM denoiser that starts at ε = 0 and trains', () => {
    const rng = new Rng(9);
    const E = convEncoder(tf, rng, { size: 28, channels: 1, latentDim: 3, width: 4 });
    const Dec = convDecoder(tf, rng, { size: 28, channels: 1, latentDim: 3, width: 4, output: 'sigmoid' });
    const U = new ConvDenoiser(tf, rng, { size: 28, channels: 1, width: 4, timeDim: 8 });
    const x = tf.tensor4d(new Rng(10).uniforms(2 * 28 * 28, -1, 1), [2, 28, 28, 1]);
    const t = tf.tensor1d([3, 500]);
    const [e, d, u0] = tf.tidy(() => [E.apply(x), Dec.apply(tf.ones([2, 3])), U.apply(x, t)]);
    expect(e.shape).toEqual([2, 6]);
    expect(d.shape).toEqual([2, 28, 28, 1]);
    expect(u0.shape).toEqual([2, 28, 28, 1]);
    expect(Math.max(...Array.from(u0.dataSync(), Math.abs))).toBe(0);
    const opt = new Adam(tf, 1e-2, 0.9, 0.999);
    for (let i = 0; i < 2; i++) opt.minimize(() => tf.mean(tf.square(tf.sub(U.apply(x, t), x))), U.trainable());
    const u1 = tf.tidy(() => U.apply(x, t));
    expect(Math.max(...Array.from(u1.dataSync(), Math.abs))).toBeGreaterThan(0);
    tf.dispose([x, t, e, d, u0, u1]);
    opt.dispose();
    for (const m of [E, Dec, U]) m.dispose();
  });
});

/** Gradients of a DCGAN D loss, G loss and a WGAN-GP critic loss (second order, LeakyReLU) on `backend`. */
async function lossGrads(backend: 'wasm' | 'cpu'): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const G = new ConvGenerator(tf, new Rng(11), { latentDim: 6, size: 28, channels: 1, width: 4 });
  const D = new ConvDiscriminator(tf, new Rng(12), { size: 28, channels: 1, width: 4, norm: 'batch' });
  const C = new ConvDiscriminator(tf, new Rng(13), { size: 28, channels: 1, width: 4, norm: 'none' });
  const noise = new Rng(14);
  const n = 4;
  const real = tf.tensor4d(noise.uniforms(n * 28 * 28, -1, 1), [n, 28, 28, 1]);
  const z = tf.tensor2d(noise.normals(n * 6), [n, 6]);
  const eps = noise.uniforms(n);
  const losses: [() => tf.Scalar, tf.Variable[]][] = [
    [() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(real)))), tf.mean(tf.softplus(D.apply(G.apply(z))))) as tf.Scalar, D.trainable()],
    [() => tf.mean(tf.softplus(tf.neg(D.apply(G.apply(z))))) as tf.Scalar, G.trainable()],
    [
      () => {
        const fake = tf.reshape(G.apply(z), [n, 784]) as tf.Tensor2D;
        const r = tf.reshape(real, [n, 784]) as tf.Tensor2D;
        const w = tf.sub(tf.mean(C.apply(r)), tf.mean(C.apply(fake)));
        return tf.add(
          tf.neg(w),
          gradientPenalty(tf, (v) => C.apply(v), r, fake, eps, 10),
        ) as tf.Scalar;
      },
      C.trainable(),
    ],
  ];
  const out: Float32Array[] = [];
  for (const [f, vars] of losses) {
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(f, vars);
      return vars.map((v) => grads[v.name]!);
    });
    out.push(...g.map((t) => Float32Array.from(t.dataSync())));
    tf.dispose(g);
  }
  tf.dispose([real, z]);
  for (const m of [G, D, C]) m.dispose();
  return out;
}

describe('DCGAN losses on wasm and cpu', () => {
  it('give the same gradients (D, G, and the WGAN-GP critic with its gradient penalty)', async () => {
    const cpu = await lossGrads('cpu');
    const wasm = await lossGrads('wasm');
    expect(wasm.length).toBe(cpu.length);
    let worst = 0;
    const zero: number[] = [];
    cpu.forEach((c, i) => {
      const scale = Math.max(...Array.from(c, Math.abs), 1e-6);
      if (scale <= 1e-6) zero.push(i);
      for (let k = 0; k < c.length; k++) worst = Math.max(worst, Math.abs(wasm[i]![k]! - c[k]!) / scale);
    });
    // Every parameter gets a gradient but the critic's output bias, which the WGAN loss cancels.
    expect(zero).toEqual([cpu.length - 1]);
    expect(worst).toBeLessThan(1e-4);
  });
});
