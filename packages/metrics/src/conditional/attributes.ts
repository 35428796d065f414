/**
 * Attributes measured from pixels, the ones the captions of `captioned-mnist` and
 * `captioned-fashion` name. Every measurement works on the 8-bit levels p = round(255·x) of a
 * grayscale 28 × 28 image (the bytes themselves for the data sets) and is built from integer sums
 * and one final division, so it equals the numpy reference fixtures/scripts/caption_attributes.py
 * to the last bit.
 *
 * Digits (ink: p ≥ 128):
 * - thickness = 2A/P (A ink pixels, P 4-neighbour ink/background edges, outside = background):
 *   the stroke width of a long stroke;
 * - slant = −cov(x, y)/var(y) of the pixel coordinates weighted by p, y down (top leaning right
 *   is positive);
 * - size = ink bounding-box height × width after undoing the slant (x' = x + slant·(y − ȳ)): MNIST
 *   digits are scaled to a 20-px box, so a plain box would mostly measure how far a 1 leans.
 * Clothes (object: p ≥ 26, above the background speckle): brightness = mean object level / 255,
 * size = object pixel count.
 */
import { badInputError, usageError } from '../errors.js';
import type { CaptionGrammar } from './grammar.js';
import type { AttributeName, CaptionedBase } from './types.js';

/** Pixels per image (28 × 28). */
const PIXELS = 784;
const SIDE = 28;

/** The 8-bit level from which a digit pixel is ink (x ≥ 0.5). */
export const INK_LEVEL = 128;

/** The 8-bit level from which a garment pixel is object, not background (x ≥ 0.1). */
export const OBJECT_LEVEL = 26;

/** The attributes each base's captions name, in grammar order. */
export const BASE_ATTRIBUTES: Readonly<Record<CaptionedBase, readonly AttributeName[]>> = {
  mnist: ['thickness', 'slant', 'size'],
  'fashion-mnist': ['brightness', 'size'],
};

/** One measured value per image and attribute of the base. */
export type AttributeValues = Partial<Record<AttributeName, Float64Array>>;

/** Round half to even, as numpy's `rint`. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** 8-bit levels of n float images in [0, 1] (values outside are clamped; NaN is an error). */
export function imageLevels(images: Float32Array, n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || images.length !== n * PIXELS) {
    throw usageError(`attribute images must be n × 28 × 28 = ${n} × ${PIXELS} values, got ${images.length}`);
  }
  const out = new Uint8Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const x = images[i]!;
    if (Number.isNaN(x)) throw badInputError(`image ${Math.floor(i / PIXELS)} has a NaN pixel; attributes need values in [0, 1]`);
    out[i] = rint(Math.min(Math.max(x, 0), 1) * 255);
  }
  return out;
}

/** thickness, slant and size of the digit whose levels start at `o`. */
function measureDigit(p: Uint8Array, o: number): [number, number, number] {
  let area = 0;
  let pairs = 0;
  let s = 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let syy = 0;
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = p[o + y * SIDE + x]!;
      s += v;
      sx += v * x;
      sy += v * y;
      sxy += v * x * y;
      syy += v * y * y;
      if (v < INK_LEVEL) continue;
      area++;
      if (top < 0) top = y;
      bottom = y;
      if (x + 1 < SIDE && p[o + y * SIDE + x + 1]! >= INK_LEVEL) pairs++;
      if (y + 1 < SIDE && p[o + (y + 1) * SIDE + x]! >= INK_LEVEL) pairs++;
    }
  }
  // Each ink pixel has 4 sides; a side shared with another ink pixel is no boundary.
  const edges = 4 * area - 2 * pairs;
  const thickness = edges > 0 ? (2 * area) / edges : 0;
  // Integer numerator and denominator (< 2⁵³), one division: the same double as numpy.
  const den = s * syy - sy * sy;
  const slant = den > 0 ? -(s * sxy - sx * sy) / den : 0;
  if (area === 0) return [thickness, slant, 0];
  const ybar = s > 0 ? sy / s : 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = top; y <= bottom; y++) {
    for (let x = 0; x < SIDE; x++) {
      if (p[o + y * SIDE + x]! < INK_LEVEL) continue;
      const xp = x + slant * (y - ybar);
      if (xp < lo) lo = xp;
      if (xp > hi) hi = xp;
    }
  }
  return [thickness, slant, (hi - lo + 1) * (bottom - top + 1)];
}

/** brightness and size of the garment whose levels start at `o`. */
function measureGarment(p: Uint8Array, o: number): [number, number] {
  let count = 0;
  let total = 0;
  for (let i = 0; i < PIXELS; i++) {
    const v = p[o + i]!;
    if (v < OBJECT_LEVEL) continue;
    count++;
    total += v;
  }
  return [count > 0 ? total / (255 * count) : 0, count];
}

/**
 * The base's attributes of n images given as 8-bit levels (n × 784 bytes, e.g. a data set's
 * pixels), one Float64Array per attribute.
 */
export function measureAttributeLevels(base: CaptionedBase, levels: Uint8Array, n: number): AttributeValues {
  if (levels.length !== n * PIXELS) throw usageError(`attribute images must be n × 28 × 28 = ${n} × ${PIXELS} bytes, got ${levels.length}`);
  if (base === 'mnist') {
    const thickness = new Float64Array(n);
    const slant = new Float64Array(n);
    const size = new Float64Array(n);
    for (let i = 0; i < n; i++) [thickness[i], slant[i], size[i]] = measureDigit(levels, i * PIXELS);
    return { thickness, slant, size };
  }
  const brightness = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) [brightness[i], size[i]] = measureGarment(levels, i * PIXELS);
  return { brightness, size };
}

/** The base's attributes of n grayscale 28 × 28 images in [0, 1] (row-major). */
export function measureAttributes(base: CaptionedBase, images: Float32Array, n: number): AttributeValues {
  return measureAttributeLevels(base, imageLevels(images, n), n);
}

/** The base's attributes of one 28 × 28 image in [0, 1]. */
export function measureImageAttributes(base: CaptionedBase, image: Float32Array): Partial<Record<AttributeName, number>> {
  const all = measureAttributes(base, image, 1);
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v[0]!]));
}

/** 0 below t1, 1 in [t1, t2), 2 at or above t2 (NaN: 2, as the numpy reference). */
export function attributeValueIndex(value: number, row: readonly number[]): number {
  return value < row[0]! ? 0 : value < row[1]! ? 1 : 2;
}

/** The thresholds row [t1, t2] of an attribute for a class (its own row when per class). */
export function thresholdRow(grammar: CaptionGrammar, base: CaptionedBase, name: AttributeName, label: number): readonly number[] {
  const a = grammar.bases[base].attributes[name];
  if (!a) throw usageError(`${base} captions have no attribute ${name} (they have ${BASE_ATTRIBUTES[base].join(', ')})`);
  if (!Number.isInteger(label) || label < 0 || label > 9) throw usageError(`class label ${label} is not one of 0…9`);
  return a.per_class ? a.thresholds[label]! : a.thresholds[0]!;
}

/** Value indexes (0, 1, 2) of measured values, per attribute, with each image's class thresholds. */
export function attributeIndexes(grammar: CaptionGrammar, base: CaptionedBase, values: AttributeValues, labels: ArrayLike<number>): Partial<Record<AttributeName, Uint8Array>> {
  const out: Partial<Record<AttributeName, Uint8Array>> = {};
  for (const name of BASE_ATTRIBUTES[base]) {
    const v = values[name];
    if (!v || v.length !== labels.length) throw usageError(`${name}: expected ${labels.length} measured values (one per label), got ${v?.length ?? 0}`);
    const idx = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) idx[i] = attributeValueIndex(v[i]!, thresholdRow(grammar, base, name, labels[i]!));
    out[name] = idx;
  }
  return out;
}
