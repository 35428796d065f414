/**
 * The edge map of the paired sets edges2fashion, edges2shoes and edges2digits: the Sobel gradient
 * magnitude of a grey image, binarised. Binary on purpose: an outline says where an item is, not
 * how it is filled, so the target is ambiguous given the input — the setting in which pix2pix
 * (Isola et al. 2017) shows that an L1 loss alone averages the possible fills into blur.
 *
 * The magnitude is scikit-image's `skimage.filters.sobel(image)` on the image as floats p/255:
 * gx = K ∗ I with K = [1, 0, −1] (across columns) ⊗ [1, 2, 1]/4 (down rows), gy the same with the
 * axes swapped, borders by reflection (scipy's 'reflect': the edge pixel repeated), and
 * m = √((gx² + gy²)/2). A pixel is an edge when m > {@link EDGE_THRESHOLD} = 0.19, written 255 on a
 * background of 0 (white lines on black, as MNIST draws its digits).
 *
 * Computed exactly in integers: with byte sums Gx = 1020·gx (|Gx| ≤ 1020), m > t ⇔ Gx² + Gy² >
 * 2·(1020·t)² = 75 116.88. The threshold is 0.19 rather than a round 0.2 so that this bound is no
 * integer: no image's magnitude can equal it, so float rounding decides no pixel and the maps equal
 * scikit-image's bit for bit (fixtures/scripts/gen_edges.py).
 */
import { internalError } from '@gen-eval/metrics/errors';
import type { ImageSet } from './image-set.js';

/** The Sobel magnitude (scikit-image's scale: 0…1) above which a pixel is an edge. */
export const EDGE_THRESHOLD = 0.19;

/** Gx² + Gy² (byte sums, see the module comment) above which a pixel is an edge: 2·(1020·0.19)². */
const EDGE_BOUND = 2 * (1020 * EDGE_THRESHOLD) ** 2;

/**
 * The binary edge map (255 edge, 0 background) of one grey `h × w` image of bytes `src` (row-major,
 * from `offset`), written into `dst` from `dstOffset`.
 */
export function edgeMap(src: Uint8Array, offset: number, h: number, w: number, dst: Uint8Array, dstOffset = 0): void {
  // scipy's 'reflect' border: index −1 reads 0 and index n reads n − 1.
  const at = (y: number, x: number) => src[offset + (y < 0 ? 0 : y >= h ? h - 1 : y) * w + (x < 0 ? 0 : x >= w ? w - 1 : x)]!;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = at(y - 1, x + 1) + 2 * at(y, x + 1) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y, x - 1) - at(y + 1, x - 1);
      const gy = at(y + 1, x - 1) + 2 * at(y + 1, x) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y - 1, x) - at(y - 1, x + 1);
      dst[dstOffset + y * w + x] = gx * gx + gy * gy > EDGE_BOUND ? 255 : 0;
    }
  }
}

/**
 * The edge maps of a grey image set, image by image as they are first asked for (`ensure(j)`), each
 * computed once per process: a run touches only the images it draws, a test only a few.
 */
export interface EdgeSet {
  /** The edge maps as an image set (image j valid once `ensure(j)` has run). */
  readonly set: ImageSet;
  ensure(j: number): void;
}

const cache = new WeakMap<ImageSet, EdgeSet>();

/** The (cached) edge maps of `set`, whose images must be grey. */
export function edgeSet(set: ImageSet): EdgeSet {
  const hit = cache.get(set);
  if (hit) return hit;
  if (set.channels !== 1) throw internalError(`edge maps are of grey images; this set has ${set.channels} channels`);
  const { n, height: h, width: w } = set;
  const pixels = new Uint8Array(n * h * w);
  const done = new Uint8Array(n);
  const edges: EdgeSet = {
    set: { n, height: h, width: w, channels: 1, pixels, ...(set.labels ? { labels: set.labels } : {}) },
    ensure(j) {
      if (done[j]) return;
      edgeMap(set.pixels, j * h * w, h, w, pixels, j * h * w);
      done[j] = 1;
    },
  };
  cache.set(set, edges);
  return edges;
}
