import { copyFileSync, cpSync, mkdtempSync, readdirSync, utimesSync } from 'node:fs';

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { preprocessProfile } from '../image/profiles.js';
import { extractFolder } from './extract-folder.js';
import { writeFileSync } from 'node:fs';
import { createOnnxExtractor } from '../extractors/onnx-extractor.js';
import { DataType, encodeModel } from '../onnx/proto.js';
import { TINY_CLASSES, TINY_FEATURES, TINY_SIZE, tinyExtractor } from '../testing/tiny-onnx.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-extract-folder-');

/** A tiny ONNX model whose features are NaN (Sqrt of −1 − |mean|) or overflow (huge: (|mean| + 1)·1e30, above FEATURE_MAX_ABS). */
async function brokenExtractor(kind: 'nan' | 'huge'): Promise<FeatureExtractor> {
  const nodes =
    kind === 'nan'
      ? [
          { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'] },
          { op: 'Flatten', inputs: ['p'], outputs: ['f'] },
          { op: 'Abs', inputs: ['f'], outputs: ['a'] },
          { op: 'Neg', inputs: ['a'], outputs: ['na'] },
          { op: 'Sub', inputs: ['na', 'one'], outputs: ['neg'] },
          { op: 'Sqrt', inputs: ['neg'], outputs: ['features'] },
        ]
      : [
          { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'] },
          { op: 'Flatten', inputs: ['p'], outputs: ['f'] },
          { op: 'Abs', inputs: ['f'], outputs: ['a'] },
          { op: 'Add', inputs: ['a', 'one'], outputs: ['a1'] },
          { op: 'Mul', inputs: ['a1', 'big'], outputs: ['features'] },
        ];
  const bytes = encodeModel({
    nodes,
    initializers: [
      { name: 'one', dataType: DataType.FLOAT, dims: [], data: Float32Array.of(1) },
      { name: 'big', dataType: DataType.FLOAT, dims: [], data: Float32Array.of(1e30) },
    ],
    inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 3, TINY_SIZE, TINY_SIZE] }],
    outputs: [{ name: 'features', dataType: DataType.FLOAT, dims: ['n', 3] }],
  });
  const path = join(mkdtempSync(join(scratch, 'broken-model-')), `${kind}.onnx`);
  writeFileSync(path, bytes);
  return createOnnxExtractor(path, { normalize: 'symmetric', featuresOutput: 'features' });
}

const FIXTURES = join(__dirname, '../../../../fixtures');
const profile = preprocessProfile('pytorch-fid', TINY_SIZE);
let extractor: FeatureExtractor;
let images: string;

beforeAll(async () => {
  extractor = await tinyExtractor();
  // A private copy: the cache tests touch modification times.
  images = join(mkdtempSync(join(scratch, 'imgs-')), 'images');
  cpSync(join(FIXTURES, 'images'), images, { recursive: true });
});
afterAll(() => extractor.dispose());

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('extractFolder', () => {
  it('gives the same features whatever the batch size and the number of workers', async () => {
    const a = await extractFolder(images, { extractor, profile, batchSize: 3, workers: 0, cacheRoot: null, logits: true, quiet: true });
    const b = await extractFolder(images, { extractor, profile, batchSize: 8, workers: 2, cacheRoot: null, logits: true, quiet: true });
    expect(a.n).toBeGreaterThan(20);
    expect(a.n).toBe(b.n);
    expect(a.features.cols).toBe(TINY_FEATURES);
    expect(a.logits!.cols).toBe(TINY_CLASSES);
    expect(a.ignored).toBeGreaterThan(0); // the .txt file(s) in the fixture folder
    expect(maxDiff(a.features.data, b.features.data)).toBeLessThan(1e-5);
    expect(maxDiff(a.logits!.data, b.logits!.data)).toBeLessThan(1e-5);
    expect(maxDiff(a.stats.sigma, b.stats.sigma)).toBeLessThan(1e-6);
    expect(a.fromCache || b.fromCache).toBe(false);
  });

  it("reads an unchanged folder from the cache and recomputes when a file's bytes change", async () => {
    const cacheRoot = mkdtempSync(join(scratch, 'cache-'));
    const opts = { extractor, profile, batchSize: 4, workers: 1, cacheRoot, quiet: true };
    const first = await extractFolder(images, opts);
    const second = await extractFolder(images, opts);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(Array.from(second.stats.mu)).toEqual(Array.from(first.stats.mu));
    expect(Array.from(second.features.data)).toEqual(Array.from(first.features.data));
    // The key is the files' bytes: a new mtime alone is no change, other bytes are.
    const t = new Date(Date.now() - 60_000);
    utimesSync(join(images, 'rgb-32.png'), t, t);
    expect((await extractFolder(images, opts)).fromCache).toBe(true);
    copyFileSync(join(images, 'gray-40.png'), join(images, 'rgb-32.png'));
    utimesSync(join(images, 'rgb-32.png'), t, t);
    const third = await extractFolder(images, opts);
    expect(third.fromCache).toBe(false);
    expect(readdirSync(join(cacheRoot, 'features')).filter((f) => !f.startsWith('.'))).toHaveLength(2);
  });

  it('stops on a corrupt image naming it, or skips and reports it with skipBad', async () => {
    const bad = join(FIXTURES, 'images-bad');
    const mixed = join(mkdtempSync(join(scratch, 'mixed-')), 'mixed');
    cpSync(join(FIXTURES, 'images'), mixed, { recursive: true });
    cpSync(bad, join(mixed, 'bad'), { recursive: true });
    const opts = { extractor, profile, batchSize: 4, workers: 1, cacheRoot: null, quiet: true };
    await expect(extractFolder(mixed, opts)).rejects.toThrow(/bad\/.*: cannot decode image/);
    const r = await extractFolder(mixed, { ...opts, skipBad: true });
    expect(r.skipped.length).toBeGreaterThan(0);
    expect(r.skipped[0]!.reason).toMatch(/cannot decode image/);
  });

  it('NaN or overflowing features from the extractor: exit 2 naming the first image, as for .npy inputs', async () => {
    for (const [kind, problem] of [
      ['nan', /features are not usable: NaN at column 0/],
      ['huge', /features are not usable: values overflow/],
    ] as const) {
      const broken = await brokenExtractor(kind);
      try {
        const opts = { extractor: broken, profile, batchSize: 4, workers: 0, cacheRoot: null, quiet: true };
        const err = await extractFolder(images, opts).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(Error);
        expect((err as { code?: string }).code).toBe('bad_input');
        // Sorted listing: the first image of the folder is the first whose features are bad.
        expect((err as Error).message).toMatch(new RegExp(`^${images.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/UPPER-CASE\\.PNG: `));
        expect((err as Error).message).toMatch(problem);
      } finally {
        await broken.dispose();
      }
    }
  });

  it('rejects a profile that does not fit the extractor', async () => {
    await expect(extractFolder(images, { extractor, profile: preprocessProfile('pytorch-fid', 299), batchSize: 4, workers: 0, cacheRoot: null, quiet: true })).rejects.toThrow(
      /takes 32×32 images/,
    );
  });
});
