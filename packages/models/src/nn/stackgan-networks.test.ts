import { describe, expect, it } from 'vitest';
import type * as tfNs from '@tensorflow/tfjs';
import { testTf } from '../families/family.test-helper.js';
import { Rng } from '../rng.js';
import { caKlDivergence, ConditioningAugmentation, Stage1Generator, Stage2Generator, StageDiscriminator } from './stackgan-networks.js';

const values = (t: tfNs.Tensor) => Array.from(t.dataSync());

describe('StackGAN networks', () => {
  it('the KL term is the mean over batch and dims of −½(1 + log σ² − μ² − σ²)', async () => {
    const tf = await testTf();
    const mu = [0.5, -1, 0, 2];
    const logvar = [0, 1, -0.5, 0.25];
    // By hand, per element: −½(1 + lv − m² − e^lv).
    const terms = mu.map((m, i) => -0.5 * (1 + logvar[i]! - m * m - Math.exp(logvar[i]!)));
    const expected = terms.reduce((a, b) => a + b, 0) / 4;
    const kl = tf.tidy(() => caKlDivergence(tf, tf.tensor2d(mu, [2, 2]), tf.tensor2d(logvar, [2, 2])).dataSync()[0]!);
    expect(kl).toBeCloseTo(expected, 6);
    // N(0, I) itself costs nothing.
    expect(tf.tidy(() => caKlDivergence(tf, tf.zeros([3, 2]), tf.zeros([3, 2])).dataSync()[0])).toBeCloseTo(0, 7);
  });

  it('Conditioning Augmentation: c = μ + exp(½ log σ²)·ε from ReLU(W·φ + b); off, c = ReLU(W·φ + b) whatever ε', async () => {
    const tf = await testTf();
    const phi = [0.3, -0.7, 0.2, 0.9, 0.1, -0.4];
    const d = 2;
    const byHand = (ca: ConditioningAugmentation) => {
      const W = values(ca.fc.W);
      const b = values(ca.fc.b!);
      const out = ca.fc.outDim;
      return [0, 1].map((r) => Array.from({ length: out }, (_, j) => Math.max(0, b[j]! + [0, 1, 2].reduce((s, i) => s + phi[r * 3 + i]! * W[i * out + j]!, 0))));
    };
    const on = new ConditioningAugmentation(tf, new Rng(3), { textDims: 3, condDim: d, augment: true });
    const eps = [0.5, -1.5, 2, 0.25];
    const h = byHand(on);
    const { c, mu, logvar } = tf.tidy(() => {
      const code = on.apply(tf.tensor2d(phi, [2, 3]), tf.tensor2d(eps, [2, 2]));
      return { c: values(code.c), mu: values(code.mu), logvar: values(code.logvar!) };
    });
    expect(mu.map((v) => +v.toFixed(5))).toEqual(h.flatMap((row) => row.slice(0, d)).map((v) => +v.toFixed(5)));
    expect(logvar.map((v) => +v.toFixed(5))).toEqual(h.flatMap((row) => row.slice(d)).map((v) => +v.toFixed(5)));
    c.forEach((v, i) => expect(v).toBeCloseTo(mu[i]! + Math.exp(0.5 * logvar[i]!) * eps[i]!, 5));
    on.dispose();

    const off = new ConditioningAugmentation(tf, new Rng(3), { textDims: 3, condDim: d, augment: false });
    expect(off.fc.outDim).toBe(d);
    const [c1, c2] = [eps, [9, 9, 9, 9]].map((e) => tf.tidy(() => values(off.apply(tf.tensor2d(phi, [2, 3]), tf.tensor2d(e, [2, 2])).c)));
    expect(c1).toEqual(c2);
    c1!.forEach((v, i) => expect(v).toBeCloseTo(byHand(off).flat()[i]!, 5));
    off.dispose();
  });

  it('stage I draws 14×14 images, stage II 28×28 from them; the discriminators give one logit per image', async () => {
    const tf = await testTf();
    const rng = new Rng(1);
    const sizes = { textDims: 5, condDim: 3, augment: true, width: 4, channels: 1 };
    const g1 = new Stage1Generator(tf, rng, { ...sizes, latentDim: 6 });
    const g2 = new Stage2Generator(tf, rng, { ...sizes, blocks: 2 });
    const d1 = new StageDiscriminator(tf, rng, { size: 14, channels: 1, width: 4, condDim: 3, unconditional: false });
    const d2 = new StageDiscriminator(tf, rng, { size: 28, channels: 1, width: 4, condDim: 3, unconditional: true });
    const shapes = tf.tidy(() => {
      const n = 3;
      const text = tf.randomNormal([n, 5]) as tfNs.Tensor2D;
      const eps = tf.randomNormal([n, 3]) as tfNs.Tensor2D;
      const s1 = g1.apply(tf.randomNormal([n, 6]) as tfNs.Tensor2D, text, eps, true);
      const s2 = g2.apply(s1.image, text, eps, true);
      const code1 = d1.code(s1.image);
      const code2 = d2.code(s2.image);
      return {
        s1: s1.image.shape,
        s2: s2.image.shape,
        code1: code1.shape,
        code2: code2.shape,
        l1: d1.condLogits(code1, s1.code.mu).shape,
        u1: d1.uncondLogits(code1) === null,
        l2: d2.condLogits(code2, s2.code.mu).shape,
        u2: d2.uncondLogits(code2)!.shape,
      };
    });
    expect(shapes).toEqual({ s1: [3, 14, 14, 1], s2: [3, 28, 28, 1], code1: [3, 4, 4, 8], code2: [3, 4, 4, 16], l1: [3, 1], u1: true, l2: [3, 1], u2: [3, 1] });
    for (const m of [g1, g2, d1, d2]) m.dispose();
  });

  it('a discriminator with textDims compresses the caption itself (its own weights), one without reads c as given', async () => {
    const tf = await testTf();
    const own = new StageDiscriminator(tf, new Rng(2), { size: 14, channels: 1, width: 4, condDim: 3, unconditional: false, textDims: 5 });
    const given = new StageDiscriminator(tf, new Rng(2), { size: 14, channels: 1, width: 4, condDim: 3, unconditional: false });
    const names = (d: StageDiscriminator) => d.namedVariables('D').map(([k]) => k);
    expect(names(own).filter((k) => k.startsWith('D.text.'))).not.toHaveLength(0);
    expect(names(given).filter((k) => k.startsWith('D.text.'))).toEqual([]);
    expect(names(own).filter((k) => !k.startsWith('D.text.'))).toEqual(names(given));
    const out = tf.tidy(() => {
      const code = own.code(tf.randomNormal([2, 14, 14, 1]) as tfNs.Tensor4D);
      const t = tf.randomNormal([2, 5]) as tfNs.Tensor2D;
      // Another caption moves the logits: the text reaches D's conditional head.
      return [values(own.condLogits(code, t)), values(own.condLogits(code, tf.neg(t) as tfNs.Tensor2D))];
    });
    expect(out[0]).toHaveLength(2);
    expect(out[0]).not.toEqual(out[1]);
    own.dispose();
    given.dispose();
  });
});
