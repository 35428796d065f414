import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeStatsNpz } from '../io/npz.js';
import { FeatureCacheWriter, featureCacheKey, fileDigest, imageDigestsSha256, imageFilesSha256, loadCachedFeatures, sweepFeatureCacheTemps } from './feature-cache.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-feature-cache-');

/** A folder with the given files (name → content), every file with the same fixed mtime. */
function folder(files: Record<string, string>): { dir: string; files: { path: string; relPath: string }[] } {
  const dir = mkdtempSync(join(scratch, 'fkey-'));
  const list = Object.entries(files).map(([relPath, content]) => {
    const path = join(dir, relPath);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, 1_000_000, 1_000_000); // as `tar --mtime` or a reproducible build leaves them
    return { path, relPath };
  });
  return { dir, files: list };
}

const config = { extractor: 'inception', weightsSha256: 'abc', profile: 'pytorch-fid', outputs: ['pool3'] };

describe('featureCacheKey', () => {
  it('changes with anything that changes the numbers', async () => {
    const { files } = folder({ 'a.png': 'aaaa', 'b/c.png': 'cccc' });
    const k = await featureCacheKey({ ...config, files });
    expect(await featureCacheKey({ ...config, files })).toBe(k);
    expect(await featureCacheKey({ ...config, files: [files[0]!] })).not.toBe(k);
    expect(await featureCacheKey({ ...config, files: [files[0]!, { ...files[1]!, relPath: 'b/d.png' }] })).not.toBe(k);
    expect(await featureCacheKey({ ...config, files, extractor: 'onnx:/m.onnx' })).not.toBe(k);
    expect(await featureCacheKey({ ...config, files, weightsSha256: 'abd' })).not.toBe(k);
    expect(await featureCacheKey({ ...config, files, profile: 'clean' })).not.toBe(k);
    expect(await featureCacheKey({ ...config, files, outputs: ['pool3', 'logits'] })).not.toBe(k);
  });

  it('differs for two folders with the same names, sizes and mtimes but other bytes', async () => {
    const a = folder({ 'x.ppm': 'P6 1 1 255 \x01\x02\x03', 'y.ppm': 'same' });
    const b = folder({ 'x.ppm': 'P6 1 1 255 \x09\x08\x07', 'y.ppm': 'same' });
    expect(statSync(a.files[0]!.path).size).toBe(statSync(b.files[0]!.path).size);
    expect(statSync(a.files[0]!.path).mtimeMs).toBe(statSync(b.files[0]!.path).mtimeMs);
    expect(await featureCacheKey({ ...config, files: a.files })).not.toBe(await featureCacheKey({ ...config, files: b.files }));
  });

  it('changes when a file is edited in place and its mtime restored', async () => {
    const a = folder({ 'x.png': 'before', 'y.png': 'other' });
    const k = await featureCacheKey({ ...config, files: a.files });
    writeFileSync(a.files[0]!.path, 'after!');
    utimesSync(a.files[0]!.path, 1_000_000, 1_000_000);
    expect(await featureCacheKey({ ...config, files: a.files })).not.toBe(k);
  });

  it('is the same for a copy with new inodes and mtimes (same bytes, same numbers)', async () => {
    const a = folder({ 'x.png': 'one', 'y.png': 'two' });
    const copy = mkdtempSync(join(scratch, 'fkey-copy-'));
    cpSync(a.dir, copy, { recursive: true });
    const files = a.files.map((f) => ({ path: join(copy, f.relPath), relPath: f.relPath }));
    expect(await featureCacheKey({ ...config, files })).toBe(await featureCacheKey({ ...config, files: a.files }));
  });

  it('keys an unreadable file by its error (the decoder reports or skips it)', async () => {
    const a = folder({ 'x.png': 'one' });
    const missing = [...a.files, { path: join(a.dir, 'gone.png'), relPath: 'gone.png' }];
    const k = await featureCacheKey({ ...config, files: missing });
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(k).not.toBe(await featureCacheKey({ ...config, files: a.files }));
  });
});

describe("imageFilesSha256 (a folder's fingerprint in result files and run configs)", () => {
  it('depends on the names and bytes only: a copy elsewhere matches, an edit does not', async () => {
    const a = folder({ 'x.png': 'one', 'sub/y.png': 'two' });
    const copy = mkdtempSync(join(scratch, 'fsha-copy-'));
    cpSync(a.dir, copy, { recursive: true });
    const sha = await imageFilesSha256(a.files);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await imageFilesSha256(a.files.map((f) => ({ path: join(copy, f.relPath), relPath: f.relPath })))).toBe(sha);
    expect(await imageFilesSha256([a.files[0]!, { ...a.files[1]!, relPath: 'sub/z.png' }])).not.toBe(sha);
    writeFileSync(a.files[0]!.path, 'One');
    expect(await imageFilesSha256(a.files)).not.toBe(sha);
  });

  it("is the digests' fingerprint (what training records) and the part of the cache key that reads files", async () => {
    const a = folder({ 'x.png': 'one', 'y.png': 'two' });
    const sha = await imageFilesSha256(a.files);
    expect(imageDigestsSha256(a.files.map((f) => ({ relPath: f.relPath, sha256: fileDigest(readFileSync(f.path)) })))).toBe(sha);
    // Given the fingerprint, the key reads no file: the same key from paths that do not exist.
    const gone = a.files.map((f) => ({ ...f, path: join(a.dir, 'missing', f.relPath) }));
    expect(await featureCacheKey({ ...config, files: gone, filesSha256: sha })).toBe(await featureCacheKey({ ...config, files: a.files }));
  });
});

describe('sweepFeatureCacheTemps', () => {
  it('removes temporary entries of dead processes and old ones, keeps live ones', () => {
    const root = mkdtempSync(join(scratch, 'fcache-sweep-'));
    const host =
      hostname()
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 32) || 'host';
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // exited: its pid names no process
    const names = {
      dead: `.tmp-${host}-${dead}-0123456789abcdef-00000000`,
      live: `.tmp-${host}-${process.pid}-0123456789abcdef-11111111`,
      otherHost: `.tmp-elsewhere-${dead}-0123456789abcdef-22222222`,
      oldOtherHost: `.tmp-elsewhere-${dead}-0123456789abcdef-33333333`,
      oldUntagged: '.tmp-0123456789abcdef-44444444',
    };
    for (const n of Object.values(names)) mkdirSync(join(root, 'features', n), { recursive: true });
    mkdirSync(join(root, 'features', 'a-real-entry'));
    const twoDaysAgo = (Date.now() - 48 * 3600 * 1000) / 1000;
    utimesSync(join(root, 'features', names.oldOtherHost), twoDaysAgo, twoDaysAgo);
    utimesSync(join(root, 'features', names.oldUntagged), twoDaysAgo, twoDaysAgo);
    expect(sweepFeatureCacheTemps(root).sort()).toEqual([names.dead, names.oldOtherHost, names.oldUntagged].sort());
    expect(readdirSync(join(root, 'features')).sort()).toEqual([names.live, names.otherHost, 'a-real-entry'].sort());
  });
});

describe('feature cache entries', () => {
  it('round-trips features and logits, and is invisible until committed', () => {
    const root = mkdtempSync(join(scratch, 'fcache-'));
    const key = 'k'.repeat(64);
    const w = new FeatureCacheWriter(root, key, 2, 3);
    w.append(Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 1, 1, 2, 2, 2));
    expect(loadCachedFeatures(root, key)).toBeUndefined();
    w.commit({ extractor: 'inception' });
    const got = loadCachedFeatures(root, key)!;
    expect(got.features.rows).toBe(2);
    expect(Array.from(got.features.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(got.logits!.data)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(got.meta.extractor).toBe('inception');
    expect(readdirSync(join(root, 'features'))).toEqual([key]);
  });

  it('deletes a corrupt entry so that it is recomputed', () => {
    const root = mkdtempSync(join(scratch, 'fcache-'));
    const key = 'k'.repeat(64);
    const w = new FeatureCacheWriter(root, key, 2);
    w.append(Float32Array.of(1, 2));
    w.commit({});
    writeFileSync(join(root, 'features', key, 'features.npy'), 'garbage');
    expect(loadCachedFeatures(root, key)).toBeUndefined();
    expect(readdirSync(join(root, 'features'))).toEqual([]);
  });

  it('deletes an entry whose stats.npz is damaged when stats are asked for', () => {
    const root = mkdtempSync(join(scratch, 'fcache-'));
    const key = 's'.repeat(64);
    const w = new FeatureCacheWriter(root, key, 2);
    w.append(Float32Array.of(1, 2, 3, 4));
    w.commit({}, { 'stats.npz': encodeStatsNpz({ mu: Float64Array.of(2, 3), sigma: Float64Array.of(2, 2, 2, 2), n: 2 }) });
    const good = loadCachedFeatures(root, key, { stats: true })!;
    expect(Array.from(good.stats!.mu)).toEqual([2, 3]);
    writeFileSync(join(root, 'features', key, 'stats.npz'), 'PK\x03\x04 truncated');
    expect(loadCachedFeatures(root, key)).toBeDefined(); // features alone still load
    expect(loadCachedFeatures(root, key, { stats: true })).toBeUndefined();
    expect(readdirSync(join(root, 'features'))).toEqual([]);
  });

  it('abort leaves nothing', () => {
    const root = mkdtempSync(join(scratch, 'fcache-'));
    const w = new FeatureCacheWriter(root, 'k', 2);
    w.append(Float32Array.of(1, 2));
    w.abort();
    expect(readdirSync(join(root, 'features'))).toEqual([]);
  });
});
