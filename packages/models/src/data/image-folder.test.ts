import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '@gen-eval/metrics';
import { imageFilesSha256 } from '@gen-eval/metrics/extract';
import { decodeImageFile, listImages } from '@gen-eval/metrics/images';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { loadDataset, resolveDataset } from './datasets.js';
import { countImageSizes, loadImageFolder } from './image-folder.js';

const minOf = (a: Float32Array) => a.reduce((m, v) => Math.min(m, v), Infinity);
const maxOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const E2E = join(FIXTURES, 'e2e-images');
const golden = (name: string) => parseNpy(readFileSync(join(FIXTURES, 'golden/image-folder', name)), name);
const tmp = mkdtempSync(join(tmpdir(), 'gen-eval-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('image folders', () => {
  it('decodes and resizes every image as Pillow does (fixtures/scripts/gen_image_folder.py), RGB and L', async () => {
    const rgb = await loadImageFolder(E2E, { imageSize: 32 });
    const g = golden('e2e-32-rgb.npy');
    expect(g.shape).toEqual([12, 32, 32, 3]);
    expect([rgb.set.n, rgb.set.height, rgb.set.channels]).toEqual([12, 32, 3]);
    expect(Buffer.from(rgb.set.pixels).equals(Buffer.from(g.data as Uint8Array))).toBe(true);
    const grey = await loadImageFolder(E2E, { imageSize: 28, channels: 1 });
    expect(Buffer.from(grey.set.pixels).equals(Buffer.from(golden('e2e-28-grey.npy').data as Uint8Array))).toBe(true);
    // Labels from the subfolders a/ and b/; a note says which images were resized.
    expect(rgb.classNames).toEqual(['a', 'b']);
    expect([...rgb.set.labels!]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(rgb.notes).toEqual([
      `${E2E}: 12 of 12 images are not 32×32 (120×48, 128×128, 160×120, 200×150, 299×299, …); resized to 32×32 with Pillow bicubic, aspect ratio not kept`,
    ]);
  });

  it('as a data set: [−1, 1] NHWC samples, default size from the first image, record for resuming', async () => {
    const d = await loadDataset(E2E);
    expect(d.image).toEqual({ height: 64, width: 64, channels: 3 }); // a/a0-rgb-64.png is 64×64
    // eslint-disable-next-line @typescript-eslint/unbound-method -- asserts the method is absent
    expect([d.classes, d.trainSize, d.heldOut]).toEqual([2, 12, undefined]);
    expect(d.record).toMatchObject({ name: E2E, imageSize: 64, channels: 3 });
    // The metric commands' fingerprint of the folder (a result's inputs[].sha256): a run and a result compare.
    expect(d.record!.sha256).toBe(await imageFilesSha256((await listImages(E2E)).files));
    expect(d.notes?.[0]).toMatch(/11 of 12 images are not 64×64/);
    const b = d.sample(20, new Rng(1));
    expect(b.x.length).toBe(20 * 64 * 64 * 3);
    expect(minOf(b.x)).toBeGreaterThanOrEqual(-1);
    expect(maxOf(b.x)).toBeLessThanOrEqual(1);
    expect(d.sample(20, new Rng(1))).toEqual(b);
    // Same options, same data; a changed file changes the hash.
    const again = await loadDataset(E2E, d.record);
    expect(again.record).toEqual(d.record);
    expect(() => resolveDataset(E2E)).toThrow(`${E2E}: is an image folder: it loads asynchronously (loadDataset)`);
  });

  it('a grey folder gets 1 channel; an edited image changes the hash', async () => {
    const dir = join(tmp, 'grey');
    mkdirSync(dir);
    copyFileSync(join(E2E, 'b/b2-grey-72.png'), join(dir, 'x.png'));
    const a = await loadDataset(dir, { imageSize: 28 });
    expect([a.image?.channels, a.classes]).toEqual([1, undefined]);
    writeFileSync(join(dir, 'x.png'), readFileSync(join(E2E, 'a/a0-rgb-64.png')));
    const b = await loadDataset(dir, { imageSize: 28, channels: 1 });
    expect(b.record!.sha256).not.toBe(a.record!.sha256);
  });

  it('refuses, in one line, folders too big for memory, empty folders and undecodable images', async () => {
    await expect(loadImageFolder(E2E, { imageSize: 64, maxBytes: 100_000 })).rejects.toThrow(
      `${E2E}: 12 images at 64×64×3 need 0.141 MiB in memory, above the limit of 0.095 MiB; train on a subset`,
    );
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await expect(loadDataset(empty)).rejects.toThrow(`${empty}: empty folder (no files found)`);
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'x.png'), 'not a png');
    await expect(loadDataset(bad, { imageSize: 32 })).rejects.toThrow(new RegExp(`^${join(bad, 'x.png')}: cannot decode image`));
    await expect(loadDataset(E2E, { imageSize: 30 })).rejects.toThrow('`imageSize` must be 28, 32 or 64, got "30"');
  });

  it('countImageSizes: each size from the header (PNG, JPEG) as decoding gives it; undecodable files left out', async () => {
    const files = (await listImages(E2E)).files.map((f) => f.path);
    const want = new Map<string, number>();
    for (const f of files) {
      const img = await decodeImageFile(f);
      want.set(`${img.width}×${img.height}`, (want.get(`${img.width}×${img.height}`) ?? 0) + 1);
    }
    const bad = join(tmp, 'not-an-image.png');
    writeFileSync(bad, 'plain text');
    expect(await countImageSizes([...files, bad])).toEqual(want);
    expect(want.get('40×90')).toBe(1); // a3-tall-40x90.png: width first
  });
});
