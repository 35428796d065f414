import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, encodeNpz, parseNpz, type NpzEntry } from '@gen-eval/metrics';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { trainNew, trainResume } from './loop.js';
import { readMetrics, runPaths } from '@gen-eval/metrics/runs';
import { sampleRun } from './sample.js';
import { evaluateModel, type EvalReference } from './evaluate.js';
import type { TrainableModel } from '../family.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-diverge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = { model: 'ns-gan', backend: 'wasm' as const, hp: { hidden: 8, latentDim: 4, batchSize: 16 }, evalEvery: 4, evalSamples: 64, seed: 3 };
const ckPath = (dir: string, step: number, ext: 'npz' | 'json') => runPaths(dir).checkpoint(step, ext);

describe('a diverging run stops at its first non-finite loss', () => {
  it('marks summary.json diverged, keeps the last finite checkpoint and writes nothing after it', async () => {
    const out = join(root, 'lr1e6');
    const summary = await trainNew({ ...tiny, hp: { ...tiny.hp, lr: 1e6 }, steps: 40, out });
    expect(summary.diverged).toBeDefined();
    const { step, reason } = summary.diverged!;
    expect(reason).toMatch(/^\w+_loss = (NaN|-?Infinity)$/);
    expect(step).toBeLessThan(40);
    expect(summary.steps).toBe(step - 1);
    expect(JSON.parse(readFileSync(runPaths(out).summary, 'utf8'))).toEqual(summary);
    // Every checkpoint left holds finite weights, and none is at or after the diverged step.
    const left = readdirSync(runPaths(out).checkpoints).filter((f) => f.endsWith('.npz'));
    for (const f of left) {
      expect(Number(/\d+/.exec(f)![0])).toBeLessThan(step);
      for (const a of Object.values(parseNpz(readFileSync(join(runPaths(out).checkpoints, f)), f))) expect((a.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
    expect(readMetrics(out).every((r) => r.step < step && (r.value === null || Number.isFinite(r.value)))).toBe(true);
  });

  it('a valid run has no "diverged" key', async () => {
    const summary = await trainNew({ ...tiny, steps: 4, out: join(root, 'fine') });
    expect('diverged' in summary).toBe(false);
  });
});

describe('non_finite_samples counts samples, not values', () => {
  it('a 2-D sample with two NaN coordinates counts once', async () => {
    const data = resolveDataset('ring-easy');
    const model = {
      sample: (n: number) => Float32Array.from({ length: 2 * n }, (_, i) => (i < 6 ? NaN : 0)),
    } as unknown as TrainableModel;
    const ref = { target: data, samples: 10, heldOut: data.sample(4, Rng.stream(0, 'held-out')), notes: [] } as unknown as EvalReference;
    const { metrics } = await evaluateModel(model, ref, 0, 1);
    expect(metrics.non_finite_samples).toBe(3);
  });
});

describe('checkpoints are checked when loaded (resume and sample)', () => {
  const rewrite = (dir: string, step: number, change: (arrays: Record<string, NpzEntry>) => void) => {
    const p = ckPath(dir, step, 'npz');
    const arrays: Record<string, NpzEntry> = { ...parseNpz(readFileSync(p), p) } as Record<string, NpzEntry>;
    change(arrays);
    writeFileSync(p, encodeNpz(arrays));
  };

  it('refuses NaN weights, naming the file and the variable', async () => {
    const out = join(root, 'nan-weights');
    await trainNew({ ...tiny, steps: 4, out });
    rewrite(out, 4, (a) => {
      const w = a['var/G.0.W']!;
      const data = Float32Array.from(w.data as Float32Array);
      data[1] = NaN;
      a['var/G.0.W'] = { data, shape: w.shape };
    });
    const message = new RegExp(`^${ckPath(out, 4, 'npz').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: "var/G\\.0\\.W" holds a non-finite value \\(NaN at index 1\\)`);
    await expect(sampleRun(out, { n: 5 })).rejects.toThrow(message);
    await expect(trainResume({ resume: out, steps: 8 })).rejects.toThrow(message);
  });

  it('refuses a checkpoint member whose bytes were altered (CRC-32)', async () => {
    const out = join(root, 'flipped');
    await trainNew({ ...tiny, steps: 4, out });
    const p = ckPath(out, 4, 'npz');
    // Stored, not deflated, so that a flipped byte still decodes: only the CRC can tell.
    const arrays = parseNpz(readFileSync(p), p);
    const files = Object.fromEntries(
      Object.entries(arrays).map(([k, a]) => [`${k}.npy`, [encodeNpy(a.data as Float32Array, a.shape), { level: 0 }] as [Uint8Array, { level: 0 }]]),
    );
    const zip = zipSync(files);
    // Inside the first member's array data: past its local header, its name and the 128-byte .npy header.
    const at = 30 + (zip[26]! | (zip[27]! << 8)) + 128 + 2;
    zip[at] = zip[at]! ^ 0x01;
    writeFileSync(p, zip);
    await expect(sampleRun(out, { n: 5 })).rejects.toThrow(/step-0000004\.npz: corrupt \.npz file: member ".*" fails its CRC-32 check/);
  });

  it('rebuilds a lost latest.json from the newest complete checkpoint, with a warning', async () => {
    const out = join(root, 'no-latest');
    await trainNew({ ...tiny, steps: 8, out });
    const latest = join(runPaths(out).checkpoints, 'latest.json');
    rmSync(latest);
    rmSync(ckPath(out, 8, 'npz')); // the newest state file has lost its weights: not complete
    const drawn = await sampleRun(out, { n: 5 });
    expect(drawn.step).toBe(4);
    expect(drawn.notes.join('\n')).toMatch(/latest\.json is missing: using the newest complete checkpoint, step-0000004/);
    expect(existsSync(latest)).toBe(false); // sample writes nothing into the run
    const warnings: string[] = [];
    const summary = await trainResume({ resume: out, steps: 12 }, { onEvent: (e) => e.type === 'start' && warnings.push(...e.warnings) });
    expect(summary.steps).toBe(12);
    expect(warnings.join('\n')).toMatch(/latest\.json is missing/);
    expect(JSON.parse(readFileSync(latest, 'utf8')).step).toBe(12);
  });
});

describe('a resumed run’s hyper-parameters are checked against their ranges', () => {
  it('an edited config.json with an out-of-range value is refused, naming the file', async () => {
    const out = join(root, 'edited');
    await trainNew({ ...tiny, steps: 4, out });
    const config = JSON.parse(readFileSync(runPaths(out).config, 'utf8')) as { hp: Record<string, unknown> };
    config.hp.dSteps = 1_000_000;
    writeFileSync(runPaths(out).config, JSON.stringify(config));
    await expect(trainResume({ resume: out, steps: 8 })).rejects.toThrow(`${runPaths(out).config}: dSteps must be an integer from 1 to 20, got "1000000"`);
  });
});

describe('a model whose weights become non-finite while its losses are finite', () => {
  it('is not checkpointed: the run stops as diverged at that evaluation, naming the array', async () => {
    const out = join(root, 'wgan-weights');
    // RMSprop at 1e6: the critic's squared-gradient average overflows before any loss does.
    const summary = await trainNew({ ...tiny, model: 'wgan', hp: { lr: 1e6 }, seed: 0, evalEvery: 5, steps: 30, out });
    expect(summary.diverged).toEqual({ step: 5, reason: expect.stringMatching(/^(var|opt)\/\S+ has non-finite values$/) });
    expect(existsSync(join(runPaths(out).checkpoints, 'step-0000005.npz'))).toBe(false);
    for (const f of existsSync(runPaths(out).checkpoints) ? readdirSync(runPaths(out).checkpoints).filter((x) => x.endsWith('.npz')) : []) {
      for (const a of Object.values(parseNpz(readFileSync(join(runPaths(out).checkpoints, f)), f))) expect((a.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  });
});
