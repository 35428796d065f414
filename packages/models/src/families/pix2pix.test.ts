import { describe, expect, it } from 'vitest';
import type * as tfNs from '@tensorflow/tfjs';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import type { Batch, HpValues } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { PatchDiscriminator } from '../nn/translator.js';
import { Rng } from '../rng.js';
import { mergeHyperParams } from '../train/hyper-params.js';
import { stepBatches } from '../train/batches.js';
import { testTf, train, type Built } from './family.test-helper.js';
import { buildImage, expectImageBasics, expectImageResume, imageData } from './image-family.test-helper.js';
import { pix2pix } from './pix2pix.js';

type Hp = HpValues<typeof pix2pix.hyperParams>;
const tiny: Partial<Hp> = { batchSize: 4, hidden: 4 };

/** MNIST paired with its inversion as the input (a deterministic image → image map to learn). */
function pairedMnist(): Dataset {
  const base = imageData('mnist');
  const pair = (b: Batch): Batch => ({ ...b, input: b.x.map((v) => -v) });
  return {
    ...base,
    name: 'mnist-pairs',
    input: { dims: base.dims, image: base.image! },
    sample: (n, rng) => pair(base.sample(n, rng)),
    heldOut: (n, rng) => pair(base.heldOut!(n, rng)),
  };
}

const buildPaired = (overrides: Partial<Hp>, seed = 1): Promise<Built> => buildImage(pix2pix, overrides, seed, pairedMnist());

const heldInputs = (b: Built, n: number) => b.data.heldOut!(n, new Rng(5)).input!;

/** Mean softplus(∓l) over logits, in float64: the cross-entropy against label 1 (sign −1) or 0. */
function bceByHand(logits: ArrayLike<number>, label: 0 | 1): number {
  let s = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = label === 1 ? -logits[i]! : logits[i]!;
    s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return s / logits.length;
}

describe('pix2pix', () => {
  it('is a paired image translation from edges2fashion, with the paper’s λ = 100 and a 16-px PatchGAN', () => {
    expect(pix2pix.condition).toEqual({ kind: 'image', paired: true, from: ['a'] });
    expect(pix2pix.defaultData).toBe('edges2fashion');
    const d = schemaDefaults(pix2pix.hyperParams, 'images');
    expect(d).toMatchObject({ lambdaL1: 100, lambdaGan: 1, dropout: 0.1, patchLayers: 1, lr: 1e-3, beta1: 0.5, hidden: 32 });
    expect(Object.keys(pix2pix.metrics).sort()).toEqual(['d_loss', 'g_loss', 'l1_loss']);
  });

  it('refuses 2-D points and unpaired images with one line', async () => {
    const tf = await testTf();
    const hp = schemaDefaults(pix2pix.hyperParams, 'images');
    const mnist = imageData('mnist');
    expectGenEvalError((): void => void pix2pix.create({ tf, hp, data: { dims: 2 }, rng: new Rng(1) }), {
      code: 'usage',
      message: /^pix2pix translates images paired .*this data is 2-D points$/,
    });
    expectGenEvalError((): void => void pix2pix.create({ tf, hp, data: { dims: mnist.dims, image: mnist.image! }, rng: new Rng(1) }), {
      code: 'usage',
      message: /this data is unpaired images$/,
    });
  });

  it('trains, translates n × 784 in [−1, 1], is deterministic in the seed and leaks no tensors', async () => {
    const { losses } = await expectImageBasics(pix2pix, tiny, 5, pairedMnist());
    for (const l of losses) expect(Object.keys(l).sort()).toEqual(['d_loss', 'g_loss', 'l1_loss']);
  });

  it('dropout is the sampling noise: another Rng gives other outputs, dropout 0 the same ones; without input it throws', async () => {
    for (const [dropout, same] of [
      [0.5, false],
      [0, true],
    ] as const) {
      const b = await buildPaired({ ...tiny, dropout }, 2);
      const input = heldInputs(b, 3);
      const [s1, s1again, s2] = [1, 1, 2].map((k) => Array.from(b.model.sample(3, new Rng(k), { input })));
      expect(s1again).toEqual(s1);
      if (same) expect(s2).toEqual(s1);
      else expect(s2).not.toEqual(s1);
      expectGenEvalError(() => b.model.sample(3, new Rng(1)), { code: 'usage', message: /^pix2pix translates input images and cannot draw targets itself/ });
      expectGenEvalError(() => b.model.sample(3, new Rng(1), { input: new Float32Array(7) }), { code: 'usage', message: /input holds 7 values, expected n × 784 = 2352/ });
      b.model.dispose();
    }
  });

  it('resumes bit for bit from its saved state', async () => {
    await expectImageResume(pix2pix, tiny, pairedMnist());
  });

  it('losses by hand: d_loss = ½[BCE(D(x, y), 1) + BCE(D(x, ŷ), 0)], g_loss = λ_GAN·BCE(D′(x, ŷ), 1) + λ_L1·mean|ŷ − y|', async () => {
    const hp = { ...tiny, batchSize: 2, dropout: 0, lambdaGan: 0.7, lambdaL1: 3 };
    const b = await buildPaired(hp, 3);
    const { tf, model } = b;
    const batch = stepBatches(b.data, undefined, 2, 9, 1)();
    // D's logits with the model's current D weights, on a copy of the network.
    const D = new PatchDiscriminator(tf, new Rng(0), { size: 28, channels: 2, width: 4, layers: 1 });
    const logits = (x: Float32Array, y: Float32Array): Float32Array => {
      for (const [name, v] of D.namedVariables('D')) v.assign(model.variables.get(name)!);
      return tf.tidy(() => {
        const pair = tf.concat([tf.tensor4d(x, [2, 28, 28, 1]), tf.tensor4d(y, [2, 28, 28, 1])], 3) as tfNs.Tensor4D;
        return D.applyImages(pair).dataSync() as Float32Array;
      });
    };
    const fake = model.sample(2, new Rng(1), { input: batch.input! }); // dropout 0: G(x), before the step
    const dByHand = 0.5 * (bceByHand(logits(batch.input!, batch.x), 1) + bceByHand(logits(batch.input!, fake), 0));
    const losses = model.step(() => batch, new Rng(4));
    // G's loss is taken after D's update, on the ŷ of G before its own.
    const l1ByHand = fake.reduce((s, v, i) => s + Math.abs(v - batch.x[i]!), 0) / fake.length;
    const gByHand = 0.7 * bceByHand(logits(batch.input!, fake), 1) + 3 * l1ByHand;
    expect(losses.d_loss).toBeCloseTo(dByHand, 5);
    expect(losses.l1_loss).toBeCloseTo(l1ByHand, 5);
    expect(losses.g_loss).toBeCloseTo(gByHand, 4);
    D.dispose();
    model.dispose();
  });

  it('lambdaGan = 0 (L1 only): D is neither trained nor reported, g_loss = λ_L1 · l1_loss, G still learns', async () => {
    const b = await buildPaired({ ...tiny, lambdaGan: 0 }, 4);
    const dBefore = [...b.model.variables].filter(([n]) => n.startsWith('D.')).map(([, v]) => Array.from(v.dataSync()));
    const gBefore = Array.from(b.model.variables.get('G.up1.W')!.dataSync());
    const losses = train(b, 3, 4);
    for (const l of losses) {
      expect(Object.keys(l).sort()).toEqual(['g_loss', 'l1_loss']);
      expect(l.g_loss).toBeCloseTo(100 * l.l1_loss!, 3);
    }
    const dAfter = [...b.model.variables].filter(([n]) => n.startsWith('D.')).map(([, v]) => Array.from(v.dataSync()));
    expect(dAfter).toEqual(dBefore);
    expect(b.model.optimizers.get('D')!.iterations).toBe(0);
    expect(Array.from(b.model.variables.get('G.up1.W')!.dataSync())).not.toEqual(gBefore);
    b.model.dispose();
  });

  it('checks its hyper-parameters: one-line range errors naming the parameter', () => {
    const bad: [string, number, RegExp][] = [
      ['lambdaL1', -1, /lambdaL1/],
      ['lambdaGan', 1001, /lambdaGan/],
      ['dropout', 1, /dropout/],
      ['patchLayers', 4, /patchLayers/],
      ['hidden', 257, /hidden/],
    ];
    for (const [name, value, re] of bad) expectGenEvalError(() => mergeHyperParams(pix2pix, { [name]: value }, true), { code: 'usage', message: re });
    expect(mergeHyperParams(pix2pix, { lambdaGan: 0, patchLayers: 2 }, true)).toMatchObject({ lambdaGan: 0, patchLayers: 2, lambdaL1: 100 });
  });
});
