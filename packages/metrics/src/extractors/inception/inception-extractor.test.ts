/**
 * End-to-end check of the FID Inception against an independent PyTorch float64 implementation
 * (fixtures/scripts/gen_inception.py): seeded synthetic weights are rebuilt here bit-exactly,
 * written as a legacy .pth, read back, turned into an ONNX graph and run on onnxruntime.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy } from '../../io/npy.js';
import { RandomState } from '../../random.js';
import { createExtractor } from '../registry.js';
import { encodeLegacyPth } from '../torch/pth-writer.js';
import { INCEPTION_WEIGHTS } from './architecture.js';
import { buildInceptionModel, createInceptionExtractor } from './inception-extractor.js';
import { syntheticInceptionStateDict } from './synthetic.js';
import { readInceptionWeights, type InceptionWeights } from './weights.js';
import { expectClose } from '../../testing/expect.js';

const GOLDEN = new URL('../../../../../fixtures/golden/inception/', import.meta.url).pathname;

interface Reference {
  seed: number;
  images: { seed_a: number; seed_b: number; per_set: number; amplitude_a: number; amplitude_b: number };
  fid: Record<string, { fid: number }>;
  keys: { name: string; shape: number[]; dtype: string; sha256: string }[];
}

/** The fixture script's images: ((U[0,1) · 2 − 1) · amplitude) rounded to float32. */
function images(seed: number, n: number, amplitude: number): Float32Array {
  const rs = new RandomState(seed);
  const out = new Float32Array(n * 3 * 299 * 299);
  for (let i = 0; i < out.length; i++) out[i] = (rs.random() * 2 - 1) * amplitude;
  return out;
}

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (test-only helper). */
function symmetricEigenvalues(m: Float64Array, n: number): number[] {
  const a = Float64Array.from(m);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]!);
}

/** Exact FID for n < d (as the fixture script): tr √(Σ1Σ2) = ‖Ac·Bcᵀ‖_* / √((n1−1)(n2−1)). */
function fidLowRank(x: Float32Array, y: Float32Array, n: number, d: number): number {
  const center = (m: Float32Array) => {
    const mu = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j]! += m[i * d + j]! / n;
    const c = Float64Array.from(m, (v, k) => v - mu[k % d]!);
    return { mu, c };
  };
  const a = center(x);
  const b = center(y);
  let trace = 0;
  let meanDist = 0;
  for (let j = 0; j < d; j++) meanDist += (a.mu[j]! - b.mu[j]!) ** 2;
  for (let k = 0; k < n * d; k++) trace += (a.c[k]! ** 2 + b.c[k]! ** 2) / (n - 1);
  const m = new Float64Array(n * n); // Ac·Bcᵀ
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < d; k++) m[i * n + j]! += a.c[i * d + k]! * b.c[j * d + k]!;
  const mtm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) mtm[i * n + j]! += m[k * n + i]! * m[k * n + j]!;
  const nuclear = symmetricEigenvalues(mtm, n).reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
  return meanDist + trace - (2 * nuclear) / (n - 1);
}

describe('pytorch-fid Inception on onnxruntime (synthetic weights vs PyTorch float64)', () => {
  let ref: Reference;
  let dir: string;
  let weights: InceptionWeights;
  let batch: Float32Array;
  const n = 4;

  beforeAll(async () => {
    ref = (await import('../../../../../fixtures/golden/inception/reference.json', { with: { type: 'json' } })).default;
    dir = mkdtempSync(join(tmpdir(), 'gen-eval-inception-'));
    const sd = syntheticInceptionStateDict(ref.seed);
    // Every generated tensor is bit-identical to the fixture script's (per-tensor SHA-256).
    expect([...sd.keys()]).toEqual(ref.keys.map((k) => k.name));
    ref.keys.forEach((k) => {
      const t = sd.get(k.name)!;
      expect(t.shape, k.name).toEqual(k.shape);
      expect(t.dtype, k.name).toBe(k.dtype);
      const raw = t.dtype === 'int64' ? BigInt64Array.from(t.data, (v) => BigInt(v)) : t.data;
      expect(createHash('sha256').update(raw).digest('hex').slice(0, 16), k.name).toBe(k.sha256);
    });
    const file = join(dir, 'pt_inception-synthetic.pth');
    writeFileSync(file, encodeLegacyPth(sd));
    weights = readInceptionWeights(file);
    for (const [key, t] of sd) expect(Buffer.from(weights.stateDict.get(key)!.data.buffer).equals(Buffer.from(t.data.buffer)), key).toBe(true);
    batch = new Float32Array(2 * n * 3 * 299 * 299);
    batch.set(images(ref.images.seed_a, n, ref.images.amplitude_a));
    batch.set(images(ref.images.seed_b, n, ref.images.amplitude_b), n * 3 * 299 * 299);
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('the architecture table names exactly the keys and shapes of the independent PyTorch model', () => {
    const shapes = new Map(ref.keys.map((k) => [k.name, k.shape]));
    for (const w of INCEPTION_WEIGHTS) expect(shapes.get(w.key), w.key).toEqual(w.shape);
    // Everything else in the state dict is a batch counter or the (unused) fc.bias.
    const needed = new Set(INCEPTION_WEIGHTS.map((w) => w.key));
    expect(ref.keys.filter((k) => !needed.has(k.name)).every((k) => /num_batches_tracked$|^fc\.bias$/.test(k.name))).toBe(true);
  });

  it('pool3 features, unbiased logits and FID agree with the reference to 1e-4 relative', async () => {
    const model = buildInceptionModel(weights, { dims: 2048, logits: true });
    expect(model.weightsSha256).toBe(weights.sha256);
    const ex = await createInceptionExtractor(model, { maxBatch: 8 });
    try {
      expect(ex.name).toBe(`inception@${weights.sha256.slice(0, 8)}:2048`);
      expect(ex.outputs).toEqual({ features: 2048, logits: 1008 });
      const out = await ex.run(batch, 2 * n);
      const pool3 = readNpy(join(GOLDEN, 'features-2048.npy'));
      const logits = readNpy(join(GOLDEN, 'logits.npy'));
      expectClose(out.features, pool3.data as Float64Array, { rel: 1e-4, relTo: 'max' });
      expectClose(out.logits!, logits.data as Float64Array, { rel: 1e-4, relTo: 'max' });
      const d = 2048;
      const fid = fidLowRank(out.features.subarray(0, n * d), out.features.subarray(n * d), n, d);
      expect(Math.abs(fid - ref.fid['2048']!.fid) / ref.fid['2048']!.fid).toBeLessThan(1e-4);
    } finally {
      await ex.dispose();
    }
  });

  it.each([64, 192, 768] as const)('the %i-d block (spatially averaged) agrees to 1e-4 relative', async (dims) => {
    const ex = await createInceptionExtractor(buildInceptionModel(weights, { dims }));
    try {
      expect(ex.outputs).toEqual({ features: dims });
      // 768 needs most of the network: two images keep the test quick.
      const k = dims === 768 ? 2 : 2 * n;
      const out = await ex.run(batch.subarray(0, k * 3 * 299 * 299), k);
      const golden = readNpy(join(GOLDEN, `features-${dims}.npy`)).data as Float64Array;
      expectClose(out.features, golden.subarray(0, k * dims), { rel: 1e-4, relTo: 'max' });
      if (dims === 64) {
        const fid = fidLowRank(out.features.subarray(0, n * dims), out.features.subarray(n * dims), n, dims);
        expect(Math.abs(fid - ref.fid['64']!.fid) / ref.fid['64']!.fid).toBeLessThan(1e-4);
      }
    } finally {
      await ex.dispose();
    }
  });

  it('results are bit-identical however the images are split into calls and whatever the thread count', async () => {
    const model = buildInceptionModel(weights, { dims: 192 });
    const whole = await createExtractor('inception', { model, maxBatch: 8, threads: 2 });
    const split = await createInceptionExtractor(model, { maxBatch: 3, threads: 1 });
    try {
      const a = await whole.run(batch, 2 * n);
      const b = await split.run(batch, 2 * n);
      expect(Buffer.from(b.features.buffer).equals(Buffer.from(a.features.buffer))).toBe(true);
      await expect(whole.run(batch.subarray(1), 2 * n)).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'internal' }));
    } finally {
      await whole.dispose();
      await split.dispose();
    }
  });
});
