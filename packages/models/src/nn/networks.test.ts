import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import { testTf } from '../families/family.test-helper.js';
import { Rng } from '../rng.js';
import { Mlp } from './mlp.js';
import { buildDiscriminator, buildGenerator, type Discriminator, type NetworkSpec } from './networks.js';

const image = { height: 28, width: 28, channels: 1 };

async function spec(withImage: boolean, seed = 1): Promise<NetworkSpec> {
  const tf = await testTf();
  return { tf, rng: new Rng(seed), dims: withImage ? 784 : 2, hidden: 8, ...(withImage ? { image } : {}) };
}

const values = (v: { dataSync(): ArrayLike<number> }) => Array.from(v.dataSync());

describe('networks: one interface for the MLPs (2-D) and the DCGAN conv networks (images)', () => {
  it('2-D: the generator is the plain MLP, the same draws and the same outputs', async () => {
    const s = await spec(false);
    const tf = s.tf;
    const G = buildGenerator(s, { latentDim: 4, condDim: 3 });
    const ref = new Mlp(tf, new Rng(1), [7, 8, 8, 2]);
    expect(G.namedVariables('G').map(([n]) => n)).toEqual(ref.namedVariables('G').map(([n]) => n));
    const z = tf.tensor2d(new Rng(2).normals(20), [5, 4]);
    const c = tf.tensor2d(new Rng(3).normals(15), [5, 3]);
    expect(values(G.apply(z, { cond: c }))).toEqual(values(ref.apply(tf.concat([z, c], 1))));
    expect(G.outDim).toBe(2);
  });

  it('images: the generator returns NHWC-flattened rows in [−1, 1]; sampling mode changes no state', async () => {
    const s = await spec(true);
    const tf = s.tf;
    const G = buildGenerator(s, { latentDim: 4 });
    const z = tf.tensor2d(new Rng(2).normals(12), [3, 4]);
    const before = G.namedVariables('G').map(([, v]) => values(v));
    const y = G.apply(z, { training: false });
    expect(y.shape).toEqual([3, 784]);
    expect(values(y).every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(G.namedVariables('G').map(([, v]) => values(v))).toEqual(before);
    G.apply(z, { training: true });
    // Training mode updates batch norm's running averages.
    expect(G.namedVariables('G').map(([, v]) => values(v))).not.toEqual(before);
    G.dispose();
  });

  it('images: the discriminator takes rows and a condition as constant maps', async () => {
    const s = await spec(true);
    const tf = s.tf;
    const D = buildDiscriminator(s, { condDim: 10, norm: 'batch' });
    const x = tf.tensor2d(new Rng(2).uniforms(4 * 784, -1, 1), [4, 784]);
    const y0 = tf.oneHot(tf.tensor1d([0, 0, 0, 0], 'int32'), 10).toFloat() as never;
    const y1 = tf.oneHot(tf.tensor1d([1, 1, 1, 1], 'int32'), 10).toFloat() as never;
    const a = D.apply(x, { cond: y0, training: false });
    expect(a.shape).toEqual([4, 1]);
    expect(values(a)).not.toEqual(values(D.apply(x, { cond: y1, training: false })));
    // features then head is apply.
    expect(values(D.head(D.features(x, { cond: y0, training: false }), { training: false }))).toEqual(values(a));
    D.dispose();
  });

  for (const withImage of [false, true]) {
    it(`${withImage ? 'images' : '2-D'}: a spectral critic advances its power iteration once for all the batches it sees`, async () => {
      const s = await spec(withImage);
      const tf = s.tf;
      const D: Discriminator = buildDiscriminator(s, { norm: 'spectral' });
      const vs = D.namedVariables('D').filter(([n]) => n.endsWith('.sn.v'));
      expect(vs.length).toBe(3);
      const x = tf.tensor2d(new Rng(4).uniforms(2 * s.dims, -1, 1), [2, s.dims]);
      const v0 = vs.map(([, v]) => values(v));
      const critic = D.critic(true);
      const first = critic(x);
      const v1 = vs.map(([, v]) => values(v));
      expect(v1).not.toEqual(v0);
      // A second batch through the same critic: the same W/σ, no further step.
      expect(values(critic(x))).toEqual(values(first));
      expect(vs.map(([, v]) => values(v))).toEqual(v1);
      // Evaluation mode never steps.
      D.critic(false)(x);
      expect(vs.map(([, v]) => values(v))).toEqual(v1);
      D.dispose();
    });
  }

  it('2-D has no batch norm; images refuse several power-iteration steps', async () => {
    const s2 = await spec(false);
    expectGenEvalError(() => buildDiscriminator(s2, { norm: 'batch' }), { code: 'internal', message: /no batch norm/ });
    const si = await spec(true);
    expect(() => buildDiscriminator(si, { norm: 'spectral', powerIterations: 2 })).toThrow(/power-iteration/);
  });
});
