import { describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { expectClose } from '../testing/expect.js';
import { STATS_BLOCK_ROWS } from '../pipeline/extract-folder.js';
import { ACCUMULATOR_BLOCK_ROWS, createFeatureAccumulator, type FeatureAccumulator } from './feature-accumulator.js';

/** n random 28×28 gray images (bytes), seeded. */
function images(n: number, seed: number): Uint8Array {
  const rs = new RandomState(seed);
  return Uint8Array.from({ length: n * 784 }, () => Math.floor(rs.random() * 256));
}

async function feed(acc: FeatureAccumulator, data: Uint8Array, splits: readonly number[]): Promise<void> {
  let start = 0;
  for (const n of splits) {
    await acc.update({ data: data.subarray(start * 784, (start + n) * 784), n, height: 28, width: 28, channels: 1 });
    start += n;
  }
}

describe('FeatureAccumulator', () => {
  it('blocks statistics as the folder pipeline does', () => expect(ACCUMULATOR_BLOCK_ROWS).toBe(STATS_BLOCK_ROWS));

  it('gives the same statistics whatever the batch split, and merges to the union', async () => {
    const data = images(600, 1); // > one statistics block of 512 rows
    const one = await createFeatureAccumulator({ extractor: 'mnist', threads: 1, keepFeatures: true });
    const split = await createFeatureAccumulator({ extractor: 'mnist', threads: 1, batchSize: 7 });
    const a = await createFeatureAccumulator({ extractor: 'mnist', threads: 1, keepFeatures: true });
    const b = await createFeatureAccumulator({ extractor: 'mnist', threads: 1, keepFeatures: true });
    try {
      await feed(one, data, [600]);
      await feed(split, data, [1, 99, 300, 13, 187]);
      await feed(a, data.subarray(0, 250 * 784), [250]);
      await feed(b, data.subarray(250 * 784), [350]);
      const want = await one.statistics();
      const got = await split.statistics();
      // Same fixed blocks: bit-identical, not just close.
      expect(got.mu).toEqual(want.mu);
      expect(got.sigma).toEqual(want.sigma);
      expect(split.features()).toBeUndefined(); // statistics only unless asked
      await a.merge(b);
      const merged = await a.statistics();
      expect(merged.n).toBe(600);
      expectClose(merged.mu, want.mu, { rel: 1e-12, relTo: 'max' });
      expectClose(merged.sigma, want.sigma, { rel: 1e-12, relTo: 'max' });
      expect(a.features()!.data).toEqual(one.features()!.data);
    } finally {
      for (const acc of [one, split, a, b]) await acc.dispose();
    }
  });

  it('refuses malformed batches naming the problem', async () => {
    const acc = await createFeatureAccumulator({ extractor: 'mnist', threads: 1 });
    try {
      await expect(acc.update({ data: new Uint8Array(10), n: 1, height: 28, width: 28, channels: 1 })).rejects.toThrow(/784/);
      await expect(acc.statistics()).rejects.toThrow(/at least 2/);
    } finally {
      await acc.dispose();
    }
  });
});
