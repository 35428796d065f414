#!/usr/bin/env node
/**
 * Short runs of every family, on its default 2-D data and on MNIST images, reduced to a
 * fingerprint: every number of metrics.jsonl (timings excepted), and a SHA-256 of each sample file
 * (step-N.npy and .png) and of each checkpoint array by name. `fixtures/golden/family-runs.json` holds the fingerprints of
 * an earlier build; a refactoring that must not change numbers is checked against it
 * (src/train/recorded-runs.test.ts runs the same cases through the source).
 *
 *   node bench/recorded-runs.mjs            compare the built package (dist) with the recording
 *   node bench/recorded-runs.mjs --record   write the recording from the built package
 *   node bench/recorded-runs.mjs --only gan/2d,vae/image
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpz } from '@gen-eval/metrics';
import { parseStepFile } from '@gen-eval/metrics/runs';

/** The recording, relative to this file. */
export const RECORDING = fileURLToPath(new URL('../../../fixtures/golden/family-runs.json', import.meta.url));

/**
 * Tiny settings per family on images (a few seconds each); names that every version of the
 * families has. 2-D runs use the family's defaults at batch 64.
 */
const IMAGE_HP = {
  gan: { batchSize: 4, hidden: 4, latentDim: 8 },
  'ns-gan': { batchSize: 4, hidden: 4, latentDim: 8 },
  wgan: { batchSize: 4, hidden: 4, latentDim: 8 },
  'wgan-gp': { batchSize: 4, hidden: 4, latentDim: 8 },
  sngan: { batchSize: 4, hidden: 4, latentDim: 8 },
  vae: { batchSize: 4, hidden: 8, latentDim: 4 },
  ddpm: { batchSize: 4, hidden: 4, timeEmbed: 8, timesteps: 20, sampleSteps: 4 },
  flow: { batchSize: 4, hidden: 4, couplings: 2, levels: 2 },
  cgan: { batchSize: 4, hidden: 4, latentDim: 8 },
  infogan: { batchSize: 4, hidden: 4, latentDim: 8 },
  cyclegan: { batchSize: 4, hidden: 4 },
};

/** Every case: `family/2d` and `family/image`, in the families' order. */
export function recordedCases(familyNames) {
  return familyNames.flatMap((model) => [
    { id: `${model}/2d`, model, opts: { steps: 3, evalEvery: 2, evalSamples: 200, hp: { batchSize: 64 } } },
    { id: `${model}/image`, model, opts: { data: 'mnist', steps: 2, evalEvery: 2, evalSamples: 8, hp: IMAGE_HP[model] } },
  ]);
}

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The fingerprint of the run in `dir`. */
export function fingerprint(dir) {
  const metrics = {};
  for (const line of readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    (metrics[r.step] ??= {})[r.metric] = r.value;
  }
  const samples = {};
  // The files the recorded build wrote (step-N.npy, step-N.png); later files, e.g. condition grids, are not in the recording.
  for (const f of readdirSync(join(dir, 'samples')).sort()) if (parseStepFile(f, ['npy', 'png'])) samples[f] = sha(readFileSync(join(dir, 'samples', f)));
  const checkpoints = {};
  for (const f of readdirSync(join(dir, 'checkpoints')).sort()) {
    if (!f.endsWith('.npz')) continue;
    const arrays = parseNpz(readFileSync(join(dir, 'checkpoints', f)), f);
    checkpoints[f] = Object.fromEntries(
      Object.keys(arrays)
        .sort()
        .map((k) => [k, sha(Buffer.from(arrays[k].data.buffer, arrays[k].data.byteOffset, arrays[k].data.byteLength))]),
    );
  }
  return { metrics, samples, checkpoints };
}

/** What `sampleRun` is asked after training: the family's condition where it has one. */
const SAMPLE_OPTS = { cgan: { label: 2 }, infogan: {}, cyclegan: { from: 'b' } };

/**
 * Trains each case with `trainNew` (seed 0, wasm) in a temporary folder and fingerprints it,
 * with 5 draws of `sampleRun` (seed 1) from the finished run.
 */
export async function recordRuns({ trainNew, sampleRun }, cases) {
  const root = mkdtempSync(join(tmpdir(), 'gen-eval-recorded-runs-'));
  const out = {};
  try {
    for (const c of cases) {
      const dir = join(root, c.id.replace('/', '-'));
      await trainNew({ model: c.model, seed: 0, backend: 'wasm', ...c.opts, out: dir });
      const drawn = await sampleRun(dir, { n: 5, seed: 1, ...SAMPLE_OPTS[c.model] });
      const p = drawn.points;
      out[c.id] = { ...fingerprint(dir), sample: sha(Buffer.from(p.buffer, p.byteOffset, p.byteLength)) };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** The ids whose fingerprints differ between `expected` and `actual`, with the first difference each. */
export function differences(expected, actual) {
  const diffs = [];
  for (const id of Object.keys(actual)) {
    const a = JSON.stringify(actual[id]);
    const e = JSON.stringify(expected[id]);
    if (a !== e) diffs.push(`${id}: ${firstDifference(expected[id], actual[id], '')}`);
  }
  return diffs;
}

function firstDifference(e, a, path) {
  if (typeof e !== 'object' || e === null || typeof a !== 'object' || a === null) return `${path}: recorded ${JSON.stringify(e)}, now ${JSON.stringify(a)}`;
  for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
    if (JSON.stringify(e[k]) !== JSON.stringify(a[k])) return firstDifference(e[k], a[k], `${path}/${k}`);
  }
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { record: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const { FAMILIES, trainNew, sampleRun } = await import(join(dirname(fileURLToPath(import.meta.url)), '../dist/index.js'));
  let cases = recordedCases(FAMILIES.map((f) => f.name));
  if (values.only) cases = cases.filter((c) => values.only.split(',').includes(c.id));
  const t0 = Date.now();
  const runs = await recordRuns({ trainNew, sampleRun }, cases);
  console.error(`${cases.length} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (values.record) {
    writeFileSync(RECORDING, JSON.stringify(runs, null, 1) + '\n');
    console.error(`wrote ${RECORDING}`);
  } else {
    const diffs = differences(JSON.parse(readFileSync(RECORDING, 'utf8')), runs);
    for (const d of diffs) console.log(d);
    console.error(diffs.length === 0 ? 'every run equals the recording bit for bit' : `${diffs.length} of ${cases.length} runs differ`);
    process.exitCode = diffs.length === 0 ? 0 : 1;
  }
}
