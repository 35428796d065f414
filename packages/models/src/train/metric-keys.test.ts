import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMetric } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../families/index.js';
import { trainNew } from './loop.js';
import { readMetrics, readRunConfig } from '@gen-eval/metrics/runs';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-metric-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('training metrics are in the metric table', () => {
  // Two steps of every family on its default 2-D data: every loss and evaluation key it writes to
  // metrics.jsonl must be a built-in key of metric-table.ts or one the family itself declares (its
  // `metrics`, recorded in config.json), or the report cannot rank or label it.
  it.each(FAMILIES.map((f) => f.name))('%s', async (model) => {
    const family = FAMILIES.find((f) => f.name === model)!;
    const out = join(root, model);
    await trainNew({
      model,
      backend: 'wasm',
      hp: { hidden: 8, batchSize: 16, ...(['ddpm', 'flow', 'cyclegan', 'pix2pix', 'srgan'].includes(model) ? {} : { latentDim: 4 }) },
      steps: 2,
      evalEvery: 2,
      evalSamples: 32,
      seed: 1,
      out,
    });
    const keys = [...new Set(readMetrics(out).map((r) => r.metric))];
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys)
      expect(isMetric(k) || Object.hasOwn(family.metrics, k), `${model} writes "${k}", which neither metric-table.ts nor the family's metrics declare`).toBe(true);
    // Declared keys are the family's own: none shadows a built-in metric.
    for (const k of Object.keys(family.metrics)) expect(isMetric(k), `${model} declares built-in "${k}"`).toBe(false);
    expect(readRunConfig(out).metrics).toEqual(JSON.parse(JSON.stringify(family.metrics)));
  });
});
