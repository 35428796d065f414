import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { dataRecord, listDatasets, loadDataset, resolveDataset } from './datasets.js';
import { edgeMap, edgeSet } from './edges.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { subset, type ImageSet } from './image-set.js';
import { loadMnist, mnistSplit } from './mnist.js';
import { loadFolderPairs, superResolutionPairs, writeDownsampled } from './paired.js';
import { encodePng } from './png.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/golden/', import.meta.url));
const npy = (path: string) => parseNpy(readFileSync(join(FIXTURES, path)), path);
const tmp = mkdtempSync(join(tmpdir(), 'gen-eval-pairs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Bytes of image i of an NHWC batch in [−1, 1] (exact for unresized byte images). */
const bytesOf = (x: Float32Array, i: number, dims: number) => Uint8Array.from(x.subarray(i * dims, (i + 1) * dims), (v) => Math.round((v + 1) * 127.5));
const edgesOf = (img: Uint8Array) => {
  const out = new Uint8Array(784);
  edgeMap(img, 0, 28, 28, out);
  return out;
};

describe('edge maps', () => {
  it('equal scikit-image: sobel(image) > 0.19, bit for bit, on Fashion-MNIST and MNIST (fixtures/scripts/gen_edges.py)', () => {
    const spec = JSON.parse(readFileSync(join(FIXTURES, 'edges/edges.json'), 'utf8')) as { threshold: number; sets: Record<string, { indices: number[] }> };
    expect(spec.threshold).toBe(0.19);
    const sources: Record<string, ImageSet> = { 'fashion-mnist': loadFashionMnist('test'), mnist: loadMnist() };
    for (const [name, { indices }] of Object.entries(spec.sets)) {
      const images = npy(`edges/${name}-images.npy`).data as Uint8Array;
      const golden = npy(`edges/${name}-edges.npy`).data as Uint8Array;
      const set = sources[name]!;
      const edges = edgeSet(set);
      indices.forEach((j, k) => {
        // The golden's images are the ones this package reads.
        expect(Buffer.from(set.pixels.subarray(j * 784, (j + 1) * 784)).equals(Buffer.from(images.subarray(k * 784, (k + 1) * 784))), `${name} ${j}`).toBe(true);
        edges.ensure(j);
        expect(Buffer.from(edges.set.pixels.subarray(j * 784, (j + 1) * 784)).equals(Buffer.from(golden.subarray(k * 784, (k + 1) * 784))), `${name} ${j}`).toBe(true);
      });
    }
  });

  it('are binary; a flat image has none, a step has a 2-px line (reflected borders add none)', () => {
    const flat = new Uint8Array(784).fill(200);
    expect(edgesOf(flat).every((v) => v === 0)).toBe(true);
    const step = Uint8Array.from({ length: 784 }, (_, i) => (i % 28 < 14 ? 0 : 255));
    const e = edgesOf(step);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) expect(e[y * 28 + x], `${y},${x}`).toBe(x === 13 || x === 14 ? 255 : 0);
    // A faint step (magnitude 20/255/√2 ≈ 0.055) is below the threshold.
    expect(edgesOf(Uint8Array.from(step, (v) => (v ? 20 : 0))).every((v) => v === 0)).toBe(true);
  });
});

describe('edges2fashion, edges2shoes, edges2digits', () => {
  it('pair each image (x) with its edge map (input); labels kept; training from train, held out from test', () => {
    const d = resolveDataset('edges2fashion');
    expect([d.dims, d.image, d.input, d.classes, d.trainSize, d.heldOutSize]).toEqual([
      784,
      { height: 28, width: 28, channels: 1 },
      { dims: 784, image: { height: 28, width: 28, channels: 1 } },
      10,
      60_000,
      10_000,
    ]);
    const base = resolveDataset('fashion-mnist');
    const b = d.sample(6, new Rng(3));
    // The same images as fashion-mnist draws from the same stream, each with its edge map.
    expect(b.x).toEqual(base.sample(6, new Rng(3)).x);
    expect(b.labels).toEqual(base.sample(6, new Rng(3)).labels);
    for (let i = 0; i < 6; i++) expect(bytesOf(b.input!, i, 784)).toEqual(edgesOf(bytesOf(b.x, i, 784)));
    const test = loadFashionMnist('test');
    const h = d.heldOut!(4, new Rng(4));
    expect(h.x).toEqual(base.heldOut!(4, new Rng(4)).x);
    const testKeys = new Set(Array.from({ length: test.n }, (_, j) => Buffer.from(test.pixels.subarray(j * 784, (j + 1) * 784)).toString('base64')));
    for (let i = 0; i < 4; i++) {
      expect(testKeys.has(Buffer.from(bytesOf(h.x, i, 784)).toString('base64'))).toBe(true);
      expect(bytesOf(h.input!, i, 784)).toEqual(edgesOf(bytesOf(h.x, i, 784)));
    }
    expect(d.record).toEqual({ name: 'edges2fashion', imageSize: 28 });
    expect(resolveDataset('edges2fashion', { imageSize: 32, dataDir: '/usr/share/datasets/fashion-mnist' }).record).toEqual({
      name: 'edges2fashion',
      imageSize: 32,
      dataDir: '/usr/share/datasets/fashion-mnist',
    });
  });

  it('edges2shoes draws sandals, sneakers and ankle boots only', () => {
    const d = resolveDataset('edges2shoes');
    expect([d.trainSize, d.heldOutSize]).toEqual([18_000, 3000]);
    for (const b of [d.sample(40, new Rng(1)), d.heldOut!(40, new Rng(1))]) for (const l of b.labels!) expect([5, 7, 9]).toContain(l);
  });

  it('edges2digits at 32 px: inputs and targets padded alike (edges are 0 = −1 on the border)', () => {
    const d = resolveDataset('edges2digits', { imageSize: 32 });
    expect(d.input).toEqual({ dims: 1024, image: { height: 32, width: 32, channels: 1 } });
    const b = d.heldOut!(3, new Rng(2));
    const test = subset(loadMnist(), mnistSplit().test);
    expect(b.x).toEqual(resolveDataset('mnist', { imageSize: 32 }).heldOut!(3, new Rng(2)).x);
    for (let i = 0; i < 3; i++) {
      const inner = (x: Float32Array) => Uint8Array.from({ length: 784 }, (_, p) => Math.round((x[i * 1024 + (Math.floor(p / 28) + 2) * 32 + (p % 28) + 2]! + 1) * 127.5));
      expect(inner(b.input!)).toEqual(edgesOf(inner(b.x)));
      expect(b.input![i * 1024]).toBe(-1);
    }
    expect(test.n).toBe(d.heldOutSize);
  });

  it('are listed with a description', () => {
    const names = listDatasets().map((d) => d.name);
    for (const n of ['edges2fashion', 'edges2shoes', 'edges2digits']) expect(names).toContain(n);
    expect(listDatasets().find((d) => d.name === 'edges2shoes')!.description).toMatch(/sandal, sneaker, ankle boot/);
  });
});

describe('super-resolution pairs', () => {
  it("inputs equal Pillow's bicubic ×2 on the target's float values, clipped, not rounded (fixtures/scripts/gen_super_resolution.py)", () => {
    const test = loadFashionMnist('test');
    for (const size of [28, 32, 64]) {
      const golden = npy(`super-resolution/fashion-${size}.npy`);
      const low = size / 2;
      expect(golden.shape).toEqual([8, low, low]);
      const out = new Float32Array(low * low);
      for (let j = 0; j < 8; j++) {
        writeDownsampled(test, j, size, 2, out, 0);
        const want = Float32Array.from((golden.data as Float32Array).subarray(j * low * low, (j + 1) * low * low), (v) => v / 127.5 - 1);
        expect(out, `${size} ${j}`).toEqual(want);
      }
    }
  });

  it('turn an unpaired image set into pairs: same samples, record and labels, inputs 14×14', () => {
    const mnist = resolveDataset('mnist');
    const d = superResolutionPairs(mnist, 2);
    expect([d.name, d.record, d.input]).toEqual(['mnist', mnist.record, { dims: 196, image: { height: 14, width: 14, channels: 1 } }]);
    const b = d.heldOut!(5, new Rng(1));
    const a = mnist.heldOut!(5, new Rng(1));
    expect([b.x, b.labels]).toEqual([a.x, a.labels]);
    const test = subset(loadMnist(), mnistSplit().test);
    const want = new Float32Array(196);
    for (let i = 0; i < 5; i++) {
      const j = Array.from({ length: test.n }, (_, k) => k).find((k) => Buffer.from(test.pixels.subarray(k * 784, (k + 1) * 784)).equals(Buffer.from(bytesOf(a.x, i, 784))))!;
      writeDownsampled(test, j, 28, 2, want, 0);
      expect(b.input!.subarray(i * 196, (i + 1) * 196)).toEqual(want);
    }
  });

  it('refuse data that is not an unpaired image set, and sizes not divisible by the scale', () => {
    expect(() => superResolutionPairs(resolveDataset('ring'), 2)).toThrow(
      'super-resolution pairs are made from an unpaired set of images (mnist, fashion-mnist or a folder of images); ring is not one',
    );
    expect(() => superResolutionPairs(resolveDataset('edges2digits'), 2)).toThrow('edges2digits is not one');
    expect(() => superResolutionPairs(resolveDataset('mnist'), 3)).toThrow('super-resolution ×3 needs an image size divisible by 3; mnist is 28×28');
  });
});

/** Writes grey square PNGs `names` of side `side` (or per-name sides) under `dir`, pixel values from the name's index. */
async function pngs(dir: string, names: readonly string[], side: number | ((name: string) => number), value = 0): Promise<void> {
  for (const [k, name] of names.entries()) {
    const s = typeof side === 'number' ? side : side(name);
    const px = Uint8Array.from({ length: s * s }, (_, p) => (value + 37 * k + p) % 256);
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), await encodePng(px, { height: s, width: s, channels: 1 }));
  }
}

describe('folder pairs (dataPairs)', () => {
  const names = ['one.png', 'sub/two.png', 'three.png'];

  it('match inputs and targets by relative name, at their own sizes; record both listings', async () => {
    const [a, b] = [join(tmp, 'ok-a'), join(tmp, 'ok-b')];
    await pngs(a, names, 14, 0);
    await pngs(b, names, 28, 100);
    const d = await loadFolderPairs(a, b, { scale: 2 });
    expect([d.image, d.input, d.trainSize]).toEqual([{ height: 28, width: 28, channels: 1 }, { dims: 196, image: { height: 14, width: 14, channels: 1 } }, 3]);
    const batch = d.sample(12, new Rng(1));
    // Input and target of one name carry that name's index k (first pixels 37·k and 100 + 37·k).
    for (let i = 0; i < 12; i++) {
      const k = bytesOf(batch.input!, i, 196)[0]! / 37;
      expect(bytesOf(batch.x, i, 784)[0]).toBe((100 + 37 * k) % 256);
    }
    expect(d.record).toMatchObject({ name: a, channels: 1, targets: { name: b, channels: 1 } });
    expect(d.record!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.record!.targets!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.record!.targets!.sha256).not.toBe(d.record!.sha256);
    expect(dataRecord(d).targets!.name).toBe(b);
  });

  it('refuse, in one line naming the file, unmatched names and sizes that do not fit', async () => {
    const [a, b] = [join(tmp, 'bad-a'), join(tmp, 'bad-b')];
    await pngs(a, names, 28);
    await pngs(b, [...names, 'extra.png'], 28);
    await expect(loadFolderPairs(a, b, { scale: 1 })).rejects.toThrow(`${join(b, 'extra.png')}: has no pair: ${a} has no file extra.png`);
    await expect(loadFolderPairs(b, a, { scale: 1 })).rejects.toThrow(`${join(b, 'extra.png')}: has no pair: ${a} has no file extra.png`);
    rmSync(join(b, 'extra.png'));
    await expect(loadFolderPairs(a, b, { scale: 2 })).rejects.toThrow(
      `${join(a, 'one.png')}: is 28×28 but its target ${join(b, 'one.png')} is 28×28; targets must be ×2 the inputs (56×56)`,
    );
    const [c, e] = [join(tmp, 'mixed-a'), join(tmp, 'mixed-b')];
    await pngs(c, names, (n) => (n === 'three.png' ? 32 : 28));
    await pngs(e, names, 28);
    await expect(loadFolderPairs(c, e, { scale: 1 })).rejects.toThrow(`${join(c, 'three.png')}: is 32×32; every image of ${c} must be 28×28 like the first`);
    await expect(loadFolderPairs(e, c, { scale: 1 })).rejects.toThrow(`${join(c, 'three.png')}: is 32×32; every image of ${c} must be 28×28 like the first`);
    const [f, g] = [join(tmp, 'odd-a'), join(tmp, 'odd-b')];
    await pngs(f, names, 20);
    await pngs(g, names, 20);
    await expect(loadFolderPairs(f, g, { scale: 1 })).rejects.toThrow(`${join(g, 'one.png')}: is 20×20; targets must be 28, 32, 64 px`);
    await expect(loadDataset(f)).resolves.toBeDefined(); // an unpaired folder of them is fine
  });
});
