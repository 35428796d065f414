#!/usr/bin/env node
/**
 * `npm run bench:pix2pix-ablation` — the L1-vs-cGAN ablation of pix2pix (Isola et al. 2017,
 * Table 1 and Figure 4) at CPU scale: for each seed, trains pix2pix with cGAN + λ·L1 (lambdaGan 1)
 * and with L1 alone (lambdaGan 0) on the same data, hyper-parameters, step count and seed, then
 * translates the same held-out inputs with each and prints
 *   - FID of the outputs against their targets (the data set's embedded classifier, fashion-mnist
 *     on edges2fashion; lower: outputs look like real items),
 *   - L1: mean |output − target| on the [0, 255] scale divided by 255 (the metric key `l1`;
 *     lower: closer to the target pixel by pixel).
 * The paper's finding: L1 alone gives blurry, "averaged" outputs — the better per-pixel L1 but
 * the worse realism — and the cGAN term restores sharpness at some cost in L1.
 *
 *   node bench/pix2pix-ablation.mjs [--data edges2fashion] [--steps 1000] [--seeds 0,1] [--held-out N] [--hp hidden=16,batchSize=4] [--arms gan,l1]
 *
 * Trains through the family directly (the loop's batches and noise streams, no evaluation during
 * training), so each run costs its steps alone. Needs the built package (npm run build).
 */
import { dataInfo, resolveDataset, Rng, schemaDefaults } from '../dist/index.js';
import { pix2pix } from '../dist/families/pix2pix.js';
import { classifierFor } from '../dist/train/image-eval.js';
import { benchArgs, benchHp, buildModel, classifierScorer, parseHp, trainingTf, trainSteps } from './bench-common.mjs';

const { values, steps } = benchArgs({ data: 'edges2fashion', steps: '1000' }, { seeds: { type: 'string', default: '0,1' }, arms: { type: 'string', default: 'gan,l1' } });
const seeds = values.seeds.split(',').map(Number);
// `--arms gan` or `--arms l1` trains one arm alone (tuning: L1-only never calls D, so D's settings leave it unchanged).
const ARMS = [
  ['cGAN + L1', 1, 'gan'],
  ['L1 only', 0, 'l1'],
].filter(([, , key]) => values.arms.split(',').includes(key));
const given = parseHp(values.hp);

const tf = await trainingTf();
const data = resolveDataset(values.data);
if (!data.input || !data.image || !data.heldOut) throw new Error(`${values.data} is not a paired image data set with a held-out split`);
// Default: every held-out pair (edges2fashion: the 10 000 of the test split), FID's bias (∝ 1/n) then smallest.
const heldOutN = values['held-out'] ? Number(values['held-out']) : (data.heldOutSize ?? 2000);
const classifier = classifierFor(data);
if (!classifier) throw new Error(`${values.data}: no embedded classifier knows its targets`);
const scorer = await classifierScorer(classifier);

// One held-out set for every run: the inputs every model translates, and their targets.
const held = data.heldOut(heldOutN, Rng.stream(0, 'ablation-held-out'));
const real = await scorer.features(held.x, data.image, `${data.name} held-out targets`);

/** L1 on [0, 255] / 255 of two [−1, 1] arrays: mean |a − b| / 2. */
const l1 = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / (2 * a.length);

/** Trains one arm for `steps` steps with `seed`; returns its held-out FID and L1 and its time. */
async function arm(seed, lambdaGan) {
  const hp = benchHp(pix2pix, given, { lambdaGan });
  const model = buildModel(pix2pix, tf, hp, dataInfo(data), seed);
  const { seconds, last } = trainSteps(model, data, hp, seed, 1, steps);
  const out = model.sample(heldOutN, Rng.stream(seed, 'sample'), { input: held.input });
  model.dispose();
  const f = await scorer.fid(real, await scorer.features(out, data.image, 'outputs'));
  return { fid: f, l1: l1(out, held.x), seconds, last, hp };
}

const defaults = schemaDefaults(pix2pix.hyperParams, 'images');
console.error(`pix2pix ablation on ${data.name}: ${steps} steps per run, seeds ${seeds.join(', ')}, ${heldOutN} held-out pairs, hp ${JSON.stringify({ ...defaults, ...given })}`);
const rows = [];
for (const seed of seeds) {
  for (const [name, lambdaGan] of ARMS) {
    const r = await arm(seed, lambdaGan);
    rows.push({ seed, name, ...r });
    console.error(`seed ${seed} ${name}: FID ${r.fid.toFixed(2)}, L1 ${r.l1.toFixed(4)} (${r.seconds.toFixed(0)} s; last step ${JSON.stringify(r.last)})`);
  }
}
await scorer.dispose();

console.log(`| seed | model | FID (${classifier}) | L1 | train s |`);
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.seed} | ${r.name} | ${r.fid.toFixed(2)} | ${r.l1.toFixed(4)} | ${r.seconds.toFixed(0)} |`);
for (const seed of ARMS.length === 2 ? seeds : []) {
  const [gan, l1only] = ['cGAN + L1', 'L1 only'].map((n) => rows.find((r) => r.seed === seed && r.name === n));
  const ratio = gan.fid / l1only.fid;
  console.log(
    `seed ${seed}: FID ratio cGAN+L1 / L1-only = ${ratio.toFixed(3)} (${ratio <= 0.5 ? 'at most half' : 'MORE than half'}); L1-only has the ${l1only.l1 < gan.l1 ? 'better' : 'WORSE'} L1`,
  );
}
