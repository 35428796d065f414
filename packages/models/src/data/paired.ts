/**
 * Paired image data sets: every sample (the target `x`, what a model generates) comes with an input
 * image (`Batch.input`), as pix2pix (Isola et al. 2017) and SRGAN (Ledig et al. 2017) train.
 *
 * - edges2fashion, edges2shoes, edges2digits: Fashion-MNIST (all of it, or the shoe classes 5, 7, 9:
 *   sandal, sneaker, ankle boot — the small-scale analogue of pix2pix's edges2shoes) and MNIST, each
 *   image paired with its binary edge map (edges.ts) as input. Labels and splits are the base set's.
 * - super-resolution pairs ({@link superResolutionPairs}): any image data set, each image's input
 *   its own downsampling ×scale with Pillow's bicubic.
 * - folder pairs ({@link loadFolderPairs}): a user's two folders matched by relative file name.
 */
import { decodeImageFile, listImages, resizeBicubicPillow } from '@gen-eval/metrics/images';
import { inputError, usageError } from '@gen-eval/metrics/errors';
import type { DatasetOptions } from '@gen-eval/metrics/runs';
import type { Dataset } from './dataset.js';
import { edgeSet, EDGE_THRESHOLD } from './edges.js';
import { imageSetDataset, lazy, specOf, type InputSpec, type SetSpec } from './image-dataset.js';
import { checkImageSize, channelValues, IMAGE_SIZES, subset, writeImage, type ImageSet } from './image-set.js';
import { IMAGE_DATASETS } from './images.js';
import { CAPTIONED_DATASETS, REGISTERED_CAPTIONED_DATASETS } from './captioned.js';
import { loadImageFolder } from './image-folder.js';

/** Fashion-MNIST's shoe classes: sandal, sneaker, ankle boot. */
export const SHOE_CLASSES: readonly number[] = [5, 7, 9];

/** Edge maps of each image as the input, at the targets' size (the same resize rule as the targets). */
function edgeInput(size: number): InputSpec {
  return {
    image: { height: size, width: size, channels: 1 },
    write(_split, set, j, dst, offset) {
      const edges = edgeSet(set);
      edges.ensure(j);
      writeImage(edges.set, j, size, dst, offset);
    },
  };
}

const subsets = new WeakMap<ImageSet, Map<string, ImageSet>>();

/** The images of `set` whose label is one of `classes` (labels kept), made once per process like the set itself. */
function ofClasses(set: ImageSet, classes: readonly number[]): ImageSet {
  let bySet = subsets.get(set);
  if (!bySet) subsets.set(set, (bySet = new Map<string, ImageSet>()));
  const key = classes.join(',');
  let sub = bySet.get(key);
  if (!sub) {
    const keep: number[] = [];
    for (let i = 0; i < set.n; i++) if (classes.includes(set.labels![i]!)) keep.push(i);
    bySet.set(key, (sub = subset(set, keep)));
  }
  return sub;
}

/** The spec of a built-in image set (those are all built by imageSetDataset). */
const baseSpec = (name: string, o: DatasetOptions): SetSpec => specOf(IMAGE_DATASETS[name]!.make(o))!;

function edgesOf(name: string, base: string, o: DatasetOptions, classes?: readonly number[]): Dataset {
  const s = baseSpec(base, o);
  const only = (load: () => ImageSet) => (classes ? lazy(() => ofClasses(load(), classes)) : load);
  return imageSetDataset({
    ...s,
    name,
    description: PAIRED_DATASETS[name]!.description,
    train: only(s.train),
    test: only(s.test!),
    ...(classes ? { trainSize: 6000 * classes.length, testSize: 1000 * classes.length } : {}),
    record: { ...s.record, name },
    input: edgeInput(s.size),
  });
}

const edgeWords = `binary Sobel edge maps (magnitude > ${EDGE_THRESHOLD}, white on black)`;

/** The built-in paired sets: name → description and constructor (options as their base set's). */
export const PAIRED_DATASETS: Readonly<Record<string, { description: string; make(opts: DatasetOptions): Dataset }>> = {
  edges2fashion: {
    description: `inputs: ${edgeWords}; targets: the Fashion-MNIST items (28×28×1, 10 classes; 60 000 train, t10k held out)`,
    make: (o) => edgesOf('edges2fashion', 'fashion-mnist', o),
  },
  edges2shoes: {
    description: 'edges2fashion on the shoe classes 5, 7, 9 only (sandal, sneaker, ankle boot): 18 000 train, 3 000 held out',
    make: (o) => edgesOf('edges2shoes', 'fashion-mnist', o, SHOE_CLASSES),
  },
  edges2digits: {
    description: `inputs: ${edgeWords}; targets: the MNIST digits (28×28×1, 10 classes; 7 996 train / 2 004 held out)`,
    make: (o) => edgesOf('edges2digits', 'mnist', o),
  },
};

/** The sets that read Fashion-MNIST's files (and so take `dataDir`); captioned-fashion once its encoder ships. */
export const FASHION_MNIST_SETS: readonly string[] = [
  'fashion-mnist',
  'edges2fashion',
  'edges2shoes',
  ...Object.keys(REGISTERED_CAPTIONED_DATASETS).filter((n) => CAPTIONED_DATASETS[n]!.base === 'fashion-mnist'),
];

/**
 * Image `j`'s input for super-resolution: each channel of the target as the model sees it (values
 * 0…255 at `size`, channelValues) downsampled to size/scale with Pillow's bicubic on the float
 * image, clipped to [0, 255] and not rounded — `Image.fromarray(v, 'F').resize((size/scale,
 * size/scale), Image.BICUBIC)` — then mapped to [−1, 1] as every image is (v/127.5 − 1).
 */
export function writeDownsampled(set: ImageSet, j: number, size: number, scale: number, dst: Float32Array, offset: number, invert = false): void {
  const low = size / scale;
  const C = set.channels;
  const out = new Float32Array(low * low);
  for (let c = 0; c < C; c++) {
    resizeBicubicPillow(channelValues(set, j, c, size, invert), size, size, low, low, out);
    for (let i = 0; i < low * low; i++) {
      const v = out[i]!;
      dst[offset + i * C + c] = (v < 0 ? 0 : v > 255 ? 255 : v) / 127.5 - 1;
    }
  }
}

/**
 * The paired super-resolution set of an unpaired image data set `d`: the same samples, splits,
 * labels and record, each image's input its own downsampling ×`scale` ({@link writeDownsampled}).
 * A run of a family whose condition has `scale` records `d` itself and pairs it again on resume.
 */
export function superResolutionPairs(d: Dataset, scale: number): Dataset {
  const s = specOf(d);
  if (!s || d.input) throw usageError(`super-resolution pairs are made from an unpaired set of images (mnist, fashion-mnist or a folder of images); ${d.name} is not one`);
  if (s.size % scale !== 0) throw usageError(`super-resolution ×${scale} needs an image size divisible by ${scale}; ${d.name} is ${s.size}×${s.size}`, { options: ['imageSize'] });
  const low = s.size / scale;
  return imageSetDataset({
    ...s,
    description: `${d.description}; inputs: each image downsampled ×${scale} to ${low}×${low} (Pillow bicubic)`,
    input: {
      image: { height: low, width: low, channels: s.channels },
      write: (_split, set, j, dst, offset) => writeDownsampled(set, j, s.size, scale, dst, offset, s.invert ?? false),
    },
  });
}

/** Options of {@link loadFolderPairs}. */
export interface FolderPairOptions {
  /** Targets have `scale` times the inputs' side (super-resolution); 1: the same size. */
  readonly scale: number;
  /** Channels of the inputs and of the targets (default: 1 for an all-grey folder, else 3). */
  readonly channels?: number;
  readonly targetChannels?: number;
}

/** The one side of a square image every file of a folder must have: its first image's, in IMAGE_SIZES for targets. */
async function firstSide(path: string): Promise<number> {
  const { width, height } = await decodeImageFile(path);
  if (width !== height) throw inputError(path, `is ${width}×${height}; paired images must be square`);
  return width;
}

/**
 * A user's paired folders: input `a/NAME` goes with target `b/NAME`, for every relative name. Both
 * listings must hold the same names, every image of a folder one square size, the targets' side
 * 28, 32 or 64 and `scale` times the inputs'; images are used at their own size (no resize). Any
 * breach is a one-line error naming the file. No held-out split (like image folders); labels from
 * the targets' subfolders.
 */
export async function loadFolderPairs(a: string, b: string, o: FolderPairOptions): Promise<Dataset> {
  const [la, lb] = [await listImages(a), await listImages(b)];
  const namesB = new Set(lb.files.map((f) => f.relPath));
  const namesA = new Set(la.files.map((f) => f.relPath));
  const onlyA = la.files.find((f) => !namesB.has(f.relPath));
  if (onlyA) throw inputError(onlyA.path, `has no pair: ${b} has no file ${onlyA.relPath}`, { options: ['dataPairs'] });
  const onlyB = lb.files.find((f) => !namesA.has(f.relPath));
  if (onlyB) throw inputError(onlyB.path, `has no pair: ${a} has no file ${onlyB.relPath}`, { options: ['dataPairs'] });
  const sideB = await firstSide(lb.files[0]!.path);
  if (!IMAGE_SIZES.includes(sideB))
    throw inputError(lb.files[0]!.path, `is ${sideB}×${sideB}; targets must be ${IMAGE_SIZES.join(', ')} px (the sizes a model generates)`, { options: ['dataPairs'] });
  const sideA = await firstSide(la.files[0]!.path);
  if (sideA * o.scale !== sideB)
    throw inputError(
      la.files[0]!.path,
      o.scale === 1
        ? `is ${sideA}×${sideA} but its target ${lb.files[0]!.path} is ${sideB}×${sideB}; paired images must have one size`
        : `is ${sideA}×${sideA} but its target ${lb.files[0]!.path} is ${sideB}×${sideB}; targets must be ×${o.scale} the inputs (${sideA * o.scale}×${sideA * o.scale})`,
      { options: ['dataPairs'] },
    );
  const fa = await loadImageFolder(a, { imageSize: sideA, exactSize: true, ...(o.channels !== undefined ? { channels: o.channels } : {}) });
  const fb = await loadImageFolder(b, { imageSize: checkImageSize(sideB), exactSize: true, ...(o.targetChannels !== undefined ? { channels: o.targetChannels } : {}) });
  const inputs = fa.set;
  const inShape = { height: sideA, width: sideA, channels: inputs.channels };
  return imageSetDataset({
    name: a,
    description: `${fb.set.n} pairs: inputs ${a} (${sideA}×${sideA}×${inputs.channels}) → targets ${b} (${sideB}×${sideB}×${fb.set.channels})`,
    size: sideB,
    channels: fb.set.channels,
    train: () => fb.set,
    trainSize: fb.set.n,
    ...(fb.classNames ? { classes: fb.classNames.length, classNames: fb.classNames } : {}),
    sha256: fa.sha256,
    record: { name: a, sha256: fa.sha256, channels: inputs.channels, targets: { name: b, sha256: fb.sha256, channels: fb.set.channels } },
    input: { image: inShape, write: (_split, _set, j, dst, offset) => writeImage(inputs, j, sideA, dst, offset) },
  });
}
