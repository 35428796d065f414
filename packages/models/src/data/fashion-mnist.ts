/**
 * Fashion-MNIST (Xiao et al. 2017) from Debian's `dataset-fashion-mnist` package: 60 000 training
 * and 10 000 test images, 28×28 grey, 10 classes, as gzip-compressed IDX files. Training uses the
 * train split only; the t10k split is the held-out set (never trained on).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import { readIdxFile } from './idx.js';
import type { ImageSet } from './image-set.js';

/** Where Debian's `dataset-fashion-mnist` installs the files (`--data-dir` overrides). */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The class names, label 0…9. */
export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** The four files, by split. */
export const FASHION_MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

export type FashionSplit = keyof typeof FASHION_MNIST_FILES;

/**
 * Checks that the four files are there, before a run writes anything; a missing install is one
 * line naming the folder and the apt package.
 */
export function checkFashionMnist(dir: string = FASHION_MNIST_DIR): void {
  for (const split of Object.values(FASHION_MNIST_FILES)) {
    for (const name of [split.images, split.labels]) {
      if (!existsSync(join(dir, name))) {
        throw inputError(join(dir, name), `Fashion-MNIST not found; install it with \`apt-get install dataset-fashion-mnist\` or give its folder with \`dataDir\``, {
          options: ['dataDir'],
        });
      }
    }
  }
}

const cache = new Map<string, ImageSet>();

/**
 * One split as 28×28×1 bytes with labels 0…9, decoded once per process and folder (the train
 * split: 47 MB, ≈ 0.3 s to gunzip), then cached.
 */
export function loadFashionMnist(split: FashionSplit, dir: string = FASHION_MNIST_DIR): ImageSet {
  const key = `${resolve(dir)}\0${split}`;
  const hit = cache.get(key);
  if (hit) return hit;
  checkFashionMnist(dir);
  const files = FASHION_MNIST_FILES[split];
  const imagesPath = join(dir, files.images);
  const labelsPath = join(dir, files.labels);
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw inputError(imagesPath, `expected n × 28 × 28 images, got ${images.shape.join(' × ')}`);
  }
  const n = images.shape[0]!;
  if (labels.shape.length !== 1 || labels.shape[0] !== n) throw inputError(labelsPath, `expected ${n} labels (one per image), got ${labels.shape.join(' × ')}`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw inputError(labelsPath, `label ${labels.data[bad]} of image ${bad} is not a class 0…9`);
  const set: ImageSet = { n, height: 28, width: 28, channels: 1, pixels: images.data, labels: labels.data };
  cache.set(key, set);
  return set;
}
