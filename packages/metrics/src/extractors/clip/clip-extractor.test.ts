import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../io/npy.js';
import { expectClose, expectGenEvalError, tempDir } from '../../testing/expect.js';
import { createExtractor } from '../registry.js';
import { CLIP_MODELS, clipUrlSha256 } from './clip-extractor.js';

const GOLDEN = new URL('../../../../../fixtures/golden/clip/', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(`${GOLDEN}reference.json`, 'utf8')) as { embeddings: number[][] };

describe('clip extractor', () => {
  it('embeds [0,1] images like encode_image from --weights, through the registry, with the model cached', async () => {
    const cache = tempDir('gen-eval-clip-');
    const images = parseNpy(readFileSync(`${GOLDEN}images.npy`), 'images.npy');
    for (let round = 0; round < 2; round++) {
      const ex = await createExtractor('clip:ViT-B/32', { weights: `${GOLDEN}clip-tiny.pt`, modelCache: cache });
      expect([ex.input.height, ex.input.width, ex.outputs.features]).toEqual([32, 32, 64]);
      expect(ex.name).toMatch(/^clip@[0-9a-f]{8}:ViT-B\/32$/);
      const out = await ex.run(Float32Array.from(images.data as ArrayLike<number>), 3);
      expectClose(out.features, reference.embeddings.flat(), { rel: 1e-4, relTo: 'max' });
      await ex.dispose();
    }
  }, 30_000);

  it('knows openai/CLIP’s URLs and their SHA-256, and refuses ResNets, unknown models and missing weights in one line', async () => {
    expect(clipUrlSha256(CLIP_MODELS['ViT-L/14@336px']!)).toBe('3035c92b350959924f9f00213499208652fc7ea050643e8b385c2dac08641f02');
    await expectGenEvalError(createExtractor('clip:RN50', {}), { message: /ResNet CLIPs are not supported/ });
    await expectGenEvalError(createExtractor('clip:ViT-H/14', {}), { message: /unknown CLIP model/ });
    const cache = tempDir('gen-eval-clip-');
    await expectGenEvalError(createExtractor('clip', { modelCache: cache }), { message: /ViT-L-14-336px\.pt.*--weights PATH/ });
  });
});
