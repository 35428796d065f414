import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtractor, ExtractorSession, loadInput, stackedMnistModes, type FeatureExtractor } from '@gen-eval/metrics/extract';
import { writeNpy } from '@gen-eval/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataset } from '../data/datasets.js';
import { FASHION_MNIST_FILES } from '../data/fashion-mnist.js';
import { imageFolderDataset } from '../data/images.js';
import { toBytes, writeSamplePngs } from '../data/png.js';
import { Rng } from '../rng.js';
import { classifierFor, imageEvalReference, imageFeatures, imageMetrics } from './image-eval.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-image-eval-'));
let mnist: FeatureExtractor;
beforeAll(async () => {
  mnist = await createExtractor('mnist');
});
afterAll(async () => {
  await mnist.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('image evaluation', () => {
  it('picks the embedded classifier of each data set, none for folders', async () => {
    expect(classifierFor(resolveDataset('mnist'))).toBe('mnist');
    expect(classifierFor(resolveDataset('mnist-inverted'))).toBe('mnist');
    expect(classifierFor(resolveDataset('stacked-mnist'))).toBe('mnist');
    // A captioned set's images are its base set's.
    expect(classifierFor({ ...resolveDataset('mnist'), name: 'captioned-mnist' })).toBe('mnist');
    // Only the files' presence is checked until images are drawn: no Debian install needed.
    const fake = join(root, 'fashion');
    mkdirSync(fake);
    for (const f of Object.values(FASHION_MNIST_FILES)) for (const name of [f.images, f.labels]) writeFileSync(join(fake, name), '');
    expect(classifierFor(resolveDataset('fashion-mnist', { dataDir: fake }))).toBe('fashion-mnist');
    expect(classifierFor(resolveDataset('ring'))).toBeUndefined();
    const dir = join(root, 'folder');
    await writeSamplePngs(dir, resolveDataset('mnist').sample(4, new Rng(1)).x, { height: 28, width: 28, channels: 1 });
    const folder = await imageFolderDataset(dir);
    expect(classifierFor(folder)).toBeUndefined();
    const { ref, notes } = await imageEvalReference(folder, 4, 0);
    expect(ref).toBeUndefined();
    expect(notes[0]).toMatch(/no embedded classifier .* no FID/);
  });

  it('features of in-memory images equal those of the same images written as PNG files', async () => {
    const x = resolveDataset('mnist').heldOut!(12, new Rng(2)).x;
    // Off-range values (an untanh'd generator) are clipped as the PNG writer clips them.
    x[5] = 3;
    x[700] = -2;
    const shape = { height: 28, width: 28, channels: 1 };
    const mem = await imageFeatures(mnist, x, shape, false, 'x');
    const dir = join(root, 'pngs');
    await writeSamplePngs(dir, x, shape);
    const session = new ExtractorSession({ extractor: 'mnist', cache: false, quiet: true });
    try {
      const loaded = await loadInput(dir, session, { accept: ['images'] });
      if (loaded.kind !== 'images') throw new Error('expected images');
      expect(Array.from(mem.features.data)).toEqual(Array.from(loaded.set.features.data));
      expect(Array.from(mem.logits!.data)).toEqual(Array.from(loaded.set.logits!.data));
    } finally {
      await session.dispose();
    }
  });

  it('FID/KID/IS: held-out digits are close to the reference, noise is far', async () => {
    const mnistSet = resolveDataset('mnist');
    const { ref } = await imageEvalReference(mnistSet, 200, 0);
    try {
      const digits = await imageMetrics(ref!, mnistSet.sample(100, new Rng(3)).x);
      const rng = new Rng(4);
      const noise = await imageMetrics(
        ref!,
        Float32Array.from({ length: 100 * 784 }, () => 2 * rng.uniform() - 1),
      );
      expect(Object.keys(digits).sort()).toEqual(['fid', 'is_mean', 'is_std', 'kid_mean', 'kid_std']);
      expect(digits.fid!).toBeLessThan(noise.fid! / 10);
      expect(digits.kid_mean!).toBeLessThan(noise.kid_mean! / 10);
      expect(digits.is_mean!).toBeGreaterThan(noise.is_mean!);
    } finally {
      await ref!.extractor.dispose();
    }
  });

  it('class_accuracy: the classifier’s agreement with the class each image was asked for', async () => {
    const mnistSet = resolveDataset('mnist');
    const { ref } = await imageEvalReference(mnistSet, 20, 0);
    try {
      const b = mnistSet.heldOut!(100, new Rng(3));
      const right = await imageMetrics(ref!, b.x, b.labels);
      const wrong = await imageMetrics(
        ref!,
        b.x,
        b.labels!.map((l) => (l + 1) % 10),
      );
      expect(right.class_accuracy).toBeGreaterThan(0.95);
      expect(wrong.class_accuracy).toBeLessThan(0.05);
      expect(right.fid).toBe(wrong.fid);
    } finally {
      await ref!.extractor.dispose();
    }
  });

  it("stacked-mnist: modes equal the metrics package's stacked-mnist count of the same images", async () => {
    const stacked = resolveDataset('stacked-mnist');
    const { ref } = await imageEvalReference(stacked, 30, 0);
    try {
      const x = stacked.heldOut!(40, new Rng(5)).x;
      const m = await imageMetrics(ref!, x);
      const file = join(root, 'stacked.npy');
      writeNpy(
        file,
        Float32Array.from(toBytes(x), (v) => v / 255),
        [40, 28, 28, 3],
      ); // [0, 1], as the bytes / 255
      const expected = await stackedMnistModes(file, { cache: false, quiet: true });
      expect(m.modes_covered).toBe(expected.modesCovered);
      expect(m.reverse_kl).toBe(expected.kl);
      expect(ref!.real.n).toBe(90); // 30 samples × 3 one-digit channels
    } finally {
      await ref!.extractor.dispose();
    }
  });
});
