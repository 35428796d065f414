/**
 * Sampling and held-out sums in chunks, so memory stays bounded whatever the number of samples,
 * with the chunk sizes samples were always drawn with (a sample must not depend on the chunking).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, TF } from '../family.js';

/** The most values (rows × dims, 16 MiB of float32) one chunk of {@link rowsInChunks} holds. */
const CHUNK_VALUES = 1 << 22;

/**
 * n × dims generated values, `rows(count)` giving the next count × dims of them, at most
 * CHUNK_VALUES values (≥ 1 row) at a time: bounded memory whatever the sample's size.
 *
 * Within that bound a chunk keeps the rows samples were always drawn with — 4 096 of 2-D data,
 * 256 of images (dims > 64; a network's activations are a multiple of its output): cgan and
 * infogan draw noise then labels/codes per chunk, the full DDPM its noise per step per chunk, so
 * another chunk size would change their samples whenever n exceeds it. Every image size trained
 * today (28, 32, 64 px; 1 or 3 channels: at most 256 × 12 288 values) keeps its 256 rows.
 */
export function rowsInChunks(n: number, dims: number, rows: (count: number) => Float32Array): Float32Array {
  const out = new Float32Array(n * dims);
  const chunk = Math.max(1, Math.min(dims > 64 ? 256 : 4096, Math.floor(CHUNK_VALUES / Math.max(dims, 1))));
  for (let start = 0; start < n; start += chunk) out.set(rows(Math.min(chunk, n - start)), start * dims);
  return out;
}

/** rowsInChunks with the rows computed as a tensor by `draw(count)` (in a tidy, then released). */
export function sampleInChunks(tf: TF, n: number, dims: number, draw: (count: number) => tfNs.Tensor): Float32Array {
  return rowsInChunks(n, dims, (count) => {
    const y = tf.tidy(() => draw(count));
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  });
}

/**
 * The sum of `partial(rows)` over `b`'s rows taken 256 at a time (a held-out image set in bounded
 * memory); `rows` is a view of the batch's samples, and `partial` returns that chunk's total.
 */
export function sumInChunks(b: Batch, partial: (rows: Batch) => number): number {
  let sum = 0;
  const chunk = 256;
  for (let start = 0; start < b.n; start += chunk) {
    const count = Math.min(chunk, b.n - start);
    sum += partial({ n: count, dims: b.dims, x: b.x.subarray(start * b.dims, (start + count) * b.dims) });
  }
  return sum;
}
