import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../onnx/proto.js';
import { RandomState } from '../../random.js';
import { expectClose } from '../../testing/expect.js';
import { createSession } from '../session.js';
import { encodeLegacyPth } from '../torch/pth-writer.js';
import { loadOrt } from '../ort.js';
import { DINOV2_ARCHS, dinov2Keys, type Dinov2Size } from './architecture.js';
import { buildDinov2Model } from './graph.js';
import { syntheticDinov2StateDict } from './synthetic.js';
import { readDinov2Weights } from './weights.js';

interface Variant {
  name: Dinov2Size;
  depth: number;
  seed: number;
  size: number;
  count: number;
  keys: [string, number[]][];
  features: number[];
}

const GOLDEN = fileURLToPath(new URL('../../../../../fixtures/golden/dinov2/dinov2.json', import.meta.url));
const variants = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { variants: Variant[] }).variants;
const tmp = mkdtempSync(join(tmpdir(), 'dinov2-golden-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('DINOv2 graph (golden: the official dinov2 code on seeded weights)', () => {
  it('knows the official keys and shapes of every size', () => {
    for (const v of variants) expect(dinov2Keys(DINOV2_ARCHS[v.name], v.depth).map((k) => [k.key, k.shape])).toEqual(v.keys);
  });

  // ViT-B and ViT-L only differ from ViT-S in widths (their keys are checked above); running them too
  // would double the test's time. ViT-g covers the SwiGLU path.
  for (const v of variants.filter((x) => x.name === 'vits14' || x.name === 'vitg14')) {
    it(`${v.name}, ${v.depth} block(s), ${v.size}×${v.size}`, async () => {
      const arch = DINOV2_ARCHS[v.name];
      const file = join(tmp, `${v.name}.pth`);
      writeFileSync(file, encodeLegacyPth(syntheticDinov2StateDict(arch, v.depth, v.seed)));
      const weights = readDinov2Weights(file, v.name);
      expect([weights.arch.size, weights.depth]).toEqual([v.name, v.depth]);
      const session = await createSession(encodeModel(buildDinov2Model(weights, v.size)), v.name);
      const rs = new RandomState(v.seed + 100);
      const images = Float32Array.from({ length: v.count * 3 * v.size * v.size }, () => rs.random());
      const { Tensor } = await loadOrt();
      const out = await session.run({ images: new Tensor('float32', images, [v.count, 3, v.size, v.size]) });
      await session.release();
      expectClose(out.features!.data as Float32Array, v.features, { rel: 1e-4, relTo: 'max' });
    }, 20_000);
  }
});
