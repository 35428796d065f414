import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../io/npy.js';
import { encodeModel } from '../../onnx/proto.js';
import { expectClose } from '../../testing/expect.js';
import { loadOrt } from '../ort.js';
import { createSession } from '../session.js';
import { buildClipImageModel } from './image-graph.js';
import { readClipWeights } from './weights.js';

const GOLDEN = new URL('../../../../../fixtures/golden/clip/', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(`${GOLDEN}reference.json`, 'utf8')) as { embeddings: number[][] };

describe('CLIP image tower graph (golden: openai/CLIP model.py encode_image on seeded fp16 weights)', () => {
  for (const file of ['clip-tiny.pt', 'clip-tiny.safetensors']) {
    it(`gives the reference's normalised embeddings from ${file}`, async () => {
      const weights = readClipWeights(`${GOLDEN}${file}`);
      const session = await createSession(encodeModel(buildClipImageModel(weights)), file);
      const images = parseNpy(readFileSync(`${GOLDEN}images.npy`), 'images.npy');
      const { Tensor } = await loadOrt();
      const out = await session.run({ images: new Tensor('float32', Float32Array.from(images.data as ArrayLike<number>), images.shape as number[]) });
      await session.release();
      const features = out.features!.data as Float32Array;
      expect(out.features!.dims).toEqual([3, 64]);
      expectClose(features, reference.embeddings.flat(), { rel: 1e-4, relTo: 'max' });
    }, 20_000);
  }
});
