import { describe, expect, it } from 'vitest';
import type * as tfNs from '@tensorflow/tfjs';
import type { TrainableModel } from '../family.js';
import { Rng } from '../rng.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { cyclegan } from './cyclegan.js';
import { expectDeterministic, expectFiniteSamples, expectNoLeaks, meanLoss } from './family-checks.test-helper.js';
import { build, testTf, train } from './family.test-helper.js';
import { buildImage, expectImageBasics, expectImageResume } from './image-family.test-helper.js';
import { instanceNorm, PatchDiscriminator } from '../nn/translator.js';

const small = { batchSize: 64, hidden: 16 };

/** x + MLP(x) computed by hand from a model's variables `${prefix}.${layer}.W|b` (ReLU between). */
async function residualByHand(model: TrainableModel, prefix: string, x: Float32Array, n: number): Promise<Float32Array> {
  const tf = await testTf();
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [n, 2]);
    let h: tfNs.Tensor2D = input;
    for (let i = 0; i < 3; i++) {
      const W = model.variables.get(`${prefix}.${i}.W`)!;
      const b = model.variables.get(`${prefix}.${i}.b`)!;
      h = tf.add(tf.matMul(h, W as unknown as tfNs.Tensor2D), b) as tfNs.Tensor2D;
      if (i < 2) h = tf.relu(h);
    }
    return tf.add(input, h).dataSync() as Float32Array;
  });
}

describe('cyclegan', () => {
  it('needs a second domain, ring-easy-rot by default', () => {
    expect(cyclegan.condition).toMatchObject({ kind: 'image', paired: false });
    expect(schemaDefaults(cyclegan.hyperParams, 'points').dataB).toBe('ring-easy-rot');
  });

  it('G and F map n × 2 points to n × 2 finite points', async () => {
    const input = new Rng(8).normals(200);
    await expectFiniteSamples(cyclegan, small, 100, () => ({ from: 'a', input }));
    await expectFiniteSamples(cyclegan, small, 100, () => ({ from: 'b', input }));
  });

  it("sample from 'a' applies G, from 'b' applies F; without input it throws", async () => {
    const b = await build(cyclegan, small, { seed: 2 });
    train(b, 3, 2);
    const n = 7;
    const x = new Rng(3).normals(2 * n);
    const viaG = await residualByHand(b.model, 'G', x, n);
    const viaF = await residualByHand(b.model, 'F', x, n);
    const fromA = b.model.sample(n, new Rng(1), { input: x });
    const fromB = b.model.sample(n, new Rng(1), { from: 'b', input: x });
    fromA.forEach((v, i) => expect(v).toBeCloseTo(viaG[i]!, 5));
    fromB.forEach((v, i) => expect(v).toBeCloseTo(viaF[i]!, 5));
    expect(Array.from(fromA)).not.toEqual(Array.from(fromB));
    expect(() => b.model.sample(n, new Rng(1))).toThrow(/cannot draw domain A/);
    expect(() => b.model.sample(n, new Rng(1), { from: 'b' })).toThrow(/cannot draw domain B/);
    expect(() => b.model.sample(n, new Rng(1), { input: new Float32Array(3) })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    b.model.dispose();
  });

  it('is deterministic given the seed', async () => {
    await expectDeterministic(cyclegan, small);
  });

  it('leaks no tensors (training, sampling)', async () => {
    await expectNoLeaks(cyclegan, small, (b) => {
      b.model.sample(50, new Rng(1), { input: new Float32Array(100) });
    });
  });

  it('reduces the cycle-consistency loss by training', async () => {
    const b = await build(cyclegan, { batchSize: 128, hidden: 32 }, { seed: 4 });
    const losses = train(b, 60, 4);
    b.model.dispose();
    for (const l of losses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
    // From ≈ 0.3 (the random residual MLPs) to a few hundredths: F∘G and G∘F become the identity.
    expect(meanLoss(losses, 'cycle_loss', 0, 5)).toBeGreaterThan(0.1);
    expect(meanLoss(losses, 'cycle_loss', 50)).toBeLessThan(0.3 * meanLoss(losses, 'cycle_loss', 0, 5));
  });
});

describe('cyclegan on images (mnist ↔ mnist-inverted)', () => {
  const tiny = { batchSize: 4, hidden: 4 };

  it('defaults to the inverted-MNIST second domain on images', () => {
    expect(schemaDefaults(cyclegan.hyperParams, 'images').dataB).toBe('mnist-inverted');
  });

  it('trains, translates n × 784 in [−1, 1], is deterministic and leaks nothing', async () => {
    const { losses } = await expectImageBasics(cyclegan, tiny);
    for (const l of losses) expect(l.cycle_loss).toBeGreaterThan(0);
  });

  it('resumes bit for bit', async () => {
    await expectImageResume(cyclegan, tiny);
  });

  it("from 'a' applies G, from 'b' applies F; without input it throws", async () => {
    const b = await buildImage(cyclegan, tiny, 2);
    train(b, 2, 2);
    const x = b.data.heldOut!(3, new Rng(1)).x;
    const fromA = b.model.sample(3, new Rng(1), { input: x });
    const fromB = b.model.sample(3, new Rng(1), { from: 'b', input: x });
    expect(Array.from(fromA)).not.toEqual(Array.from(fromB));
    expect(() => b.model.sample(3, new Rng(1))).toThrow(/cannot draw domain A/);
    b.model.dispose();
  });

  it('instance norm: every image channel to mean 0, variance 1; PatchGAN scores a 5×5 map at 28 px', async () => {
    const tf = await testTf();
    const x = tf.tensor4d(
      new Rng(2).normals(2 * 6 * 6 * 3).map((v, i) => 3 * v + (i % 3)),
      [2, 6, 6, 3],
    );
    const y = instanceNorm(tf, x);
    const { mean, variance } = tf.moments(y, [1, 2]);
    mean.dataSync().forEach((v) => expect(v).toBeCloseTo(0, 5));
    variance.dataSync().forEach((v) => expect(v).toBeCloseTo(1, 3));
    const D = new PatchDiscriminator(tf, new Rng(1), { size: 28, channels: 1, width: 4 });
    const scores = D.apply(tf.zeros([2, 784]));
    expect(scores.shape).toEqual([2, 5, 5, 1]);
    tf.dispose([x, y, mean, variance, scores]);
    D.dispose();
  });
});
