#!/usr/bin/env node
/**
 * `npm run bench:train` — trains every family on its default data set for a time budget, then
 * scores 2 500 points drawn from each run with `sampleRun` (what `gen-eval sample` does) by the
 * 3σ mode protocol, and times one ns-gan step of the default architecture against PyTorch CPU
 * in the same run (one true thread, and its best thread count).
 *
 *   node bench/train.mjs [--budget 60] [--models ns-gan,ddpm] [--seeds 0] [--keep DIR] [--skip-step]
 *   node bench/train.mjs --images [--data mnist] [--image-size 28] [--budget 300] [--models ns-gan,infogan,pix2pix]
 *   node bench/train.mjs --images --steps gan=1400,ddpm=1800 [--models gan,ddpm]
 *   node bench/train.mjs --images --speed [--steps 60] [--models gan,ddpm]     (steps/s only; idle machine)
 *
 * `--images` trains the families' image variants instead (bench/image-bench.mjs), on mnist unless
 * `--data` names another set (paired families — pix2pix — on their default, edges2fashion): steps, seconds,
 * steps/s and the final FID (embedded classifier) against the FID after one step; paired families
 * (srgan: 14 → 28 px pairs of the data) add their outputs' PSNR and SSIM against the targets. `--steps` trains
 * a fixed number of steps instead (one count, or model=count pairs): the result no longer depends on
 * the machine's load, and the time it takes on an idle machine is steps ÷ the steps/s of a short
 * `--budget` run made while idle.
 *
 * Not part of the tests: training to convergence takes minutes per family.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mixtureModeCoverage } from '@gen-eval/metrics';
import { conditionNeeds, FAMILIES, resolveDataset, sampleRun, schemaDefaults, trainNew } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: '60' },
    models: { type: 'string' },
    seeds: { type: 'string', default: '0' },
    keep: { type: 'string' },
    'skip-step': { type: 'boolean', default: false },
    'skip-train': { type: 'boolean', default: false },
    images: { type: 'boolean', default: false },
    data: { type: 'string' },
    'image-size': { type: 'string', default: '28' },
    steps: { type: 'string' },
    speed: { type: 'boolean', default: false },
  },
});
const budget = Number(values.budget);
// Paired families (pix2pix, srgan) translate images only: the 2-D bench leaves them out unless named.
const imageOnly = (f) => f.condition.kind === 'image' && f.condition.paired;
const models = values.models ? values.models.split(',') : FAMILIES.filter((f) => values.images || !imageOnly(f)).map((f) => f.name);
const seeds = values.seeds.split(',').map(Number);
const root = values.keep ?? mkdtempSync(join(tmpdir(), 'gen-eval-bench-train-'));

/** `--steps 1500` (every model) or `--steps gan=1400,ddpm=1800` → (model) => count. */
function parseSteps(spec) {
  if (/^\d+$/.test(spec)) return () => Number(spec);
  const map = new Map(
    spec.split(',').map((pair) => {
      const [name, count] = pair.split('=');
      if (!name || !/^\d+$/.test(count ?? '')) throw new Error(`--steps: expected N or model=N,…, got ${spec}`);
      return [name, Number(count)];
    }),
  );
  return (model) =>
    map.get(model) ??
    (() => {
      throw new Error(`--steps has no count for ${model}`);
    })();
}

if (values.images) {
  const { runImageBench, runImageSpeed } = await import('./image-bench.mjs');
  const families = models.map(
    (name) =>
      FAMILIES.find((f) => f.name === name) ??
      (() => {
        throw new Error(`unknown model ${name}`);
      })(),
  );
  const steps = values.steps ? parseSteps(values.steps) : undefined;
  if (values.speed) {
    // --speed: steps/s of each family alone (default 60 steps), to state fixed-step results as time.
    await runImageSpeed({ families, steps: steps ?? (() => 60), data: values.data, imageSize: Number(values['image-size']), root });
    if (!values.keep) rmSync(root, { recursive: true, force: true });
    process.exit(0);
  }
  await runImageBench({ families, budget, steps, seeds, data: values.data, imageSize: Number(values['image-size']), root });
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  process.exit(0);
}

if (!values['skip-step']) {
  // The step comparison runs in its own process (bench/step-compare.mjs): tfjs-wasm and PyTorch
  // (1 thread and 2) interleaved, 3 rounds, best of each, with both ratios.
  console.log('== one ns-gan step of the default architecture: tfjs-wasm vs PyTorch CPU (same run) ==');
  const r = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'step-compare.mjs'), '--rounds', '3', '--steps', '200'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const lines = r.stdout.trim().split('\n');
  console.log(lines.filter((l) => !l.startsWith('{')).join('\n'));
  const last = JSON.parse(lines.at(-1));
  if (last.ratioTorch1 !== undefined) {
    console.log(
      `must ≤ 4× torch 1 thread: ${last.ratioTorch1 <= 4 ? 'met' : 'NOT met'} (${last.ratioTorch1.toFixed(2)}×); goal ≤ 2× torch best: ${last.ratioTorchBest <= 2 ? 'met' : 'not met'} (${last.ratioTorchBest.toFixed(2)}×)`,
    );
  }
  console.log('');
}

if (!values['skip-train']) {
  const rows = [];
  for (const name of models) {
    const family = FAMILIES.find((f) => f.name === name);
    if (!family) throw new Error(`unknown model ${name}`);
    if (imageOnly(family)) throw new Error(`${name} has no 2-D form: use --images`);
    for (const seed of seeds) {
      const out = join(root, `${name}-seed${seed}`);
      rmSync(out, { recursive: true, force: true });
      const summary = await trainNew({ model: name, timeBudget: budget, seed, out, evalEvery: 1_000_000 });
      const target = resolveDataset(conditionNeeds(family.condition).secondDomain ? schemaDefaults(family.hyperParams, 'points').dataB : family.defaultData);
      const drawn = await sampleRun(out, { n: 2500, seed: 1 });
      let modes = '–';
      let hq = '–';
      if (target.mixture) {
        const m = await mixtureModeCoverage({ rows: drawn.rows, cols: drawn.dims, data: Float64Array.from(drawn.points) }, target.mixture);
        modes = `${m.modesCovered}/${m.modes}`;
        hq = `${(100 * m.highQuality).toFixed(1)}%`;
      }
      const extra = Object.entries(summary.metrics)
        .filter(([k]) => ['sliced_w', 'mmd', 'elbo', 'log_likelihood'].includes(k))
        .map(([k, v]) => `${k} ${v === null ? '–' : v.toPrecision(3)}`)
        .join(', ');
      rows.push({
        model: name,
        data: target.name,
        seed,
        steps: summary.steps,
        seconds: summary.wall_seconds.toFixed(1),
        'steps/s': summary.steps_per_second.toFixed(1),
        modes,
        'high quality': hq,
        other: extra,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
  console.log(`\nbudget ${budget} s of training per run (evaluation excluded); 2 500 points per run from sampleRun, 3σ rule`);
  console.table(rows);
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}
