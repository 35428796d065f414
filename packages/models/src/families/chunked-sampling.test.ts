import { describe, expect, it } from 'vitest';
import { rowsInChunks } from './chunked-sampling.js';

/** The row counts rowsInChunks asks for, and that its output is the rows in order. */
function chunks(n: number, dims: number): number[] {
  const counts: number[] = [];
  let next = 0;
  const out = rowsInChunks(n, dims, (count) => {
    counts.push(count);
    return Float32Array.from({ length: count * dims }, () => next++);
  });
  expect(out.length).toBe(n * dims);
  expect(out[out.length - 1]).toBe(n * dims - 1);
  return counts;
}

describe('rowsInChunks', () => {
  it('keeps the chunks samples were drawn with (cgan/infogan/DDPM draw per chunk): 4 096 rows of 2-D data, 256 of every trained image size', () => {
    expect(chunks(9000, 2)).toEqual([4096, 4096, 808]);
    for (const dims of [28 * 28, 32 * 32 * 3, 64 * 64, 64 * 64 * 3]) expect(chunks(600, dims)).toEqual([256, 256, 88]);
  });

  it('bounds the values per chunk (2²² floats, at least one row) whatever the dims', () => {
    expect(chunks(3, (1 << 21) + 1)).toEqual([1, 1, 1]);
    expect(chunks(5, 128 * 128 * 3)).toEqual([5]);
    expect(chunks(200, 128 * 128 * 3)).toEqual([85, 85, 30]);
  });
});
