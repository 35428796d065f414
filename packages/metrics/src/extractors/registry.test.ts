/**
 * The open extractor registry: a custom extractor registered by name (or prefix) is what the
 * folder pipeline and `createExtractor` run; names are unique unless replaced; unknown specs list
 * every registered one.
 */
import { mkdirSync } from 'node:fs';

import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { evaluateLoaded } from '../evaluate.js';
import { fid } from '../fid.js';
import { ExtractorSession, loadInput } from '../pipeline/load-input.js';
import { RandomState } from '../random.js';
import type { FeatureExtractor } from './extractor.js';
import { createExtractor, listExtractors, parseExtractorSpec, registerExtractor, unregisterExtractor, type ExtractorOptions } from './registry.js';
import { tempDir } from '../testing/temp-dir.js';

const SIZE = 8;

/** A JS extractor: features = per-channel mean and the mean of R·G (4 numbers per image). */
function channelMeans(name: string, seen: Float32Array[]): FeatureExtractor {
  const hw = SIZE * SIZE;
  return {
    name,
    input: { height: SIZE, width: SIZE, channels: 3, layout: 'NCHW', range: [0, 1] },
    outputs: { features: 4 },
    async run(batch, n) {
      seen.push(batch.slice());
      const out = new Float32Array(n * 4);
      for (let i = 0; i < n; i++) {
        let rg = 0;
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let p = 0; p < hw; p++) s += batch[(i * 3 + c) * hw + p]!;
          out[i * 4 + c] = s / hw;
        }
        for (let p = 0; p < hw; p++) rg += batch[i * 3 * hw + p]! * batch[(i * 3 + 1) * hw + p]!;
        out[i * 4 + 3] = rg / hw;
      }
      return { features: out };
    },
    async dispose() {},
  };
}

async function writeFolder(dir: string, n: number, seed: number, bias: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const rng = new RandomState(seed);
  for (let i = 0; i < n; i++) {
    const px = Buffer.alloc(SIZE * SIZE * 3);
    for (let k = 0; k < px.length; k++) px[k] = Math.min(255, Math.floor(rng.random() * 200) + bias);
    await sharp(px, { raw: { width: SIZE, height: SIZE, channels: 3 } })
      .png()
      .toFile(join(dir, `${i}.png`));
  }
  return dir;
}

const root = tempDir('gen-eval-registry-');
let real: string;
let fake: string;
beforeAll(async () => {
  real = await writeFolder(join(root, 'real'), 12, 1, 0);
  fake = await writeFolder(join(root, 'fake'), 10, 2, 40);
});
const custom: string[] = [];
afterEach(() => {
  for (const name of custom.splice(0)) unregisterExtractor(name);
});
function register(name: string, factory: Parameters<typeof registerExtractor>[1], options?: Parameters<typeof registerExtractor>[2]): void {
  registerExtractor(name, factory, options);
  custom.push(name);
}

describe('extractor registry', () => {
  it('lists the built-ins in order, with their specs', () => {
    expect(listExtractors().map((e) => e.spec)).toEqual(['inception', 'dinov2', 'dinov2:SIZE', 'clip', 'clip:MODEL', 'mobilenet', 'onnx:PATH', 'mnist', 'fashion-mnist']);
    expect(listExtractors().every((e) => e.description.length > 0)).toBe(true);
  });

  it('runs a metric through the folder pipeline on a registered extractor', async () => {
    const seen: Float32Array[] = [];
    const given: ExtractorOptions[] = [];
    register(
      'channel-means',
      async (options) => {
        given.push(options);
        return channelMeans('channel-means@1', seen);
      },
      { description: 'per-channel means (test)' },
    );
    expect(listExtractors().at(-1)).toEqual({ name: 'channel-means', spec: 'channel-means', description: 'per-channel means (test)' });

    const session = new ExtractorSession({ extractor: 'channel-means', threads: 1, cache: false, quiet: true, workers: 0 });
    try {
      const a = await loadInput(real, session);
      const b = await loadInput(fake, session);
      expect(given).toHaveLength(1); // built once per session, with the session's options
      expect(given[0]!.threads).toBe(1);
      if (a.kind !== 'images' || b.kind !== 'images') throw new Error('expected image inputs');
      expect([a.set.n, a.set.dims, a.set.extractor, b.set.n]).toEqual([12, 4, 'channel-means@1', 10]);
      // The features are what the registered extractor computed from the batches it was given.
      const images = seen.reduce((k, s) => k + s.length / (3 * SIZE * SIZE), 0);
      expect(images).toBe(22);
      const again = channelMeans('x', []);
      const first = await again.run(seen[0]!, seen[0]!.length / (3 * SIZE * SIZE));
      expect(Array.from(a.set.features.data.subarray(0, 4))).toEqual(Array.from(first.features.subarray(0, 4)));
      const r = await evaluateLoaded(a, b, ['fid']);
      const direct = await fid(a.set.features, b.set.features);
      expect(r.result.fid).toBeCloseTo(direct.fid, 10);
      // The fake folder is 40/255 brighter: at least 3 × (40/255)² ≈ 0.074 from the channel means alone,
      // less sampling noise.
      expect(r.result.fid).toBeGreaterThan(0.05);
    } finally {
      await session.dispose();
    }
  });

  it('hands a prefix registration the rest of the spec', async () => {
    const args: string[] = [];
    register(
      'means:',
      async (_o, argument) => {
        args.push(argument);
        return channelMeans(`means@${argument}`, []);
      },
      { argument: 'TAG' },
    );
    expect(parseExtractorSpec('means:a/b c')).toEqual({ name: 'means:', argument: 'a/b c' });
    const e = await createExtractor('means:v2');
    expect([e.name, args]).toEqual(['means@v2', ['v2']]);
    expect(listExtractors().map((x) => x.spec)).toContain('means:TAG');
    expect(expectGenEvalError(() => parseExtractorSpec('means:')).message).toMatch(/^unknown extractor "means:"/);
  });

  it('refuses a taken name unless replace is set', async () => {
    const dup = expectGenEvalError(() => registerExtractor('inception', async () => channelMeans('x', [])));
    expect([dup.code, dup.message]).toEqual(['usage', 'extractor "inception" is already registered; pass `replace: true` to replace it']);
    register('mine', async () => channelMeans('first', []));
    expect(() => registerExtractor('mine', async () => channelMeans('second', []))).toThrow(/already registered/);
    registerExtractor('mine', async () => channelMeans('second', []), { replace: true });
    expect((await createExtractor('mine')).name).toBe('second');
    expect(listExtractors().filter((e) => e.name === 'mine')).toHaveLength(1);
    for (const bad of ['', 'a b', 'x:y', ':', '-x']) expect(expectGenEvalError(() => registerExtractor(bad, async () => channelMeans('x', []))).code).toBe('usage');
  });

  it('an unknown spec is one usage error listing every registered extractor', async () => {
    register('mine', async () => channelMeans('x', []));
    const err = await expectGenEvalError(createExtractor('vgg'));
    expect(err.code).toBe('usage');
    expect(err.message).toBe('unknown extractor "vgg"; choose one of: inception, dinov2, dinov2:SIZE, clip, clip:MODEL, mobilenet, onnx:PATH, mnist, fashion-mnist, mine');
  });

  it('built-ins reject options that do not apply to them, naming the option', async () => {
    const err = await expectGenEvalError(createExtractor('mnist', { weights: 'w.pth' }));
    expect([err.code, err.options, err.message]).toEqual([
      'usage',
      ['weights'],
      '`weights` applies to the inception, dinov2 and mobilenet extractors only (mnist ships its weights)',
    ]);
    const cuda = await expectGenEvalError(createExtractor('mobilenet', { executionProvider: 'cuda' }));
    expect(cuda.options).toEqual(['executionProvider']);
    const none = await expectGenEvalError(createExtractor('inception'));
    expect(none.message).toMatch(/needs its weights: a local pt_inception-2015-12-05-6726825d\.pth as `weights`, `download` to fetch/);
  });
});
