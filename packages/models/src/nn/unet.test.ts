import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { testTf } from '../families/family.test-helper.js';
import { PatchDiscriminator } from './translator.js';
import { dropoutMasks, UnetGenerator } from './unet.js';

describe('UnetGenerator', () => {
  it('maps [N, s·s·C_in] to [N, s·s·C_out] in [−1, 1] at 28 and 32 px; the decoder takes the encoder’s features', async () => {
    const tf = await testTf();
    for (const size of [28, 32]) {
      const G = new UnetGenerator(tf, new Rng(1), { size, inChannels: 2, outChannels: 3, width: 4 });
      const y = tf.tidy(() => G.apply(tf.tensor2d(new Rng(2).normals(2 * size * size * 2), [2, size * size * 2])));
      expect(y.shape).toEqual([2, size * size * 3]);
      expect(Array.from(y.dataSync()).every((v) => v >= -1 && v <= 1)).toBe(true);
      y.dispose();
      const shapes = new Map(G.namedVariables('G').map(([n, v]) => [n, v.shape]));
      // The skip connections: each up-conv reads [encoder, decoder] channels (ConvT W is [k, k, out, in]).
      expect(shapes.get('G.up2.W')).toEqual([4, 4, 4, 16]);
      expect(shapes.get('G.up1.W')).toEqual([4, 4, 3, 8]);
      G.dispose();
    }
    expect(() => new UnetGenerator(tf, new Rng(1), { size: 30, inChannels: 1, outChannels: 1, width: 4 })).toThrow(/divisible by 4/);
  });

  it('an output pixel depends on the input through the skips: changing one input pixel changes its neighbourhood most', async () => {
    const tf = await testTf();
    const G = new UnetGenerator(tf, new Rng(3), { size: 28, inChannels: 1, outChannels: 1, width: 4 });
    const x = new Float32Array(784).fill(-1);
    const changed = x.slice();
    changed[14 * 28 + 14] = 1;
    const [a, b] = [x, changed].map((v) => tf.tidy(() => G.apply(tf.tensor2d(v, [1, 784])).dataSync()));
    const diff = Array.from(a!, (v, i) => Math.abs(v - b![i]!));
    const near = diff[14 * 28 + 14]!;
    const far = diff[0]!;
    expect(near).toBeGreaterThan(0);
    expect(far).toBeLessThan(near);
    G.dispose();
  });

  it('dropout masks: 0 or 1/(1 − p), about p dropped, drawn image by image from the Rng; p = 0 gives none', async () => {
    const tf = await testTf();
    const G = new UnetGenerator(tf, new Rng(1), { size: 28, inChannels: 1, outChannels: 1, width: 4 });
    expect(dropoutMasks(tf, G, 3, 0, new Rng(1))).toBeUndefined();
    const all = dropoutMasks(tf, G, 3, 0.5, new Rng(4))!;
    expect(all.inner.shape).toEqual([3, 7, 7, 8]);
    expect(all.up.shape).toEqual([3, 14, 14, 4]);
    const values = Array.from(all.up.dataSync());
    expect(new Set(values)).toEqual(new Set([0, 2]));
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.45);
    expect(dropped).toBeLessThan(0.55);
    // One call for three images equals three calls for one: an image's masks do not depend on its chunk.
    const rng = new Rng(4);
    const ones = [0, 1, 2].map(() => dropoutMasks(tf, G, 1, 0.5, rng)!);
    const joined = (k: 'inner' | 'up') => ones.flatMap((m) => Array.from(m[k].dataSync()));
    expect(joined('inner')).toEqual(Array.from(all.inner.dataSync()));
    expect(joined('up')).toEqual(values);
    // Masks change the output.
    const x = tf.tensor2d(new Rng(5).normals(3 * 784), [3, 784]);
    const [plain, masked] = [G.apply(x), G.apply(x, all)];
    expect(Array.from(plain.dataSync())).not.toEqual(Array.from(masked.dataSync()));
    tf.dispose([x, plain, masked, all.inner, all.up, ...ones.flatMap((m) => [m.inner, m.up])]);
    G.dispose();
  });
});

describe('PatchDiscriminator of pix2pix (one stride-2 layer)', () => {
  it('scores a 12×12 map at 28 px, each logit’s convolutions seeing a 16×16 patch of the (input, image) pair', async () => {
    const tf = await testTf();
    const D = new PatchDiscriminator(tf, new Rng(1), { size: 28, channels: 2, width: 4, layers: 1 });
    expect(D.receptiveField()).toBe(16);
    const cycleganD = new PatchDiscriminator(tf, new Rng(1), { size: 28, channels: 1, width: 4 });
    expect(cycleganD.receptiveField()).toBe(34);
    expect(tf.tidy(() => D.applyImages(tf.zeros([1, 28, 28, 2]))).shape).toEqual([1, 12, 12, 1]);
    D.dispose();
    cycleganD.dispose();
    expect(() => new PatchDiscriminator(tf, new Rng(1), { size: 28, channels: 1, width: 4, layers: 0 })).toThrow(/at least one stride-2 layer/);
  });
});
