import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpz } from '@gen-eval/metrics';
import { readMetrics, readRunConfig, runPaths } from '@gen-eval/metrics/runs';
import { trainNew, trainResume } from './loop.js';
import { sampleRun } from './sample.js';
import type { CaptionEncoder } from '@gen-eval/metrics/conditional';
import { captionedDataset } from '../data/captioned.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { captionAttributeMetrics, judgeMetrics, textEvalReference } from './text-eval.js';

/** An encoder that embeds nothing: the attribute metrics read the captions' words only. */
const blank: CaptionEncoder = { name: 'blank', dims: 1, encode: (c) => new Float32Array(c.length) };

describe('attribute accuracy of a text run’s samples', () => {
  const data = captionedDataset('captioned-mnist', { imageSize: 28 }, blank);

  it('is 1 for held-out digits against their own captions (the ceiling), lower against other digits’ captions', () => {
    const b = data.heldOut!(200, new Rng(4));
    const own = captionAttributeMetrics(data, b.x, b.captions!);
    expect(own.attribute_accuracy).toBe(1);
    for (const a of ['thickness', 'slant', 'size']) expect(own[`attribute_accuracy_${a}`]).toBe(1);
    const shifted = [...b.captions!.slice(1), b.captions![0]!];
    const other = captionAttributeMetrics(data, b.x, shifted);
    expect(other.attribute_accuracy).toBeLessThan(0.7);
  });

  it('the judge: R-precision and text alignment of held-out digits with their own captions beat those with other digits’ captions', async () => {
    const ref = textEvalReference(data, 3)!;
    try {
      expect(ref.pool.embeddings.rows).toBe(1000);
      const b = data.heldOut!(200, new Rng(5));
      const own = await judgeMetrics(ref, b.x, b.captions!, 1);
      const shifted = await judgeMetrics(ref, b.x, [...b.captions!.slice(1), b.captions![0]!], 1);
      expect(own.r_precision).toBeGreaterThan(0.1);
      expect(own.r_precision).toBeGreaterThan(shifted.r_precision! + 0.05);
      expect(own.text_alignment).toBeGreaterThan(shifted.text_alignment!);
      expect(await judgeMetrics(ref, b.x, b.captions!, 1)).toEqual(own);
    } finally {
      await ref.judge.dispose();
    }
    expect(textEvalReference(resolveDataset('mnist'), 3)).toBeUndefined();
  });

  it('measures nothing off a captioned set', () => {
    const mnist = resolveDataset('mnist');
    expect(captionAttributeMetrics(mnist, mnist.sample(2, new Rng(1)).x, ['a one', 'a two'])).toEqual({});
  });
});

describe('a gan-cls run on captioned-mnist', () => {
  const root = mkdtempSync(join(tmpdir(), 'gen-eval-text-eval-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('records the condition metrics at each evaluation and the real images’ ceiling once in config.json', { timeout: 120_000 }, async () => {
    const out = join(root, 'run');
    const hp = { hidden: 4, latentDim: 8, textDim: 8, batchSize: 4 };
    await trainNew({ model: 'gan-cls', data: 'captioned-mnist', backend: 'wasm', hp, steps: 2, evalEvery: 2, evalSamples: 120, seed: 1, out });
    const keys = new Set(readMetrics(out).map((r) => r.metric));
    for (const k of ['class_accuracy', 'attribute_accuracy', 'attribute_accuracy_thickness', 'r_precision', 'text_alignment', 'fid']) expect(keys.has(k), k).toBe(true);
    const real = readRunConfig(out).baselines?.real;
    expect(real?.label).toMatch(/real held-out images with their own captions/);
    expect(real?.metrics.class_accuracy).toBeGreaterThan(0.9);
    expect(real?.metrics.attribute_accuracy).toBe(1);
    expect(real?.metrics.r_precision).toBeGreaterThan(0.1);
  });

  it('resumes bit for bit, and a run whose data now encodes with another encoder is refused', { timeout: 120_000 }, async () => {
    const opts = {
      model: 'gan-cls',
      data: 'captioned-mnist',
      backend: 'wasm' as const,
      hp: { hidden: 4, latentDim: 8, textDim: 8, batchSize: 4 },
      evalEvery: 2,
      evalSamples: 16,
      seed: 3,
    };
    const [split, whole] = [join(root, 'split'), join(root, 'whole')];
    await trainNew({ ...opts, steps: 2, out: split });
    await trainResume({ resume: split, steps: 4 });
    await trainNew({ ...opts, steps: 4, out: whole });
    const arrays = (dir: string) => parseNpz(readFileSync(runPaths(dir).checkpoint(4, 'npz')), 'step 4');
    expect(arrays(split)).toEqual(arrays(whole));
    // Every metric the same but the seconds it took.
    const values = (dir: string) => readMetrics(dir).map((r) => [r.step, r.metric, r.value]);
    expect(values(split)).toEqual(values(whole));
    const path = runPaths(split).config;
    writeFileSync(path, JSON.stringify({ ...readRunConfig(split), textEncoder: 'text-cond-other' }));
    await expect(sampleRun(split, { n: 2, caption: 'a one' })).rejects.toThrow(
      /records text encoder text-cond-other, but captioned-mnist now encodes captions with text-cond-mnist/,
    );
  });
});
