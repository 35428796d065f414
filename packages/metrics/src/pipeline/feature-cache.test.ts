import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureCacheWriter, featureCacheKey, loadCachedFeatures } from './feature-cache.js';

const base = {
  files: [{ path: 'a.png', size: 10, mtimeMs: 1000 }, { path: 'b/c.png', size: 20, mtimeMs: 2000 }],
  extractor: 'inception',
  weightsSha256: 'abc',
  profile: 'pytorch-fid',
  outputs: ['pool3'],
};

describe('featureCacheKey', () => {
  it('changes with anything that changes the numbers', () => {
    const k = featureCacheKey(base);
    expect(featureCacheKey({ ...base })).toBe(k);
    expect(featureCacheKey({ ...base, files: [base.files[0]!, { ...base.files[1]!, mtimeMs: 2001 }] })).not.toBe(k);
    expect(featureCacheKey({ ...base, files: [base.files[0]!, { ...base.files[1]!, size: 21 }] })).not.toBe(k);
    expect(featureCacheKey({ ...base, files: [base.files[0]!] })).not.toBe(k);
    expect(featureCacheKey({ ...base, extractor: 'onnx:/m.onnx' })).not.toBe(k);
    expect(featureCacheKey({ ...base, weightsSha256: 'abd' })).not.toBe(k);
    expect(featureCacheKey({ ...base, profile: 'clean' })).not.toBe(k);
    expect(featureCacheKey({ ...base, outputs: ['pool3', 'logits'] })).not.toBe(k);
  });
});

describe('feature cache entries', () => {
  it('round-trips features and logits, and is invisible until committed', () => {
    const root = mkdtempSync(join(tmpdir(), 'fcache-'));
    const key = featureCacheKey(base);
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
    const root = mkdtempSync(join(tmpdir(), 'fcache-'));
    const key = featureCacheKey(base);
    const w = new FeatureCacheWriter(root, key, 2);
    w.append(Float32Array.of(1, 2));
    w.commit({});
    writeFileSync(join(root, 'features', key, 'features.npy'), 'garbage');
    expect(loadCachedFeatures(root, key)).toBeUndefined();
    expect(readdirSync(join(root, 'features'))).toEqual([]);
  });

  it('abort leaves nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'fcache-'));
    const w = new FeatureCacheWriter(root, 'k', 2);
    w.append(Float32Array.of(1, 2));
    w.abort();
    expect(readdirSync(join(root, 'features'))).toEqual([]);
  });
});
