/**
 * End to end, image files to metrics, against an independent PyTorch pipeline
 * (fixtures/scripts/gen_e2e.py): two small folders (fixtures/e2e-images/a, b) are decoded, resized
 * and run through the FID Inception with seeded synthetic weights — rebuilt here bit-exactly and
 * written as a legacy .pth, so the real weight-loading path runs — and the per-image features,
 * logits, FID and the other metrics must equal Python's float64 reference.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLoaded } from '../evaluate.js';
import { syntheticInceptionStateDict } from '../extractors/inception/synthetic.js';
import { encodeLegacyPth } from '../extractors/torch/pth-writer.js';
import { fid } from '../fid.js';
import { preprocessProfile, type ProfileName } from '../image/profiles.js';
import { readNpy } from '../io/npy.js';
import { extractFolder, type ExtractedSet } from './extract-folder.js';
import { ExtractorSession, fidInputOf, loadInput, type LoadedInput } from './load-input.js';
import { expectClose } from '../testing/expect.js';

const FIXTURES = new URL('../../../../fixtures/', import.meta.url).pathname;
const GOLDEN = join(FIXTURES, 'golden/e2e');
const A = join(FIXTURES, 'e2e-images/a');
const B = join(FIXTURES, 'e2e-images/b');

interface Reference {
  weights_seed: number;
  sets: Record<'a' | 'b', { path: string; sha256: string }[]>;
  profiles: Record<ProfileName, { features: string; logits: string; fid: number }>;
  metrics: {
    fid: number;
    is: { splits: number; mean: number; std: number };
    kid: { subset_size: number; mean: number };
    pr: { k: number; precision: number; recall: number };
    prdc: { k: number; precision: number; recall: number; density: number; coverage: number };
  };
}
const ref = JSON.parse(readFileSync(join(GOLDEN, 'reference.json'), 'utf8')) as Reference;

/** Rows [from, from + n) of a golden .npy. */
function goldenRows(file: string, from: number, n: number): Float32Array {
  const g = readNpy(join(GOLDEN, file));
  const d = g.shape[1]!;
  return (g.data as Float32Array).subarray(from * d, (from + n) * d);
}

const images = (x: LoadedInput): ExtractedSet => {
  if (x.kind !== 'images') throw new Error(`${x.path} was not read as an image folder`);
  return x.set;
};

let dir: string;
let weights: string;
let session: ExtractorSession;
let a: LoadedInput;
let b: LoadedInput;
const savedCache = process.env.GEN_EVAL_CACHE;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gen-eval-e2e-'));
  process.env.GEN_EVAL_CACHE = join(dir, 'cache');
  mkdirSync(process.env.GEN_EVAL_CACHE);
  weights = join(dir, 'synthetic-inception.pth');
  writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(ref.weights_seed)));
  session = new ExtractorSession({ weights, batchSize: 4, workers: 1, quiet: true });
  a = await loadInput(A, session);
  b = await loadInput(B, session);
});

afterAll(async () => {
  await session?.dispose();
  if (savedCache === undefined) delete process.env.GEN_EVAL_CACHE;
  else process.env.GEN_EVAL_CACHE = savedCache;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('image folders → synthetic pytorch-fid Inception → metrics, vs the PyTorch reference', () => {
  it('reads the fixture images that the reference was made from', () => {
    for (const sub of ['a', 'b'] as const) {
      const folder = sub === 'a' ? A : B;
      expect(readdirSync(folder).sort()).toEqual(ref.sets[sub].map((f) => f.path));
      for (const f of ref.sets[sub]) {
        expect(
          createHash('sha256')
            .update(readFileSync(join(folder, f.path)))
            .digest('hex'),
          f.path,
        ).toBe(f.sha256);
      }
    }
  });

  it('per-image pool3 features and unbiased logits match to 1e-4 relative, in listing order', () => {
    const [sa, sb] = [images(a), images(b)];
    expect([sa.n, sb.n]).toEqual([6, 6]);
    expect(sa.dims).toBe(2048);
    expect(sa.extractor).toMatch(/^inception@[0-9a-f]{8}:2048$/);
    expect(sa.profile.name).toBe('pytorch-fid');
    for (const [set, from] of [
      [sa, 0],
      [sb, 6],
    ] as const) {
      expectClose(set.features.data, goldenRows('pytorch-fid-features.npy', from, 6), { rel: 1e-4, relTo: 'max' });
      expectClose(set.logits!.data, goldenRows('pytorch-fid-logits.npy', from, 6), { rel: 1e-4, relTo: 'max' });
    }
    // The weights are not pytorch-fid's, and the user is told so.
    const notes = a.kind === 'images' ? a.warnings : [];
    expect(notes.some((w) => w.includes(weights) && /not pytorch-fid's/.test(w))).toBe(true);
  });

  it('FID equals the exact float64 reference to 1e-4 relative, from features or from streamed stats', async () => {
    const r = await fid(fidInputOf(a), fidInputOf(b));
    expect(r.method).toBe('low-rank'); // 6 images < 2048 dims
    expectClose(r.fid, ref.profiles['pytorch-fid'].fid, { rel: 1e-4 });
    // The streamed statistics of a/ (what `stats` saves) against b/'s features: the same value.
    const s = await fid({ mu: images(a).stats.mu, sigma: images(a).stats.sigma, n: 6 }, fidInputOf(b));
    expectClose(s.fid, r.fid, { rel: 1e-9 });
  });

  it('IS, KID, precision/recall and PRDC from the same pass equal the reference', async () => {
    const m = ref.metrics;
    const { result } = await evaluateLoaded(a, b, ['fid', 'kid', 'is', 'pr', 'prdc'], {
      isSplits: m.is.splits,
      kidSubsetSize: m.kid.subset_size,
      kidSubsets: 3,
      prK: m.pr.k,
      prdcK: m.prdc.k,
    });
    expectClose(result.fid!, m.fid, { rel: 1e-4 });
    // IS ≈ 1 + small KL (synthetic logits): compare the KL-sized part absolutely.
    expect(Math.abs(result.is_mean! - m.is.mean)).toBeLessThan(1e-6);
    expect(Math.abs(result.is_std! - m.is.std)).toBeLessThan(1e-6);
    // Subsets of size n are the whole sets permuted: every subset gives the full-set MMD².
    expectClose(result.kid_mean!, m.kid.mean, { rel: 1e-4 });
    expect(result.kid_std!).toBeLessThan(1e-9 * m.kid.mean);
    // Counts: the reference's distances are ≥ 0.6 % from every radius, far beyond float32 noise.
    expect([result.precision, result.recall]).toEqual([m.pr.precision, m.pr.recall]);
    const prdcGot = [result.prdc_precision!, result.prdc_recall!, result.density!, result.coverage!];
    const prdcWant = [m.prdc.precision, m.prdc.recall, m.prdc.density, m.prdc.coverage];
    prdcGot.forEach((v, i) => expect(Math.abs(v - prdcWant[i]!)).toBeLessThan(1e-12)); // same counts; /k vs /(k·n) rounding
  });

  it('gives the same features whatever the batch size and the number of decode workers (property)', async () => {
    const { extractor } = await session.get();
    const profile = preprocessProfile('pytorch-fid', 299);
    // Each run extracts six images (~0.5 s): a handful of random settings per test run.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 }), fc.boolean(), async (batchSize, workers, useA) => {
        const [folder, first] = useA ? [A, images(a)] : [B, images(b)];
        const other = await extractFolder(folder, { extractor, profile, batchSize, workers, cacheRoot: null, logits: true, quiet: true });
        expect(other.fromCache).toBe(false);
        expectClose(other.features.data, first.features.data, { rel: 1e-5, relTo: 'max' });
        expectClose(other.logits!.data, first.logits!.data, { rel: 1e-5, relTo: 'max' });
        expectClose(other.stats.sigma, first.stats.sigma, { rel: 1e-5, relTo: 'max' });
        // onnxruntime's CPU kernels give the same bits for any batch split, and the statistics are
        // accumulated in fixed row blocks (not per batch): so they are bit-identical too.
        expect(Buffer.from(other.features.data.buffer).equals(Buffer.from(first.features.data.buffer))).toBe(true);
        expect(Buffer.from(other.stats.sigma.buffer).equals(Buffer.from(first.stats.sigma.buffer))).toBe(true);
      }),
      { numRuns: 4 },
    );
  });

  it('a second run reuses the cached model and features, with identical numbers', async () => {
    const models = readdirSync(join(process.env.GEN_EVAL_CACHE!, 'models'));
    expect(models.filter((m) => m.endsWith('.onnx'))).toHaveLength(1); // and its .sha256
    const again = new ExtractorSession({ weights, batchSize: 4, workers: 1, quiet: true });
    try {
      const a2 = images(await loadInput(A, again));
      const b2 = images(await loadInput(B, again));
      expect([a2.fromCache, b2.fromCache]).toEqual([true, true]);
      expect([images(a).fromCache, images(b).fromCache]).toEqual([false, false]);
      for (const [x, y] of [
        [a2, images(a)],
        [b2, images(b)],
      ] as const) {
        expect(Buffer.from(x.features.data.buffer).equals(Buffer.from(y.features.data.buffer))).toBe(true);
        expect(Buffer.from(x.logits!.data.buffer).equals(Buffer.from(y.logits!.data.buffer))).toBe(true);
        expect(Array.from(x.stats.mu)).toEqual(Array.from(y.stats.mu));
      }
      expect(readdirSync(join(process.env.GEN_EVAL_CACHE!, 'models'))).toEqual(models);
    } finally {
      await again.dispose();
    }
  });

  it('the clean profile (Pillow bicubic, (x−128)/128) matches its reference too', async () => {
    const entries = () => readdirSync(join(process.env.GEN_EVAL_CACHE!, 'features')).length;
    const before = entries();
    const clean = new ExtractorSession({ weights, profile: 'clean', batchSize: 6, workers: 1, cache: false, quiet: true });
    try {
      const ca = images(await loadInput(A, clean));
      const cb = images(await loadInput(B, clean));
      expect(ca.profile.name).toBe('clean');
      expectClose(ca.features.data, goldenRows('clean-features.npy', 0, 6), { rel: 1e-4, relTo: 'max' });
      expectClose(cb.features.data, goldenRows('clean-features.npy', 6, 6), { rel: 1e-4, relTo: 'max' });
      expectClose(cb.logits!.data, goldenRows('clean-logits.npy', 6, 6), { rel: 1e-4, relTo: 'max' });
      const r = await fid(ca.features, cb.features);
      // FID is a pure function of its inputs: a second call gives the same bits (were it to differ,
      // the failure shows both values and the terms, telling a wrong computation from wrong inputs).
      const again = await fid(ca.features, cb.features);
      expect(again.fid, `first terms ${JSON.stringify(r.terms)}, then ${JSON.stringify(again.terms)}`).toBe(r.fid);
      expectClose(r.fid, ref.profiles.clean.fid, { rel: 1e-4 });
      // The two profiles really differ (the test would notice a profile that is ignored).
      const other = ref.profiles['pytorch-fid'].fid;
      expect(Math.abs(r.fid - other) / Math.abs(other)).toBeGreaterThan(0.1);
      expect(entries()).toBe(before); // cache: false writes nothing
    } finally {
      await clean.dispose();
    }
  });
});
