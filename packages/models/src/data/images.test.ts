import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { resolveDataset } from './datasets.js';
import { loadMnist, MNIST_COUNTS, MNIST_TEST_COUNTS, MNIST_TRAIN_COUNTS, mnistDigitsDir, mnistSplit } from './mnist.js';
import { subset, type ImageSet } from './image-set.js';

const minOf = (a: Float32Array) => a.reduce((m, v) => Math.min(m, v), Infinity);
const maxOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);

/** Key of image i's bytes in a 1-channel set (to find an image by content). */
const key = (set: ImageSet, i: number) => Buffer.from(set.pixels.subarray(i * 784, (i + 1) * 784)).toString('base64');
/** Bytes of a [−1, 1] plane of a batch back to 0…255 (exact for unresized images). */
const plane = (x: Float32Array, offset: number, stride: number) => {
  const b = new Uint8Array(784);
  for (let j = 0; j < 784; j++) b[j] = Math.round((x[offset + j * stride]! + 1) * 127.5);
  return Buffer.from(b).toString('base64');
};

describe('mnist', () => {
  const all = loadMnist();
  const split = mnistSplit();

  it('reads the package files exactly: p = round(255·v) and v = round(p/255, 3)', () => {
    expect(all.n).toBe(10_000);
    const three = JSON.parse(readFileSync(join(mnistDigitsDir(), '3.json'), 'utf8')).data as number[];
    const start = MNIST_COUNTS[0]! + MNIST_COUNTS[1]! + MNIST_COUNTS[2]!;
    for (let j = 0; j < 5 * 784; j++) {
      const p = all.pixels[start * 784 + j]!;
      expect(Math.round((p / 255) * 1000) / 1000).toBeCloseTo(three[j]!, 12);
    }
    expect(all.labels![start]).toBe(3);
    expect(all.labels![start - 1]).toBe(2);
  });

  it('the split is 7 996 / 2 004, disjoint, stratified: the first floor(0.8·c) images of each digit train, the rest are held out', () => {
    expect(split.train.length).toBe(7996);
    expect(split.test.length).toBe(2004);
    const seen = new Set([...split.train, ...split.test]);
    expect(seen.size).toBe(10_000);
    const perDigit = new Array(10).fill(0);
    for (const i of split.test) perDigit[all.labels![i]!]++;
    // The table of fixtures/scripts/train_digit_classifiers.py (the embedded classifier's split).
    expect(perDigit).toEqual([201, 226, 199, 207, 196, 173, 203, 214, 189, 196]);
    expect(MNIST_TEST_COUNTS).toEqual(perDigit);
    expect(MNIST_TRAIN_COUNTS).toEqual([800, 901, 792, 825, 784, 690, 811, 856, 755, 782]);
    // The last of each digit: every test index of digit d is above every training index of d.
    for (let d = 0; d < 10; d++) {
      const maxTrain = Math.max(...[...split.train].filter((i) => all.labels![i] === d));
      const minTest = Math.min(...[...split.test].filter((i) => all.labels![i] === d));
      expect(minTest).toBe(maxTrain + 1);
    }
  });

  it('batches come from the training split only, held-out samples from the test split, each test image once', () => {
    const trainKeys = new Map<string, number>();
    const train = subset(all, split.train);
    for (let i = 0; i < train.n; i++) trainKeys.set(key(train, i), train.labels![i]!);
    const test = subset(all, split.test);
    const testKeys = new Set(Array.from({ length: test.n }, (_, i) => key(test, i)));
    const d = resolveDataset('mnist');
    expect(d.image).toEqual({ height: 28, width: 28, channels: 1 });
    expect([d.dims, d.classes, d.trainSize, d.heldOutSize]).toEqual([784, 10, 7996, 2004]);
    expect(d.record).toEqual({ name: 'mnist', imageSize: 28 });
    const b = d.sample(300, new Rng(1));
    expect([b.n, b.dims, b.x.length]).toEqual([300, 784, 300 * 784]);
    for (let i = 0; i < 300; i++) {
      const k = plane(b.x, i * 784, 1);
      expect(trainKeys.get(k)).toBe(b.labels![i]);
      expect(testKeys.has(k)).toBe(false);
    }
    const h = d.heldOut!(2004, new Rng(2));
    const got = new Set(Array.from({ length: 2004 }, (_, i) => plane(h.x, i * 784, 1)));
    expect(got).toEqual(testKeys);
    expect([...h.labels!].sort()).toEqual([...test.labels!].sort());
  });

  it('values lie in [−1, 1] and reach both ends; samples are a pure function of the seed', () => {
    const d = resolveDataset('mnist');
    const a = d.sample(64, new Rng(7));
    expect(minOf(a.x)).toBe(-1);
    expect(maxOf(a.x)).toBe(1);
    expect(d.sample(64, new Rng(7))).toEqual(a);
    expect(d.sample(64, new Rng(8)).x).not.toEqual(a.x);
    expect(d.heldOut!(10, new Rng(3))).toEqual(d.heldOut!(10, new Rng(3)));
  });

  it('32 px pads 2 px of background; 64 px is a Pillow bicubic upscale in [−1, 1]', () => {
    const a = resolveDataset('mnist').sample(8, new Rng(4));
    const p = resolveDataset('mnist', { imageSize: 32 });
    expect(p.record).toEqual({ name: 'mnist', imageSize: 32 });
    const b = p.sample(8, new Rng(4));
    expect([b.dims, p.image!.height]).toEqual([1024, 32]);
    for (let i = 0; i < 8; i++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const v = b.x[i * 1024 + y * 32 + x]!;
          const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
          expect(v).toBe(inside ? a.x[i * 784 + (y - 2) * 28 + x - 2]! : -1);
        }
      }
    }
    const c = resolveDataset('mnist', { imageSize: 64 }).sample(8, new Rng(4));
    expect(c.dims).toBe(4096);
    expect(c.labels).toEqual(a.labels);
    expect(minOf(c.x)).toBeGreaterThanOrEqual(-1);
    expect(maxOf(c.x)).toBeLessThanOrEqual(1);
    // The upscale keeps the picture: mean brightness within 2 % of the range. (Bit-exact with
    // Pillow's Image.fromarray(a, 'F').resize((64, 64), BICUBIC), clipped, /127.5 − 1 in float64:
    // checked by hand; resizeBicubicPillow's own tests pin it.)
    for (let i = 0; i < 8; i++) {
      const m28 = a.x.subarray(i * 784, (i + 1) * 784).reduce((s, v) => s + v, 0) / 784;
      const m64 = c.x.subarray(i * 4096, (i + 1) * 4096).reduce((s, v) => s + v, 0) / 4096;
      expect(Math.abs(m28 - m64)).toBeLessThan(0.04);
    }
    expect(() => resolveDataset('mnist', { imageSize: 48 })).toThrow(/^`imageSize` must be 28, 32 or 64, got "48"$/);
  });

  it('mnist-inverted is mnist with every pixel inverted, same labels (the unpaired domain B of cyclegan)', () => {
    const a = resolveDataset('mnist', { imageSize: 32 }).sample(16, new Rng(5));
    const b = resolveDataset('mnist-inverted', { imageSize: 32 }).sample(16, new Rng(5));
    expect(b.labels).toEqual(a.labels);
    for (let j = 0; j < a.x.length; j++) expect(b.x[j]!).toBeCloseTo(-a.x[j]!, 6);
  });
});

describe('stacked-mnist', () => {
  it('each channel is a training digit and the label is 100·d_r + 10·d_g + d_b', () => {
    const all = loadMnist();
    const train = subset(all, mnistSplit().train);
    const labelOf = new Map<string, number>();
    for (let i = 0; i < train.n; i++) labelOf.set(key(train, i), train.labels![i]!);
    const d = resolveDataset('stacked-mnist');
    expect([d.dims, d.classes, d.image?.channels]).toEqual([2352, 1000, 3]);
    const b = d.sample(200, new Rng(9));
    for (let i = 0; i < 200; i++) {
      const digits = [0, 1, 2].map((c) => labelOf.get(plane(b.x, i * 2352 + c, 3)));
      expect(digits.every((v) => v !== undefined)).toBe(true);
      expect(b.labels![i]).toBe(100 * digits[0]! + 10 * digits[1]! + digits[2]!);
    }
    expect(d.sample(50, new Rng(9))).toEqual(d.sample(50, new Rng(9)));
    expect(resolveDataset('stacked-mnist', { imageSize: 64 }).sample(2, new Rng(1)).x.length).toBe(2 * 64 * 64 * 3);
  });

  it('the 1 000 modes are equally likely (digits drawn uniformly, not by their MNIST frequency)', () => {
    const n = 30_000;
    const labels = resolveDataset('stacked-mnist').sample(n, new Rng(11)).labels!;
    const counts = new Array(1000).fill(0);
    for (const l of labels) counts[l]++;
    expect(counts.filter((c) => c > 0).length).toBe(1000);
    // χ² over 1 000 cells: mean 999, sd ≈ 45.
    const e = n / 1000;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(1200);
    // Each channel's digit marginal: 3 000 ± 52 each (MNIST's own frequencies would give 1s 3 381).
    for (const place of [100, 10, 1]) {
      const m = new Array(10).fill(0);
      for (const l of labels) m[Math.floor(l / place) % 10]++;
      for (const c of m) expect(Math.abs(c - 3000)).toBeLessThan(250);
    }
  });

  it('held-out samples are built from test digits', () => {
    const test = subset(loadMnist(), mnistSplit().test);
    const keys = new Set(Array.from({ length: test.n }, (_, i) => key(test, i)));
    const h = resolveDataset('stacked-mnist').heldOut!(50, new Rng(1));
    for (let i = 0; i < 50; i++) for (let c = 0; c < 3; c++) expect(keys.has(plane(h.x, i * 2352 + c, 3))).toBe(true);
  });
});
