/**
 * How a run plans paired data for pix2pix (pairs of one size) and srgan (×2 super-resolution):
 * the plans are checked without building a model, so nothing trains.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FORMAT, type RunConfig } from '@gen-eval/metrics/runs';
import { dataRecord } from '../data/datasets.js';
import { encodePng } from '../data/png.js';
import { dataInfo, planNewRun, planResume } from './setup.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-run-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, 'run');

async function pngs(dir: string, names: readonly string[], side: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [k, name] of names.entries())
    writeFileSync(
      join(dir, name),
      await encodePng(
        Uint8Array.from({ length: side * side }, (_, p) => (k * 50 + p) % 256),
        { height: side, width: side, channels: 1 },
      ),
    );
}

/** The config a run of `plan` would write (enough of it for planResume). */
const configOf = (model: string, plan: Awaited<ReturnType<typeof planNewRun>>): RunConfig => ({
  ...RUN_FORMAT,
  model,
  title: model,
  data: dataRecord(plan.data),
  hp: plan.hp,
  seed: plan.seed,
  steps: 10,
  timeBudget: null,
  evalEvery: plan.evalEvery,
  evalSamples: plan.evalSamples,
  backend: { requested: 'wasm', choice: 'wasm', skipped: [] },
  versions: {},
  created: '2026-01-01T00:00:00.000Z',
});

describe('paired runs', () => {
  it('a paired family trains on an edges2 set; its model is told the input shape and the targets’ classifier', async () => {
    const plan = await planNewRun({ model: 'pix2pix', data: 'edges2fashion', out });
    expect(dataInfo(plan.data)).toEqual({
      dims: 784,
      image: { height: 28, width: 28, channels: 1 },
      classes: 10,
      input: { dims: 784, image: { height: 28, width: 28, channels: 1 } },
      classifier: 'fashion-mnist',
    });
    expect(plan.evalReal).toBe(2000); // held-out targets, scored with the fashion-mnist classifier
    expect(dataInfo((await planNewRun({ model: 'pix2pix', data: 'edges2digits', out })).data).classifier).toBe('mnist');
    const resumed = await planResume(configOf('pix2pix', plan), { resume: out });
    expect(resumed.data.input).toEqual(plan.data.input);
  });

  it('a super-resolution family pairs unpaired images with their ×2 downsampling, again on resume', async () => {
    const plan = await planNewRun({ model: 'srgan', data: 'mnist', out });
    expect([plan.data.name, plan.data.input, dataInfo(plan.data).classifier]).toEqual(['mnist', { dims: 196, image: { height: 14, width: 14, channels: 1 } }, 'mnist']);
    const config = configOf('srgan', plan);
    expect(config.data).toEqual({ name: 'mnist', imageSize: 28 });
    expect((await planResume(config, { resume: out })).data.input).toEqual(plan.data.input);
    expect((await planNewRun({ model: 'srgan', data: 'mnist', imageSize: 64, out })).data.input!.image.height).toBe(32);
  });

  it('refuses, in one line, data that does not fit the family', async () => {
    await expect(planNewRun({ model: 'pix2pix', data: 'mnist', out })).rejects.toThrow(
      'pix2pix translates paired images: use edges2fashion, edges2shoes, edges2digits or `dataPairs` A/ B/; "mnist" is unpaired',
    );
    await expect(planNewRun({ model: 'srgan', data: 'edges2digits', out })).rejects.toThrow(
      'srgan needs targets ×2 the inputs\' side; "edges2digits" pairs 28×28 inputs with 28×28 targets',
    );
    await expect(planNewRun({ model: 'srgan', data: 'stacked-mnist', out })).rejects.toThrow('super-resolution pairs are made from an unpaired set of images');
    await expect(planNewRun({ model: 'gan', data: 'edges2shoes', out })).rejects.toThrow('gan does not take paired data: "edges2shoes" pairs each image with an input');
    await expect(planNewRun({ model: 'cyclegan', data: 'edges2digits', out })).rejects.toThrow('cyclegan does not take paired data');
    await expect(planNewRun({ model: 'pix2pix', data: 'edges2digits', dataDir: root, out })).rejects.toThrow(
      '`dataDir` applies to fashion-mnist, edges2fashion, edges2shoes or captioned-fashion; this run uses edges2digits',
    );
  });
});

describe('dataPairs', () => {
  const names = ['a.png', 'b.png', 'c.png'];

  it('loads a user’s paired folders, records both listings, rebuilds them on resume and refuses a changed folder', async () => {
    const [a, b] = [join(root, 'p-a'), join(root, 'p-b')];
    await pngs(a, names, 28);
    await pngs(b, names, 28);
    const plan = await planNewRun({ model: 'pix2pix', dataPairs: [a, b], out });
    expect([plan.data.input!.image, plan.data.trainSize, plan.evalReal]).toEqual([{ height: 28, width: 28, channels: 1 }, 3, 0]);
    const config = configOf('pix2pix', plan);
    expect(config.data).toMatchObject({ name: a, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), targets: { name: b, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await planResume(config, { resume: out })).data.record).toEqual(plan.data.record);
    await expect(planResume(config, { resume: out, dataPairs: [b, a] })).rejects.toThrow(`\`dataPairs\` ${b} ${a} contradicts the run's config (${a} ${b})`);
    writeFileSync(join(b, 'a.png'), await encodePng(new Uint8Array(784).fill(9), { height: 28, width: 28, channels: 1 }));
    await expect(planResume(config, { resume: out })).rejects.toThrow(`${b}: has changed since the run started (SHA-256 differs)`);
  });

  it('pairs LOW/ HIGH/ for super-resolution; refuses the options that do not apply', async () => {
    const [low, high] = [join(root, 'low'), join(root, 'high')];
    await pngs(low, names, 14);
    await pngs(high, names, 28);
    expect((await planNewRun({ model: 'srgan', dataPairs: [low, high], hp: { content: 'mse' }, out })).data.input!.image.height).toBe(14);
    await expect(planNewRun({ model: 'pix2pix', dataPairs: [low, high], out })).rejects.toThrow(
      `${join(low, 'a.png')}: is 14×14 but its target ${join(high, 'a.png')} is 28×28; paired images must have one size`,
    );
    await expect(planNewRun({ model: 'gan', dataPairs: [low, high], out })).rejects.toThrow(
      /`dataPairs` applies to models trained on paired images \(.*pix2pix.*\); gan is not one/,
    );
    await expect(planNewRun({ model: 'srgan', data: 'mnist', dataPairs: [low, high], out })).rejects.toThrow(
      '`data` and `dataPairs` are two ways to name the training data; give one',
    );
    await expect(planNewRun({ model: 'srgan', imageSize: 28, dataPairs: [low, high], out })).rejects.toThrow(
      "`imageSize` does not apply to `dataPairs`: paired folders are trained at their images' own size",
    );
    await expect(planNewRun({ model: 'srgan', dataPairs: [low, high], out: join(low, 'run') })).rejects.toThrow(/dataPairs/);
  });
});
