import { describe, expect, it } from 'vitest';
import type { DataInfo } from '../family.js';
import { superResolutionPairs } from '../data/paired.js';
import type { Dataset } from '../data/datasets.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { mergeHyperParams } from '../train/hyper-params.js';
import { dataInfo } from '../train/run-data.js';
import { Rng } from '../rng.js';
import { testTf, train, type Built } from './family.test-helper.js';
import { expectImageBasics, expectImageResume, imageData } from './image-family.test-helper.js';
import { srgan } from './srgan.js';

const mnistPairs = superResolutionPairs(imageData('mnist'), 2);
const info = (d: Dataset, extra: Partial<DataInfo> = {}): DataInfo => ({ ...dataInfo(d), ...extra });
const tiny = { batchSize: 4, hidden: 4, blocks: 1, dHidden: 2 };
type Hp = Partial<ReturnType<typeof schemaDefaults<typeof srgan.hyperParams>>>;

async function buildSr(overrides: Hp, seed = 1, extra: Partial<DataInfo> = {}): Promise<Built> {
  const tf = await testTf();
  const hp = { ...schemaDefaults(srgan.hyperParams, 'images'), ...overrides };
  const model = srgan.create({ tf, hp, data: info(mnistPairs, extra), rng: Rng.stream(seed, 'init') });
  return { tf, model, data: mnistPairs, hp };
}

describe('srgan', () => {
  it('is a paired ×2 image family with the paper’s defaults', () => {
    expect(srgan.condition).toEqual({ kind: 'image', paired: true, from: ['a'], scale: 2 });
    expect(schemaDefaults(srgan.hyperParams, 'images')).toMatchObject({ adversarialWeight: 1e-3, content: 'features', lr: 1e-3, beta1: 0.9, upsampling: 'pixel-shuffle' });
  });

  for (const hp of [
    { ...tiny, content: 'features' as const },
    { ...tiny, content: 'mse' as const, upsampling: 'transposed' as const },
  ]) {
    it(`trains, upscales n × 196 to n × 784 in [−1, 1], is deterministic and leaks nothing (${hp.content})`, async () => {
      const { losses } = await expectImageBasics(srgan, hp, 5, mnistPairs);
      for (const l of losses) {
        expect(Object.keys(l).sort()).toEqual(['content_loss', 'd_loss', 'g_loss']);
        expect(l.g_loss).toBeGreaterThan(l.content_loss!);
      }
    });
  }

  it('resumes bit for bit', async () => {
    await expectImageResume(srgan, tiny, mnistPairs);
  });

  it('adversarialWeight 0 (SRResNet): D is never trained, g_loss is the content loss', async () => {
    const b = await buildSr({ ...tiny, adversarialWeight: 0, content: 'mse' });
    const snapshot = () => new Map([...b.model.variables].map(([k, v]) => [k, Array.from(v.dataSync())]));
    const start = snapshot();
    const losses = train(b, 3);
    const end = snapshot();
    b.model.dispose();
    for (const l of losses) {
      expect(Object.keys(l).sort()).toEqual(['content_loss', 'g_loss']);
      expect(l.g_loss).toBe(l.content_loss);
    }
    const changed = (prefix: string) => [...start.keys()].filter((k) => k.startsWith(prefix) && JSON.stringify(start.get(k)) !== JSON.stringify(end.get(k)));
    expect(changed('D.')).toEqual([]);
    expect(changed('G.').length).toBeGreaterThan(0);
    expect(b.model.optimizers.get('D')!.iterations).toBe(0);
  });

  it('SRResNet (pixel MSE) lowers its content loss by training', async () => {
    const b = await buildSr({ ...tiny, hidden: 8, batchSize: 8, lr: 1e-3, adversarialWeight: 0, content: 'mse' });
    const losses = train(b, 30, 3);
    b.model.dispose();
    const mean = (from: number, to: number) => losses.slice(from, to).reduce((s, l) => s + l.content_loss!, 0) / (to - from);
    expect(mean(25, 30)).toBeLessThan(0.5 * mean(0, 5));
  });

  it('sample needs n low-resolution inputs', async () => {
    const b = await buildSr(tiny);
    expect(() => b.model.sample(3, new Rng(1))).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringMatching(/srgan upscales low-resolution images/) }));
    expect(() => b.model.sample(3, new Rng(1), { input: new Float32Array(784 * 3) })).toThrow(/expected n × 196 = 588/);
    b.model.dispose();
  });

  it('refuses 2-D data, unpaired images, a wrong input size, and feature content without a classifier, in one line each', async () => {
    const tf = await testTf();
    const hp = { ...schemaDefaults(srgan.hyperParams, 'images'), ...tiny };
    const create = (data: DataInfo) => () => srgan.create({ tf, hp, data, rng: new Rng(1) });
    expect(create({ dims: 2 })).toThrow(/^srgan super-resolves images: .*2-D points have no resolution/);
    expect(create({ dims: 784, image: mnistPairs.image! })).toThrow(/needs image data .* made into \(low, high\) pairs/);
    expect(create(info(mnistPairs, { input: { dims: 784, image: mnistPairs.image! } }))).toThrow(/inputs must be 14×14×1 for 28×28×1 targets, got 28×28×1/);
    const { classifier: _none, ...folder } = info(mnistPairs);
    expect(create(folder)).toThrow(/content=features needs data an embedded classifier knows .* use --hp content=mse/);
    srgan.create({ tf, hp: { ...hp, content: 'mse' }, data: folder, rng: new Rng(1) }).dispose();
  });

  it('validates its hyper-parameters', () => {
    const merge = (hp: Record<string, string>) => () => mergeHyperParams(srgan, hp, true);
    expect(merge({ content: 'vgg' })).toThrow(/^content must be one of features, mse, got "vgg"$/);
    expect(merge({ upsampling: 'nearest' })).toThrow(/^upsampling must be one of pixel-shuffle, transposed, got "nearest"$/);
    expect(merge({ adversarialWeight: '-1' })).toThrow(/^adversarialWeight must be a number in \[0, 1\]/);
    expect(merge({ blocks: '0' })).toThrow(/^blocks must be an integer from 1 to 16/);
    expect(mergeHyperParams(srgan, { adversarialWeight: '0' }, true).adversarialWeight).toBe(0);
  });
});
