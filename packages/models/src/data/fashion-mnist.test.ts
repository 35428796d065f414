import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { resolveDataset } from './datasets.js';
import { FASHION_MNIST_DIR, FASHION_MNIST_FILES, loadFashionMnist } from './fashion-mnist.js';
import { parseIdx } from './idx.js';

const minOf = (a: Float32Array) => a.reduce((m, v) => Math.min(m, v), Infinity);
const maxOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);

const root = mkdtempSync(join(tmpdir(), 'gen-eval-fashion-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** IDX bytes: magic 0 0 8 ndim, big-endian dims, data. */
function idx(shape: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = 8;
  head[3] = shape.length;
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

/** A fake install: image i of a split is filled with `base + i`, its label is i % 10. */
function fakeInstall(name: string, counts = { train: 12, test: 5 }, base = { train: 10, test: 200 }): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const split of ['train', 'test'] as const) {
    const n = counts[split];
    const images = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) images.fill(base[split] + i, i * 784, (i + 1) * 784);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    writeFileSync(join(dir, FASHION_MNIST_FILES[split].images), gzipSync(idx([n, 28, 28], images)));
    writeFileSync(join(dir, FASHION_MNIST_FILES[split].labels), gzipSync(idx([n], labels)));
  }
  return dir;
}

describe('fashion-mnist', () => {
  it('a missing install is one line naming the file, the apt package and --data-dir', () => {
    const dir = join(root, 'none');
    expect(() => resolveDataset('fashion-mnist', { dataDir: dir })).toThrow(
      `${dir}/train-images-idx3-ubyte.gz: Fashion-MNIST not found; install it with \`apt-get install dataset-fashion-mnist\` or give its folder with \`dataDir\``,
    );
  });

  it('reads gzipped IDX files from --data-dir; batches from the train split, held-out from t10k', () => {
    const dir = fakeInstall('fake');
    const d = resolveDataset('fashion-mnist', { dataDir: dir, imageSize: 32 });
    expect(d.record).toEqual({ name: 'fashion-mnist', imageSize: 32, dataDir: dir });
    expect([d.dims, d.classes, d.classNames?.[9]]).toEqual([1024, 10, 'Ankle boot']);
    const b = d.sample(40, new Rng(1));
    for (let i = 0; i < 40; i++) {
      const p = Math.round((b.x[i * 1024 + 16 * 32 + 16]! + 1) * 127.5); // a centre pixel
      expect(p).toBeGreaterThanOrEqual(10);
      expect(p).toBeLessThan(22);
      expect(b.labels![i]).toBe((p - 10) % 10);
      expect(b.x[i * 1024]).toBe(-1); // padding
    }
    const h = d.heldOut!(5, new Rng(2));
    const seen = Array.from({ length: 5 }, (_, i) => Math.round((h.x[i * 1024 + 16 * 32 + 16]! + 1) * 127.5)).sort();
    expect(seen).toEqual([200, 201, 202, 203, 204]);
  });

  it('bad files are one-line errors naming the file', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]), 'f.idx')).toThrow(/^f.idx: not an IDX file \(bad magic number\)$/);
    expect(() => parseIdx(idx([2, 3], new Uint8Array(5)), 'g.idx')).toThrow(/^g.idx: IDX data has 5 bytes, the header \(2×3\) says 6$/);
    const dir = fakeInstall('short');
    writeFileSync(join(dir, FASHION_MNIST_FILES.train.labels), gzipSync(idx([3], new Uint8Array(3))));
    expect(() => loadFashionMnist('train', dir)).toThrow(`${join(dir, FASHION_MNIST_FILES.train.labels)}: expected 12 labels (one per image), got 3`);
  });

  it.runIf(existsSync(join(FASHION_MNIST_DIR, FASHION_MNIST_FILES.train.images)))('the Debian install: 60 000 train and 10 000 held-out images, 6 000 / 1 000 per class', () => {
    const train = loadFashionMnist('train');
    const test = loadFashionMnist('test');
    expect([train.n, test.n]).toEqual([60_000, 10_000]);
    const counts = new Array(10).fill(0);
    for (const l of train.labels!) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    const b = resolveDataset('fashion-mnist').sample(16, new Rng(3));
    expect(b.x.length).toBe(16 * 784);
    expect(maxOf(b.x)).toBeLessThanOrEqual(1);
    expect(minOf(b.x)).toBe(-1);
  });
});
