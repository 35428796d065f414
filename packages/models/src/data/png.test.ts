import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '@gen-eval/metrics/images';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { gridPixels, sampleFileName, toBytes, writeGridPng, writeSamplePngs } from './png.js';

const tmp = mkdtempSync(join(tmpdir(), 'gen-eval-png-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('PNG output', () => {
  it('maps [−1, 1] to bytes: round((v + 1)·127.5), clipped, NaN ↦ 0', () => {
    expect([...toBytes(new Float32Array([-1, 1, 0, -2, 3, NaN, -Infinity, Infinity, 0.5]))]).toEqual([0, 255, 128, 0, 255, 0, 0, 255, 191]);
  });

  it('sample folders round-trip through the metrics decoder: grey and RGB, names in sample order', async () => {
    const rng = new Rng(1);
    const grey = rng.uniforms(3 * 28 * 28, -1, 1);
    const paths = await writeSamplePngs(join(tmp, 'grey'), grey, { height: 28, width: 28, channels: 1 });
    expect(paths.map((p) => p.slice(-10))).toEqual(['000000.png', '000001.png', '000002.png']);
    expect(readdirSync(join(tmp, 'grey'))).toEqual(['000000.png', '000001.png', '000002.png']); // no temporary files left
    for (let i = 0; i < 3; i++) {
      const { channels, depth } = await sharp(paths[i]).metadata();
      expect([channels, depth]).toEqual([1, 'uchar']);
      const img = await decodeImageFile(paths[i]!);
      const want = toBytes(grey, i * 784, 784);
      expect([img.width, img.height]).toEqual([28, 28]);
      for (let j = 0; j < 784; j++) expect(img.data.subarray(3 * j, 3 * j + 3)).toEqual(new Uint8Array([want[j]!, want[j]!, want[j]!]));
    }
    const rgb = rng.uniforms(2 * 8 * 6 * 3, -1, 1);
    const [first] = await writeSamplePngs(join(tmp, 'rgb'), rgb, { height: 8, width: 6, channels: 3 });
    const img = await decodeImageFile(first!);
    expect([img.width, img.height]).toEqual([6, 8]);
    expect(img.data).toEqual(toBytes(rgb, 0, 144));
    expect(sampleFileName(5, 2_000_000)).toBe('0000005.png');
    await expect(writeSamplePngs(join(tmp, 'x'), new Float32Array(10), { height: 2, width: 2, channels: 2 })).rejects.toThrow('PNG samples need 1 or 3 channels, got 2');
  });

  it('grids are laid out as torchvision make_grid: ⌈√n⌉ columns, 2 px padding', async () => {
    const shape = { height: 4, width: 3, channels: 1 };
    const x = new Float32Array(5 * 12);
    for (let i = 0; i < 5; i++) x.fill(i / 5, i * 12, (i + 1) * 12);
    const g = gridPixels(x, shape);
    expect(g.shape).toEqual({ height: 2 * 6 + 2, width: 3 * 5 + 2, channels: 1 });
    const W = g.shape.width;
    const at = (y: number, c: number) => g.pixels[y * W + c];
    expect(at(0, 0)).toBe(0);
    expect(at(2, 2)).toBe(toBytes(new Float32Array([0]))[0]); // image 0's top-left
    expect(at(2, 7)).toBe(toBytes(new Float32Array([0.2]))[0]); // image 1: second column
    expect(at(8, 2)).toBe(toBytes(new Float32Array([0.6]))[0]); // image 3: second row
    expect(at(8, 12)).toBe(0); // the empty sixth cell stays padding
    const path = join(tmp, 'samples', 'step-0000500.png');
    await writeGridPng(path, x, shape, { cols: 5, padding: 1 });
    const img = await decodeImageFile(path);
    expect([img.width, img.height]).toEqual([5 * 4 + 1, 6]);
  });
});
