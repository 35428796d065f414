#!/usr/bin/env node
/**
 * `npm run bench:stackgan -w @gen-eval/models` — does StackGAN's stage II improve on its stage I
 * (Zhang et al. 2017, §4.2: stage II adds detail a stage-I image lacks)? Trains `stackgan` on a
 * captioned set with the loop's seeding (stage I for `stage1Steps` steps, then stage II), then
 * draws one image per held-out caption from both stages with the same noise and scores them:
 *
 *   FID (the data's embedded classifier, against the held-out images): stage II vs stage I
 *   upsampled ×2 by Pillow's bicubic — expected lower for stage II
 *   class accuracy (the embedded classifier's argmax against the caption's label): expected not lower
 *
 *   node bench/stackgan-stages.mjs [--data captioned-mnist] [--steps 600] [--seed 0]
 *        [--held-out 1000] [--hp k=v,…]
 *
 * The real held-out images' own class accuracy is printed as the ceiling. Runs the built dist
 * (npx turbo run build first).
 */
import { parseArgs } from 'node:util';
import { fid } from '@gen-eval/metrics';
import { createExtractor } from '@gen-eval/metrics/extract';
import { loadCaptionEncoder } from '@gen-eval/metrics/conditional';
import { dataInfo, findFamily, Rng, schemaDefaults, selectBackend } from '../dist/index.js';
import { CAPTIONED_DATASETS, captionedDataset } from '../dist/data/captioned.js';
import { imageFeatures } from '../dist/train/image-eval.js';
import { stepBatches, stepNoise } from '../dist/train/batches.js';
import { installTrainingFixes } from '../dist/tfjs/training-fixes.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'captioned-mnist' },
    steps: { type: 'string', default: '600' },
    seed: { type: 'string', default: '0' },
    'held-out': { type: 'string', default: '1000' },
    hp: { type: 'string', default: '' },
  },
});
const steps = Number(values.steps);
const seed = Number(values.seed);
const nHeld = Number(values['held-out']);

/** `a=1,b=false` → { a: 1, b: false }. */
function parseHp(spec) {
  const out = {};
  for (const pair of spec.split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    out[k] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

const entry = CAPTIONED_DATASETS[values.data];
if (!entry) throw new Error(`${values.data}: not a captioned data set (${Object.keys(CAPTIONED_DATASETS).join(', ')})`);
// The set with its conditioning encoder, text-cond-<base>, as a run trains on it.
const data = captionedDataset(values.data, { imageSize: 28 }, loadCaptionEncoder(`text-cond-${entry.base}`));
const info = dataInfo(data);
if (!info.classifier) throw new Error(`${values.data}: no embedded classifier, no FID`);

const sel = await selectBackend(['wasm']);
installTrainingFixes(sel.tf);
const family = findFamily('stackgan');
const hp = { ...schemaDefaults(family.hyperParams, 'images'), ...parseHp(values.hp) };
const model = family.create({ tf: sel.tf, hp, data: info, rng: Rng.stream(seed, 'init') });

const times = { 1: 0, 2: 0 };
let last = {};
for (let step = 1; step <= steps; step++) {
  const t0 = performance.now();
  last = model.step(stepBatches(data, undefined, hp.batchSize, seed, step), stepNoise(seed, step));
  times[step <= hp.stage1Steps ? 1 : 2] += (performance.now() - t0) / 1000;
  if (step % 50 === 0) console.error(`step ${step}: ${JSON.stringify(last)}`);
}

const held = data.heldOut(nHeld, Rng.stream(seed, 'reference'));
const extractor = await createExtractor(info.classifier);
const fidInput = (s) => (s.n > s.dims ? s.stats : s.features);
/** The share of images whose classifier argmax is their caption's label. */
function accuracy(logits) {
  const k = logits.cols;
  let hit = 0;
  for (let i = 0; i < held.n; i++) {
    const row = logits.data.subarray(i * k, (i + 1) * k);
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
    if (best === held.labels[i]) hit++;
  }
  return hit / held.n;
}
const real = await imageFeatures(extractor, held.x, data.image, false, 'held-out images');
const rows = [{ images: 'real (held-out)', FID: '–', 'class accuracy': accuracy(real.logits).toFixed(3) }];
for (const stage of [1, 2]) {
  // The same Rng for both stages: stage II redraws exactly the stage-I images scored beside it.
  const x = model.sample(held.n, Rng.stream(seed, 'stages'), { text: held.text, stage });
  const feats = await imageFeatures(extractor, x, data.image, false, `stage ${stage}`);
  const f = (await fid(fidInput(real), fidInput(feats))).fid;
  rows.push({ images: stage === 1 ? 'stage I, bicubic ×2' : 'stage II', FID: f.toFixed(2), 'class accuracy': accuracy(feats.logits).toFixed(3) });
}
model.dispose();
await extractor.dispose();

const show = ['hidden', 'latentDim', 'condDim', 'ca', 'klWeight', 'resBlocks', 'batchSize', 'lr', 'stage1Steps'].map((k) => `${k}=${hp[k]}`).join(' ');
console.log(`data ${values.data} (${held.n} held-out captions), seed ${seed}, ${steps} steps (stage I ${times[1].toFixed(0)} s, stage II ${times[2].toFixed(0)} s)`);
console.log(show);
console.log(`last losses ${JSON.stringify(last)}`);
console.table(rows);
const [, s1, s2] = rows;
console.log(`stage II FID < stage I bicubic: ${Number(s2.FID) < Number(s1.FID) ? 'holds' : 'does not hold'}`);
console.log(`stage II class accuracy ≥ stage I: ${Number(s2['class accuracy']) >= Number(s1['class accuracy']) ? 'holds' : 'does not hold'}`);
