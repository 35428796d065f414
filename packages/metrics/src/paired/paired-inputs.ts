/**
 * The inputs of the paired metrics: two image folders matched by relative file name (without
 * extension), two `.npy`
 * image arrays of one shape (N×H×W or N×H×W×C, uint8 0–255 or floats in [0, 1]), a folder against
 * an `.npy` (files in sorted relative-name order, row by row), or images already in memory.
 * Every mismatch is a one-line bad-input error naming the file; nothing is resized.
 */
import { badInputError, inputError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { checkImageArray } from '../pipeline/image-array.js';
import { PIXEL_PEAK, type PixelImage } from './pixel-image.js';

/** One side of a paired evaluation: a path (image folder or `.npy` image array) or images in memory. */
export type PairedInput = string | readonly PixelImage[];

/** A side as read: where it came from, and each image's name (relative path, or row index). */
interface Side {
  readonly label: string;
  readonly kind: 'folder' | 'npy' | 'memory';
  readonly names: readonly string[];
  /** The image of entry i (decoded on demand for folders). */
  image(i: number): Promise<PixelImage>;
  /** Where image i comes from, for messages: `REF/a.png`, `ref.npy image 3`. */
  where(i: number): string;
}

/** One matched pair, read. */
export interface ImagePair {
  /** The pair's name: the relative path when a folder is involved, else the row index. */
  readonly name: string;
  readonly ref: PixelImage;
  readonly test: PixelImage;
  /** The files (or rows) the two images come from, for messages. */
  readonly refWhere: string;
  readonly testWhere: string;
}

const isNpy = (path: string) => path.toLowerCase().endsWith('.npy');

/** The images of an `.npy` array, floats in [0, 1] scaled by 255 (the [0, 255] scale of {@link PixelImage}). */
function npySide(path: string): Side {
  const a = checkImageArray(readNpy(path), path);
  const isFloat = a.arr.data instanceof Float32Array || a.arr.data instanceof Float64Array;
  const data = a.arr.data as ArrayLike<number>;
  const size = a.height * a.width * a.channels;
  return {
    label: path,
    kind: 'npy',
    names: Array.from({ length: a.n }, (_, i) => String(i)),
    where: (i) => `${path} image ${i}`,
    image: async (i) => {
      const px = new Float64Array(size);
      for (let p = 0; p < size; p++) {
        const v = data[i * size + p]!;
        if (isFloat && !(v >= 0 && v <= 1)) throw inputError(path, `image ${i} has value ${v} at index ${p}; float images must lie in [0, 1] (or give uint8 0–255)`);
        px[p] = isFloat ? v * PIXEL_PEAK : v;
      }
      return { height: a.height, width: a.width, channels: a.channels, data: px };
    },
  };
}

/** The images of a folder, listed recursively and decoded as Pillow's `convert("RGB")`. */
async function folderSide(path: string): Promise<Side> {
  const { listImages } = await import('../image/list-images.js');
  const { decodeImageFile } = await import('../image/decode.js');
  const { files } = await listImages(path);
  const bad = files.find((f) => f.problem !== undefined);
  if (bad !== undefined) throw inputError(bad.path, bad.problem!);
  return {
    label: path,
    kind: 'folder',
    names: files.map((f) => f.relPath),
    where: (i) => files[i]!.path,
    image: async (i) => {
      const im = await decodeImageFile(files[i]!.path);
      return { height: im.height, width: im.width, channels: 3, data: im.data };
    },
  };
}

function memorySide(images: readonly PixelImage[], label: string): Side {
  return { label, kind: 'memory', names: images.map((_, i) => String(i)), where: (i) => `${label} image ${i}`, image: async (i) => images[i]! };
}

async function readSide(input: PairedInput, label: string): Promise<Side> {
  if (typeof input !== 'string') return memorySide(input, label);
  return isNpy(input) ? npySide(input) : folderSide(input);
}

/** Up to three names, then how many more: `a.png, b.png, c.png and 4 more`. */
function firstNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** A file's relative path without its extension: the name two folders' images are paired by. */
const pairName = (relPath: string) => relPath.replace(/\.[^./\\]*$/, '');

/** Each image's pair name → its index; two files of one name (x.png and x.jpg) are an error naming both. */
function byPairName(side: Side): Map<string, number> {
  const index = new Map<string, number>();
  side.names.forEach((n, i) => {
    const key = pairName(n);
    const j = index.get(key);
    if (j !== undefined) throw inputError(side.label, `${side.names[j]} and ${n} share the name ${key}: paired images are matched by relative path without extension`);
    index.set(key, i);
  });
  return index;
}

/**
 * Index pairs [ref, test]: by relative path without extension for two folders (so `sample`'s PNG
 * outputs pair with JPEG targets), by position otherwise.
 */
function match(ref: Side, test: Side): [number, number][] {
  if (ref.kind === 'folder' && test.kind === 'folder') {
    const testIndex = byPairName(test);
    const refIndex = byPairName(ref);
    const onlyRef = ref.names.filter((n) => !testIndex.has(pairName(n)));
    const onlyTest = test.names.filter((n) => !refIndex.has(pairName(n)));
    if (onlyRef.length > 0 || onlyTest.length > 0) {
      const parts = [
        ...(onlyRef.length > 0 ? [`${onlyRef.length} image${onlyRef.length === 1 ? '' : 's'} of ${ref.label} without a match in ${test.label} (${firstNames(onlyRef)})`] : []),
        ...(onlyTest.length > 0 ? [`${onlyTest.length} image${onlyTest.length === 1 ? '' : 's'} of ${test.label} without a match in ${ref.label} (${firstNames(onlyTest)})`] : []),
      ];
      throw inputError(onlyRef.length > 0 ? ref.label : test.label, `images are matched by relative file name without extension: ${parts.join('; ')}`);
    }
    return ref.names.map((n, i) => [i, testIndex.get(pairName(n))!]);
  }
  if (ref.names.length !== test.names.length)
    throw inputError(
      test.label,
      `has ${test.names.length} image${test.names.length === 1 ? '' : 's'} but ${ref.label} has ${ref.names.length}; paired inputs need one test image per reference`,
    );
  return ref.names.map((_, i) => [i, i]);
}

/** A grey image as RGB (each value three times), as decoding a grey file gives it. */
function greyToRgb(im: PixelImage): PixelImage {
  const data = new Float64Array(im.height * im.width * 3);
  for (let p = 0; p < im.height * im.width; p++) data[3 * p] = data[3 * p + 1] = data[3 * p + 2] = im.data[p]!;
  return { height: im.height, width: im.width, channels: 3, data };
}

/**
 * Reads both sides and yields the matched pairs in the reference's order. A grey image paired with
 * an RGB one is compared as RGB (its value in every channel: the metrics of a grey pair are
 * unchanged by this). `minSize`: the smallest height and width the metrics accept (SSIM's window).
 * @throws GenEvalError (bad_input, naming the file) on unmatched names, counts that differ, sizes
 * or channel counts that differ, images below `minSize`, undecodable images, bad `.npy` arrays.
 */
export async function* readImagePairs(ref: PairedInput, test: PairedInput, opts: { minSize?: { size: number; why: string } } = {}): AsyncGenerator<ImagePair> {
  const r = await readSide(ref, 'reference');
  const t = await readSide(test, 'test');
  if (r.names.length === 0) throw badInputError('paired metrics: no reference images');
  for (const [i, j] of match(r, t)) {
    let a = await r.image(i);
    let b = await t.image(j);
    if (a.height !== b.height || a.width !== b.width)
      throw inputError(t.where(j), `is ${b.height}×${b.width} but ${r.where(i)} is ${a.height}×${a.width}; paired metrics never resize`);
    if (a.channels !== b.channels) {
      if (a.channels === 1) a = greyToRgb(a);
      else if (b.channels === 1) b = greyToRgb(b);
      else throw inputError(t.where(j), `has ${b.channels} channels but ${r.where(i)} has ${a.channels}`);
    }
    const min = opts.minSize;
    if (min !== undefined && (a.height < min.size || a.width < min.size))
      throw inputError(r.where(i), `is ${a.height}×${a.width}, smaller than ${min.why} (${min.size}×${min.size})`);
    yield { name: r.kind === 'folder' ? r.names[i]! : t.names[j]!, ref: a, test: b, refWhere: r.where(i), testWhere: t.where(j) };
  }
}
