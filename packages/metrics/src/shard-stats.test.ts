import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectClose } from './testing/expect.js';
import { GaussianAccumulator, gaussianStats } from './gaussian-stats.js';
import { RandomState } from './random.js';
import { encodeShardNpz, listingFingerprint, mergeShardFiles, readShardFile, SHARD_FORMAT, shardRange, type ShardRecord } from './shard-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'shard-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n×d rows ~ N(offset, 1). */
function sample(seed: number, n: number, d: number, offset: number) {
  const data = Float64Array.from(new RandomState(seed).normals(n * d), (v) => v + offset);
  return { rows: n, cols: d, data };
}

describe('shard ranges', () => {
  it('tile [0, N) with contiguous blocks of ⌊N/n⌋ or ⌈N/n⌉ files, in index order', () => {
    for (const [total, count] of [
      [12, 5],
      [7, 7],
      [100, 3],
      [5, 1],
      [3, 4],
    ] as const) {
      let next = 0;
      for (let index = 0; index < count; index++) {
        const { start, end } = shardRange(total, { index, count });
        expect(start).toBe(next);
        expect(end - start).toBeGreaterThanOrEqual(Math.floor(total / count));
        expect(end - start).toBeLessThanOrEqual(Math.ceil(total / count));
        next = end;
      }
      expect(next).toBe(total);
    }
    expect(() => shardRange(10, { index: 2, count: 2 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });

  it('fingerprints the sorted listing by path and size (not times)', () => {
    const files = [
      { relPath: 'a.png', size: 10 },
      { relPath: 'b/c.png', size: 20 },
    ];
    const f = listingFingerprint(files);
    expect(f).toMatch(/^[0-9a-f]{64}$/);
    expect(listingFingerprint([...files])).toBe(f);
    expect(listingFingerprint([files[0]!, { relPath: 'b/c.png', size: 21 }])).not.toBe(f);
    expect(listingFingerprint([files[0]!])).not.toBe(f);
    // Separators keep path/size pairs apart: "a.png" size 10 ≠ "a.png\x001" size 0.
    expect(listingFingerprint([{ relPath: 'a.png1', size: 0 }])).not.toBe(listingFingerprint([{ relPath: 'a.png', size: 10 }]));
  });
});

describe('mergeable Gaussian state', () => {
  it('state() → fromState() → merge equals accumulating every row at once (1e-12), even far from 0', async () => {
    for (const offset of [0, 100]) {
      const d = 6;
      const x = sample(3, 90, d, offset);
      const cut = [0, 17, 50, 90];
      const states = [];
      for (let k = 0; k < 3; k++) {
        const part = { rows: cut[k + 1]! - cut[k]!, cols: d, data: x.data.subarray(cut[k]! * d, cut[k + 1]! * d) };
        states.push((await new GaussianAccumulator(d).add(part)).state());
      }
      const merged = states.reduce((acc, s) => acc.merge(GaussianAccumulator.fromState(s)), new GaussianAccumulator(d)).result();
      const once = await gaussianStats(x);
      expect(merged.n).toBe(90);
      expectClose(merged.mu, once.mu, { rel: 1e-12, relTo: 'max' });
      expectClose(merged.sigma, once.sigma, { rel: 1e-12, relTo: 'max' });
    }
    const empty = new GaussianAccumulator(3).state();
    expect(empty.n).toBe(0);
    expect(GaussianAccumulator.fromState(empty).count).toBe(0);
  });
});

describe('shard files', () => {
  const record = (index: number, count: number, total: number, extra: Partial<ShardRecord> = {}): ShardRecord => ({
    format: SHARD_FORMAT,
    index,
    count,
    ...shardRange(total, { index, count }),
    total_files: total,
    fingerprint: 'f'.repeat(64),
    extractor: 'test@00000000:4',
    dims: 4,
    profile: { name: 'pytorch-fid' },
    skipped: 0,
    source: 'x',
    ...extra,
  });

  it('round-trip, merge exactly, and refuse a record whose count does not match its stats', async () => {
    const x = sample(9, 40, 4, 2);
    const paths = [0, 1, 2].map((i) => {
      const { start, end } = shardRange(40, { index: i, count: 3 });
      return { i, start, end, path: join(dir, `p${i}.npz`) };
    });
    for (const p of paths) {
      const s = await gaussianStats({ rows: p.end - p.start, cols: 4, data: x.data.subarray(p.start * 4, p.end * 4) });
      writeFileSync(p.path, encodeShardNpz(s, record(p.i, 3, 40)));
    }
    expect(readShardFile(paths[1]!.path).record).toMatchObject({ index: 1, start: 13, end: 26 });
    const merged = mergeShardFiles(paths.map((p) => p.path).reverse());
    const once = await gaussianStats(x);
    expect(merged.shards.map((s) => s.record.index)).toEqual([0, 1, 2]);
    expectClose(merged.stats.mu, once.mu, { rel: 1e-12, relTo: 'max' });
    expectClose(merged.stats.sigma, once.sigma, { rel: 1e-12, relTo: 'max' });
    // A record claiming another block than its statistics' sample count is not trusted.
    const lying = join(dir, 'lying.npz');
    writeFileSync(lying, encodeShardNpz(await gaussianStats(sample(1, 5, 4, 0)), record(0, 3, 40)));
    expect(() => readShardFile(lying)).toThrow(/"num_samples" is 5 but the shard holds 13 images/);
  });
});
