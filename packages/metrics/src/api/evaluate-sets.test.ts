import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { ExtractorSession, loadInput } from '../pipeline/load-input.js';
import type { ProgressEvent } from '../pipeline/progress.js';
import { RandomState } from '../random.js';
import { evaluate } from './evaluate-sets.js';
import { createFeatureAccumulator } from './feature-accumulator.js';
import type { ImageBatch } from './image-batch.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n random 28×28 gray images (bytes); `shift` brightens them, so the two sets differ. */
function images(n: number, seed: number, shift: number): Uint8Array {
  const rs = new RandomState(seed);
  return Uint8Array.from({ length: n * 784 }, () => Math.min(255, Math.floor(rs.random() * 200) + shift));
}

function folder(name: string, data: Uint8Array): string {
  const path = join(dir, name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
  for (let i = 0; i < data.length / 784; i++) {
    writeFileSync(join(path, `${String(i).padStart(3, '0')}.pgm`), Buffer.concat([Buffer.from('P5\n28 28\n255\n'), data.subarray(i * 784, (i + 1) * 784)]));
  }
  return path;
}

function* batches(data: Uint8Array, size: number): Generator<ImageBatch> {
  for (let s = 0; s < data.length / 784; s += size) {
    const n = Math.min(size, data.length / 784 - s);
    yield { data: data.subarray(s * 784, (s + n) * 784), n, height: 28, width: 28, channels: 1 };
  }
}

const N = 150; // > d = 128: FID takes the statistics route, as for large sets
const realImages = images(N, 1, 0);
const fakeImages = images(N, 2, 40);
const common = { extractor: 'mnist', threads: 1, cache: false } as const;

describe('evaluate({ real, fake, metrics })', () => {
  it('gives the same numbers for a folder, image batches (any split), features and statistics', async () => {
    const real = folder('real', realImages);
    const fake = folder('fake', fakeImages);
    const fromFolders = await evaluate({ ...common, real, fake, metrics: ['fid', 'kid', 'prdc'], kid: { subsetSize: 50 } });
    expect(fromFolders.result.fid).toBeGreaterThan(1);
    expect(fromFolders.inputs.real).toMatchObject({ kind: 'images', n: N });
    for (const size of [1, 17, 64]) {
      const fromBatches = await evaluate({ ...common, real: batches(realImages, size), fake: batches(fakeImages, 64), metrics: ['fid', 'kid', 'prdc'], kid: { subsetSize: 50 } });
      expect(fromBatches.result).toEqual(fromFolders.result);
    }
    // Features and statistics of the same images, from accumulators that keep them.
    const accs = await Promise.all(
      [realImages, fakeImages].map(async (data) => {
        const acc = await createFeatureAccumulator({ ...common, keepFeatures: true });
        for (const b of batches(data, 50)) await acc.update(b);
        return acc;
      }),
    );
    try {
      const [fr, ff] = accs.map((a) => a.features()!);
      const fromArrays = await evaluate({
        real: { features: fr!.data as Float32Array, n: fr!.rows, d: fr!.cols },
        fake: ff!,
        metrics: ['fid', 'kid', 'prdc'],
        kid: { subsetSize: 50 },
      });
      expect(fromArrays.result).toEqual(fromFolders.result);
      const [sr, sf] = await Promise.all(accs.map((a) => a.statistics()));
      const fromStats = await evaluate({ real: sr!, fake: sf!, metrics: ['fid'] });
      expect(fromStats.result.fid).toBe(fromFolders.result.fid);
      const fromAccs = await evaluate({ real: accs[0]!, fake: accs[1]!, metrics: ['fid', 'prdc'] });
      expect(fromAccs.result.density).toBe(fromFolders.result.density);
      // Statistics are enough for FID only: the error names the metric and the input.
      await expectGenEvalError(evaluate({ real: sr!, fake: sf!, metrics: ['fid', 'kid'] }), { code: 'usage', message: /^real: kid needs per-sample features.*statistics/ });
    } finally {
      for (const a of accs) await a.dispose();
    }
  });

  it('reports progress and warnings through callbacks, never on stderr', async () => {
    const real = folder('real-noisy', realImages.subarray(0, 20 * 784));
    writeFileSync(join(real, 'notes.txt'), 'not an image');
    const write = vi.spyOn(process.stderr, 'write');
    const warnings: string[] = [];
    const events: ProgressEvent[] = [];
    try {
      const r = await evaluate({
        ...common,
        real,
        fake: batches(fakeImages.subarray(0, 20 * 784), 8),
        metrics: ['fid'],
        onWarning: (w) => warnings.push(w),
        onProgress: (e) => events.push(e),
      });
      expect(write).not.toHaveBeenCalled();
      expect(warnings).toEqual(r.warnings);
      expect(warnings).toContain(`${real}: ignored 1 file(s) that are not images`);
      expect(events.at(-1)).toMatchObject({ phase: 'end', done: 20, total: 20 });
    } finally {
      write.mockRestore();
    }
  });

  it('stops between batches when the signal is aborted', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<ImageBatch> {
      yield* batches(realImages.subarray(0, 10 * 784), 5);
      controller.abort();
      yield* batches(realImages.subarray(10 * 784, 20 * 784), 5);
      throw new Error('not reached: the abort stops the loop');
    }
    const err = await evaluate({ ...common, real: slow(), fake: batches(fakeImages, 50), metrics: ['fid'], signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });

  it('refuses unknown metrics and malformed inputs with GenEvalErrors', async () => {
    await expect(evaluate({ real: 'x', fake: 'y', metrics: ['fid', 'nope' as 'fid'] })).rejects.toMatchObject({ code: 'usage' });
    await expect(evaluate({ real: { features: new Float32Array(5), n: 2, d: 3 }, fake: { features: new Float32Array(6), n: 2, d: 3 }, metrics: ['fid'] })).rejects.toThrow(
      /^real: features have 5 values/,
    );
    await expect(
      evaluate({ real: { mu: new Float64Array(2), sigma: Float64Array.of(1, 2, 0, 1) }, fake: { mu: new Float64Array(2), sigma: Float64Array.of(1, 0, 0, 1) }, metrics: ['fid'] }),
    ).rejects.toThrow(/^real: sigma is not symmetric/);
  });
});

describe('loadInput without a terminal', () => {
  it('gives the "ignored files" note to onWarning instead of writing it to stderr', async () => {
    const real = folder('real-ignored', realImages.subarray(0, 4 * 784));
    writeFileSync(join(real, 'readme.md'), '#');
    const notes: string[] = [];
    const session = new ExtractorSession({ ...common, onWarning: (w) => notes.push(w), onProgress: () => {} });
    const write = vi.spyOn(process.stderr, 'write');
    try {
      await loadInput(real, session);
      expect(write).not.toHaveBeenCalled();
      expect(notes).toEqual([`${real}: ignored 1 file(s) that are not images`]);
    } finally {
      write.mockRestore();
      await session.dispose();
    }
  });
});
