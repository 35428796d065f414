import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../registry.js';
import { encodeLegacyPth } from '../torch/pth-writer.js';
import { DINOV2_ARCHS } from './architecture.js';
import { syntheticDinov2StateDict } from './synthetic.js';

const tmp = mkdtempSync(join(tmpdir(), 'dinov2-extractor-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const weights = join(tmp, 'vits14.pth');
writeFileSync(weights, encodeLegacyPth(syntheticDinov2StateDict(DINOV2_ARCHS.vits14, 1, 5)));

describe('dinov2 extractor', () => {
  it('runs 224×224 [0, 1] images, caches the built network and reuses it', async () => {
    const cache = join(tmp, 'cache');
    const images = new Float32Array(2 * 3 * 224 * 224).map((_, i) => (i % 97) / 97);
    const a = await createExtractor('dinov2:vits14', { weights, modelCache: cache });
    expect(a.name).toMatch(/^dinov2@[0-9a-f]{8}:vits14$/);
    expect([a.input.height, a.input.range, a.outputs.features]).toEqual([224, [0, 1], 384]);
    const fa = (await a.run(images, 2)).features;
    await a.dispose();
    expect(readdirSync(join(cache, 'models')).filter((f) => f.endsWith('.onnx'))).toHaveLength(1);
    const b = await createExtractor('dinov2:vits14', { weights, modelCache: cache, lazy: true });
    const fb = (await b.run(images, 2)).features;
    await b.dispose();
    expect(fb).toEqual(fa);
    expect(fa.every(Number.isFinite)).toBe(true);
  }, 20_000);

  it('names the problem in one line', async () => {
    await expect(createExtractor('dinov2:vitx14', { weights })).rejects.toThrow('unknown DINOv2 size "vitx14"; choose one of: vits14, vitb14, vitl14, vitg14');
    await expect(createExtractor('dinov2:vitg14', { weights })).rejects.toThrow(/dinov2:vitg14 is not supported yet: .* 2 GB ONNX protobuf limit/);
    await expect(createExtractor('dinov2')).rejects.toThrow(/needs its weights: a local dinov2_vitl14_pretrain.pth/);
    await expect(createExtractor('dinov2', { weights })).rejects.toThrow(/holds DINOv2 vits14 weights .* expected vitl14/);
    await expect(createExtractor('dinov2:vits14', { weights: join(tmp, 'none.pth') })).rejects.toThrow(/none\.pth: no such weights file/);
    expect(existsSync(join(tmp, 'models'))).toBe(false);
  });
});
