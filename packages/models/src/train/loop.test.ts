import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpz, readNpy } from '@gen-eval/metrics';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { trainNew, trainResume, type TrainEvent } from './loop.js';
import { readMetrics, readRunConfig, runPaths } from '@gen-eval/metrics/runs';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-loop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A tiny ns-gan: the loop is what is under test, not the model.
const tiny = { model: 'ns-gan', backend: 'wasm' as const, hp: { hidden: 8, latentDim: 4, batchSize: 16 }, evalEvery: 4, evalSamples: 64, seed: 3 };
const losses = (dir: string) => readMetrics(dir).filter((r) => r.metric.endsWith('_loss'));
const npz = (dir: string, step: number) => parseNpz(readFileSync(runPaths(dir).checkpoint(step, 'npz')), 'ck');

describe('training loop', () => {
  it('writes the run format: config, metrics.jsonl, samples, checkpoints, summary', async () => {
    const out = join(root, 'fresh');
    const events: TrainEvent['type'][] = [];
    const summary = await trainNew({ ...tiny, steps: 10, out }, { onEvent: (e) => events.push(e.type) });
    const config = readRunConfig(out);
    expect(config).toMatchObject({ format: 'gen-eval-run', version: 1, model: 'ns-gan', data: { name: 'ring-easy' }, seed: 3, steps: 10, evalEvery: 4 });
    expect(config.hp).toMatchObject({ hidden: 8, latentDim: 4, batchSize: 16, lr: 1e-3 });
    expect(config.backend.choice).toBe('wasm');
    expect(config.versions['@tensorflow/tfjs']).toMatch(/^4\./);
    // Evaluations at 4, 8 and the final step 10.
    const steps = [...new Set(readMetrics(out).map((r) => r.step))];
    expect(steps).toEqual([4, 8, 10]);
    const metrics = new Set(readMetrics(out).map((r) => r.metric));
    for (const m of ['d_loss', 'g_loss', 'modes_covered', 'high_quality', 'reverse_kl', 'sliced_w', 'mmd']) expect(metrics).toContain(m);
    expect(readdirSync(runPaths(out).samples).sort()).toEqual(['step-0000004.npy', 'step-0000008.npy', 'step-0000010.npy']);
    expect(readNpy(runPaths(out).sample(10)).shape).toEqual([64, 2]);
    expect(summary).toMatchObject({ steps: 10, interrupted: false, backend: 'wasm' });
    expect(summary.steps_per_second).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(runPaths(out).summary, 'utf8'))).toEqual(summary);
    expect(events[0]).toBe('start');
    expect(events.filter((e) => e === 'step')).toHaveLength(10);
    expect(events.at(-1)).toBe('done');
    // No temporary files are left behind.
    const all = [out, runPaths(out).samples, runPaths(out).checkpoints].flatMap((d) => readdirSync(d));
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('same seed and backend ⇒ identical losses; another seed ⇒ different', async () => {
    const a = join(root, 'det-a');
    const b = join(root, 'det-b');
    const c = join(root, 'det-c');
    await trainNew({ ...tiny, steps: 8, out: a });
    await trainNew({ ...tiny, steps: 8, out: b });
    await trainNew({ ...tiny, seed: 4, steps: 8, out: c });
    expect(losses(a).map((r) => r.value)).toEqual(losses(b).map((r) => r.value));
    expect(losses(a).map((r) => r.value)).not.toEqual(losses(c).map((r) => r.value));
  });

  it('a run stopped mid-interval and resumed equals the uninterrupted run (losses, samples, weights)', async () => {
    const whole = join(root, 'whole');
    const split = join(root, 'split');
    await trainNew({ ...tiny, steps: 12, out: whole });
    const ctl = new AbortController();
    const first = await trainNew({ ...tiny, steps: 12, out: split }, { signal: ctl.signal, onEvent: (e) => e.type === 'step' && e.step === 6 && ctl.abort() });
    expect(first).toMatchObject({ interrupted: true, steps: 6 });
    expect(existsSync(join(runPaths(split).checkpoints, 'step-0000006.npz'))).toBe(true);
    const second = await trainResume({ resume: split });
    expect(second).toMatchObject({ interrupted: false, steps: 12 });
    expect(losses(split)).toEqual(losses(whole).map((r) => ({ ...r, elapsed: expect.any(Number) })));
    expect(readNpy(runPaths(split).sample(12)).data).toEqual(readNpy(runPaths(whole).sample(12)).data);
    const [w, s] = [npz(whole, 12), npz(split, 12)];
    expect(Object.keys(s).sort()).toEqual(Object.keys(w).sort());
    for (const k of Object.keys(w)) expect(s[k]!.data, k).toEqual(w[k]!.data);
  });

  it('resume extends a finished run with --steps and rejects contradicting options', async () => {
    const out = join(root, 'extend');
    await trainNew({ ...tiny, steps: 4, out });
    await expect(trainResume({ resume: out })).rejects.toThrow(/already at step 4; pass `steps` N with N > 4/);
    await expect(trainResume({ resume: out, steps: 8, seed: 9 })).rejects.toThrow(/`seed` 9 contradicts the run's config \(3\)/);
    await expect(trainResume({ resume: out, steps: 8, hp: { lr: 0.1 } })).rejects.toThrow(/`lr` 0.1 contradicts/);
    await expect(trainResume({ resume: out, steps: 8, model: 'gan' })).rejects.toThrow(/`model` gan contradicts/);
    const s = await trainResume({ resume: out, steps: 8 });
    expect(s.steps).toBe(8);
    expect(readRunConfig(out).steps).toBe(8);
  });

  it('stops on the time budget and reports the training speed', async () => {
    const out = join(root, 'budget');
    const s = await trainNew({ ...tiny, timeBudget: 0.5, evalEvery: 1000, out });
    expect(s.steps).toBeGreaterThan(5);
    expect(s.wall_seconds).toBeGreaterThanOrEqual(0.5);
    expect(s.wall_seconds).toBeLessThan(1.5);
    expect(readRunConfig(out)).toMatchObject({ steps: null, timeBudget: 0.5 });
    expect([...new Set(readMetrics(out).map((r) => r.step))]).toEqual([s.steps]);
  });

  it('holds no more tensors after 1 000 steps than after 100 (evaluations and checkpoints included)', async () => {
    const seen = new Map<number, { numTensors: number; numBytes: number }>();
    await trainNew(
      { ...tiny, steps: 1000, evalEvery: 50, out: join(root, 'leak') },
      {
        onEvent: (e) => {
          if (e.type === 'step' && (e.step === 100 || e.step === 1000)) seen.set(e.step, { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
        },
      },
    );
    expect(seen.get(100)!.numTensors).toBeGreaterThan(0);
    expect(seen.get(1000)).toEqual(seen.get(100));
  });

  it('bad input fails before anything is written', async () => {
    const out = join(root, 'never');
    await expect(trainNew({ ...tiny, model: 'nope', out })).rejects.toThrow(/unknown model "nope"; expected one of gan, ns-gan/);
    await expect(trainNew({ ...tiny, data: 'moons', out })).rejects.toThrow(/moons: unknown data set; expected one of ring, ring-easy/);
    await expect(trainNew({ ...tiny, hp: { width: 3 }, out })).rejects.toThrow(/ns-gan has no hyper-parameter "width"/);
    await expect(trainNew({ ...tiny, hp: { hidden: 'x' }, out })).rejects.toThrow(/hidden must be an integer from 1 to 4096, got "x"/);
    await expect(trainNew({ ...tiny, model: 'cgan', data: 'spiral', out })).rejects.toThrow(/needs data with modes/);
    expect(existsSync(out)).toBe(false);
    const taken = join(root, 'fresh');
    await expect(trainNew({ ...tiny, steps: 2, out: taken })).rejects.toThrow(/already exists; pass `resume` to continue that run or `force`/);
    expect(readMetrics(taken).length).toBeGreaterThan(0);
  });
});
