/**
 * The training loop on image data: data options and image defaults in config.json, FID/KID/IS in
 * metrics.jsonl, the sample grid PNG, bit-exact resume, and bad image options. Tiny settings
 * (28 px, width 8, batch 4, 20 evaluation samples): the loop is under test, not the models.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '@gen-eval/metrics/images';
import { parseNpz, readNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDataset } from '../data/datasets.js';
import { writeSamplePngs } from '../data/png.js';
import { findFamily } from '../families/index.js';
import { Rng } from '../rng.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { trainNew, trainResume, type TrainEvent } from './loop.js';
import { readMetrics, readRunConfig, runPaths } from '@gen-eval/metrics/runs';
import { planNewRun } from './setup.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-image-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = { model: 'ns-gan', data: 'mnist', backend: 'wasm' as const, hp: { hidden: 8, batchSize: 4 }, evalEvery: 2, evalSamples: 20, seed: 1 };
const npz = (dir: string, step: number) => parseNpz(readFileSync(runPaths(dir).checkpoint(step, 'npz')), 'ck');
const values = (dir: string) => readMetrics(dir).map((r) => [r.step, r.metric, r.value]);

describe('image runs', () => {
  it('record the data options and image defaults, evaluate with FID/KID/IS and write a grid PNG', async () => {
    const out = join(root, 'fresh');
    const events: TrainEvent[] = [];
    const summary = await trainNew({ ...tiny, steps: 3, out }, { onEvent: (e) => events.push(e) });
    const config = readRunConfig(out);
    expect(config.data).toEqual({ name: 'mnist', imageSize: 28 });
    expect(config.evalSamples).toBe(20);
    expect(config.evalReal).toBe(40);
    // The family's image defaults under the user's --hp.
    const family = findFamily('ns-gan')!;
    expect(config.hp).toMatchObject({ ...schemaDefaults(family.hyperParams, 'images'), hidden: 8, batchSize: 4 });
    expect([...new Set(readMetrics(out).map((r) => r.step))]).toEqual([2, 3]);
    const metrics = new Set(readMetrics(out).map((r) => r.metric));
    for (const m of ['d_loss', 'g_loss', 'fid', 'kid_mean', 'kid_std', 'is_mean', 'is_std']) expect(metrics).toContain(m);
    expect(metrics).not.toContain('sliced_w');
    expect(Object.keys(summary.metrics)).toContain('fid');
    expect(readdirSync(runPaths(out).samples).sort()).toEqual(['step-0000002.npy', 'step-0000002.png', 'step-0000003.npy', 'step-0000003.png']);
    expect(readNpy(runPaths(out).sample(3)).shape).toEqual([20, 28, 28, 1]);
    // 20 samples: a 5 × 4 grid of 28-px images with 2 px of padding.
    const grid = await decodeImageFile(runPaths(out).grid(3));
    expect([grid.width, grid.height]).toEqual([5 * 30 + 2, 4 * 30 + 2]);
    expect(events[0]).toMatchObject({ type: 'start', notes: [] });
  });

  it('a run stopped mid-interval and resumed equals the uninterrupted run (metrics, samples, grid)', async () => {
    const whole = join(root, 'whole');
    const split = join(root, 'split');
    await trainNew({ ...tiny, steps: 5, out: whole });
    const ctl = new AbortController();
    const first = await trainNew({ ...tiny, steps: 5, out: split }, { signal: ctl.signal, onEvent: (e) => e.type === 'step' && e.step === 3 && ctl.abort() });
    expect(first).toMatchObject({ interrupted: true, steps: 3 });
    await trainResume({ resume: split });
    expect(values(split)).toEqual(values(whole));
    const [w, s] = [npz(whole, 5), npz(split, 5)];
    expect(Object.keys(s).sort()).toEqual(Object.keys(w).sort());
    for (const k of Object.keys(w)) expect(s[k]!.data, k).toEqual(w[k]!.data);
    expect(readNpy(runPaths(split).sample(5)).data).toEqual(readNpy(runPaths(whole).sample(5)).data);
    expect(readFileSync(runPaths(split).grid(5))).toEqual(readFileSync(runPaths(whole).grid(5)));
    expect(readRunConfig(split).data).toEqual(readRunConfig(whole).data);
  });

  it('stacked-mnist at 32 px counts its 1 000 modes', async () => {
    const out = join(root, 'stacked');
    await trainNew({ ...tiny, data: 'stacked-mnist', imageSize: 32, steps: 1, out });
    expect(readRunConfig(out).data).toEqual({ name: 'stacked-mnist', imageSize: 32 });
    expect(readNpy(runPaths(out).sample(1)).shape).toEqual([20, 32, 32, 3]);
    const m = Object.fromEntries(readMetrics(out).map((r) => [r.metric, r.value]));
    expect(m.modes_covered).toBeGreaterThanOrEqual(1);
    expect(m.modes_covered).toBeLessThanOrEqual(20);
    expect(m).toHaveProperty('reverse_kl');
    expect(m).toHaveProperty('fid');
  });

  it('an image folder trains without FID, saying so and that its images were resized', async () => {
    const dir = join(root, 'digits');
    const x = resolveDataset('mnist', { imageSize: 32 }).sample(6, new Rng(2)).x;
    await writeSamplePngs(dir, x, { height: 32, width: 32, channels: 1 });
    const out = join(root, 'folder-run');
    const events: TrainEvent[] = [];
    await trainNew({ ...tiny, data: dir, imageSize: 28, steps: 1, out }, { onEvent: (e) => events.push(e) });
    const start = events[0] as Extract<TrainEvent, { type: 'start' }>;
    expect(start.notes.join('\n')).toMatch(/resized to 28×28/);
    expect(start.notes.join('\n')).toMatch(/no FID/);
    expect(readRunConfig(out).data).toMatchObject({ name: dir, imageSize: 28, channels: 1 });
    expect(readRunConfig(out).evalReal).toBe(0);
    expect(
      readMetrics(out)
        .map((r) => r.metric)
        .sort(),
    ).toEqual(['d_loss', 'g_loss']);
    // Resume reads the folder again at the recorded size and checks it is unchanged.
    await expect(trainResume({ resume: out, steps: 2, imageSize: 32 })).rejects.toThrow(`${out}: \`imageSize\` 32 contradicts the run's config (28)`);
    await trainResume({ resume: out, steps: 2 });
    expect(readNpy(runPaths(out).sample(2)).shape).toEqual([20, 28, 28, 1]);
    writeFileSync(join(dir, 'extra.png'), readFileSync(join(dir, '000000.png')));
    await expect(trainResume({ resume: out, steps: 3 })).rejects.toThrow(/has changed since the run started/);
  });

  it('bad image options fail before anything is written', async () => {
    const out = join(root, 'never');
    const plan = (o: Record<string, unknown>) => planNewRun({ ...tiny, out, ...o });
    await expect(plan({ imageSize: 30 })).rejects.toThrow('`imageSize` must be 28, 32 or 64, got "30"');
    await expect(plan({ data: 'ring-easy', imageSize: 32 })).rejects.toThrow('`imageSize` applies to image data');
    await expect(plan({ dataDir: join(root, 'elsewhere') })).rejects.toThrow(
      '`dataDir` applies to fashion-mnist, edges2fashion, edges2shoes or captioned-fashion; this run uses mnist',
    );
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(plan({ data: 'fashion-mnist', dataDir: empty })).rejects.toThrow(
      /empty\/train-images-idx3-ubyte.gz: Fashion-MNIST not found; install it with `apt-get install dataset-fashion-mnist`/,
    );
    await expect(plan({ data: empty })).rejects.toThrow(/empty/);
    await expect(plan({ hp: { hidden: 8, batchSize: 4, nope: 1 } })).rejects.toThrow('ns-gan has no hyper-parameter "nope"');
    expect(() => readdirSync(out)).toThrow();
  });
});
