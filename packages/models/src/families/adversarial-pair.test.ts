import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { testTf } from './family.test-helper.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { adam } from './model-state.js';
import { adversarialPair } from './adversarial-pair.js';
import { GAN_HYPER_PARAMS } from './shared-hyper-params.js';

const hp = { ...schemaDefaults(GAN_HYPER_PARAMS, 'points'), hidden: 8, latentDim: 3 };
const image = { height: 28, width: 28, channels: 1 };

describe('adversarialPair', () => {
  it('names G’s variables before D’s, and the optimisers D then G (the checkpoint order)', async () => {
    const tf = await testTf();
    const pair = adversarialPair({ tf, hp, data: { dims: 2 }, rng: new Rng(1) }, { gCondDim: 4, D: { condDim: 4, norm: 'none' }, optimizer: () => adam(tf, hp) });
    const names = [...pair.model.variables.keys()];
    expect(names).toEqual(['G.0.W', 'G.0.b', 'G.1.W', 'G.1.b', 'G.2.W', 'G.2.b', 'D.0.W', 'D.0.b', 'D.1.W', 'D.1.b', 'D.2.W', 'D.2.b']);
    expect(pair.model.variables.get('G.0.W')!.shape).toEqual([3 + 4, 8]);
    expect(pair.model.variables.get('D.0.W')!.shape).toEqual([2 + 4, 8]);
    expect([...pair.model.optimizers.entries()]).toEqual([
      ['D', pair.optD],
      ['G', pair.optG],
    ]);
    pair.model.dispose();
  });

  it('draws G’s weights first from the model’s Rng, and samples n × dims', async () => {
    const tf = await testTf();
    const pair = adversarialPair({ tf, hp, data: { dims: 2 }, rng: new Rng(1) }, { D: { norm: 'none' }, optimizer: () => adam(tf, hp) });
    const g = new Rng(1).uniforms(3 * 8, -1 / Math.sqrt(3), 1 / Math.sqrt(3));
    expect(Array.from(pair.G.trainable()[0]!.dataSync())).toEqual(Array.from(g));
    expect(pair.model.sample(5, new Rng(2))).toHaveLength(10);
    pair.model.dispose();
  });

  it('refuses batch norm on 2-D data (the MLP has none) instead of silently leaving it out', async () => {
    const tf = await testTf();
    expectGenEvalError(() => adversarialPair({ tf, hp, data: { dims: 2 }, rng: new Rng(1) }, { D: { norm: 'batch' }, optimizer: () => adam(tf, hp) }), {
      code: 'internal',
      message: /no batch norm/,
    });
    const pair = adversarialPair({ tf, hp, data: { dims: 784, image }, rng: new Rng(1) }, { D: { norm: 'batch' }, optimizer: () => adam(tf, hp) });
    expect([...pair.model.variables.keys()].some((k) => k.startsWith('D.') && k.includes('bn'))).toBe(true);
    pair.model.dispose();
  });
});
