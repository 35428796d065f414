import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../io/npy.js';
import { checkImageArray, imageArrayBatch } from './image-array.js';
import { ExtractorSession, loadInput } from './load-input.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-image-array-'));
const session = new ExtractorSession({ extractor: 'mnist', cache: false, quiet: true, threads: 1, workers: 0 });
afterAll(async () => {
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const HW = 28 * 28;
const N = 12;
// deterministic "images": a bright blob moving around, on a noisy background
const bytes = Uint8Array.from({ length: N * HW }, (_, k) => {
  const i = Math.floor(k / HW);
  const p = k % HW;
  const [y, x] = [Math.floor(p / 28), p % 28];
  const d = (y - 6 - i) ** 2 + (x - 20 + i) ** 2;
  return d < 30 ? 255 - 3 * d : (k * 7919) % 40;
});

describe('.npy image arrays (N×H×W, N×H×W×C)', () => {
  it('give the same features as a folder of the same images', async () => {
    const folder = join(dir, 'pgm');
    mkdirSync(folder);
    for (let i = 0; i < N; i++)
      writeFileSync(join(folder, `${String(i).padStart(2, '0')}.pgm`), Buffer.concat([Buffer.from('P5\n28 28\n255\n'), bytes.subarray(i * HW, (i + 1) * HW)]));
    const files = {
      u8: encodeNpy(bytes, [N, 28, 28]),
      u8c1: encodeNpy(bytes, [N, 28, 28, 1]),
      f32: encodeNpy(
        Float32Array.from(bytes, (v) => v / 255),
        [N, 28, 28],
      ),
      rgb: encodeNpy(
        Uint8Array.from({ length: N * HW * 3 }, (_, k) => bytes[Math.floor(k / 3)]!),
        [N, 28, 28, 3],
      ),
    };
    const ref = await loadInput(folder, session);
    expect(ref.kind).toBe('images');
    if (ref.kind !== 'images') return;
    for (const [name, b] of Object.entries(files)) {
      const path = join(dir, `${name}.npy`);
      writeFileSync(path, b);
      const got = await loadInput(path, session);
      expect(got.kind, name).toBe('images');
      if (got.kind !== 'images') continue;
      expect(got.set.n).toBe(N);
      expect(Array.from(got.set.features.data), name).toEqual(Array.from(ref.set.features.data));
      expect(Array.from(got.set.logits!.data), name).toEqual(Array.from(ref.set.logits!.data));
      expect(Array.from(got.set.stats.mu), name).toEqual(Array.from(ref.set.stats.mu));
    }
  });

  it("resizes other sizes to the extractor's (torch bilinear) and keeps 2-D arrays as features", async () => {
    const big = Uint8Array.from({ length: 2 * 56 * 56 }, (_, k) => bytes[Math.floor(k / 4) % bytes.length]!);
    const a = checkImageArray({ dtype: '|u1', shape: [2, 56, 56], data: big }, 'x.npy');
    const batch = imageArrayBatch(a, 'x.npy', 28);
    expect(batch.length).toBe(2 * 3 * HW);
    // 2× downscale with align_corners=False samples between pixel pairs: the mean of a 2×2 block
    expect(batch[0]).toBeCloseTo((big[0]! + big[1]! + big[56]! + big[57]!) / 4 / 255, 6);
    const feats = join(dir, 'feats.npy');
    writeFileSync(feats, encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]));
    expect((await loadInput(feats, session)).kind).toBe('features');
  });

  it('refuses floats outside [0, 1], other dtypes and channel counts, naming the file', () => {
    const f = (shape: number[], data: Float32Array | Uint8Array | Int32Array, dtype: string) => () =>
      imageArrayBatch(checkImageArray({ dtype: dtype as never, shape, data }, 'bad.npy'), 'bad.npy', 28);
    expect(f([1, 28, 28], new Float32Array(HW).fill(1.5), '<f4')).toThrow(/^bad\.npy: image 0 has value 1\.5 at pixel 0; float images must lie in \[0, 1\]/);
    expect(f([1, 28, 28], new Int32Array(HW), '<i4')).toThrow(/bad\.npy: images must be uint8/);
    expect(f([1, 28, 28, 4], new Uint8Array(4 * HW), '|u1')).toThrow(/bad\.npy: expected images N×H×W or N×H×W×C/);
  });
});
