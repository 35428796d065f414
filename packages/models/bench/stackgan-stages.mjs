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
 *   node bench/stackgan-stages.mjs [--data captioned-mnist] [--steps 2000] [--seed 0]
 *        [--held-out 1000] [--hp k=v,…]
 *
 * The real held-out images' own class accuracy is printed as the ceiling, and theirs at 14 px
 * (downsampled and upsampled back by the same bicubic) as stage I's. Runs the built dist
 * (npx turbo run build first).
 */
import { loadCaptionEncoder } from '@gen-eval/metrics/conditional';
import { dataInfo, findFamily, Rng } from '../dist/index.js';
import { CAPTIONED_DATASETS, captionedDataset } from '../dist/data/captioned.js';
import { resizeBicubic } from '../dist/train/paired-eval.js';
import { benchArgs, benchHp, buildModel, classifierScorer, parseHp, trainingTf, trainSteps } from './bench-common.mjs';

const { values, steps, seed, heldOut: nHeld } = benchArgs({ data: 'captioned-mnist', steps: '2000', seed: '0', heldOut: '1000' });

const entry = CAPTIONED_DATASETS[values.data];
if (!entry) throw new Error(`${values.data}: not a captioned data set (${Object.keys(CAPTIONED_DATASETS).join(', ')})`);
// The set with its conditioning encoder, text-cond-<base>, as a run trains on it.
const data = captionedDataset(values.data, { imageSize: 28 }, loadCaptionEncoder(`text-cond-${entry.base}`));
const info = dataInfo(data);
if (!info.classifier) throw new Error(`${values.data}: no embedded classifier, no FID`);

const tf = await trainingTf();
const family = findFamily('stackgan');
const hp = benchHp(family, parseHp(values.hp));
const model = buildModel(family, tf, hp, info, seed);

const times = { 1: 0, 2: 0 };
const { last } = trainSteps(model, data, hp, seed, 1, steps, (step, losses, seconds) => {
  times[step <= hp.stage1Steps ? 1 : 2] += seconds;
  if (step % 50 === 0) console.error(`step ${step}: ${JSON.stringify(losses)}`);
});

const held = data.heldOut(nHeld, Rng.stream(seed, 'reference'));
const scorer = await classifierScorer(info.classifier);
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
const real = await scorer.features(held.x, data.image, 'held-out images');
const rows = [{ images: 'real (held-out)', FID: '–', 'class accuracy': accuracy(real.logits).toFixed(3) }];
// Stage I's ceiling: the held-out images at 14 px (as stage I's D sees real images) brought back by the same bicubic.
const low = { ...data.image, height: 14, width: 14 };
const realLow = await scorer.features(resizeBicubic(resizeBicubic(held.x, data.image, 14, 14), low, 28, 28), data.image, 'held-out images at 14 px');
rows.push({ images: 'real at 14 px, bicubic ×2', FID: (await scorer.fid(real, realLow)).toFixed(2), 'class accuracy': accuracy(realLow.logits).toFixed(3) });
for (const stage of [1, 2]) {
  // The same Rng for both stages: stage II redraws exactly the stage-I images scored beside it.
  const x = model.sample(held.n, Rng.stream(seed, 'stages'), { text: held.text, stage });
  const feats = await scorer.features(x, data.image, `stage ${stage}`);
  const f = await scorer.fid(real, feats);
  rows.push({ images: stage === 1 ? 'stage I, bicubic ×2' : 'stage II', FID: f.toFixed(2), 'class accuracy': accuracy(feats.logits).toFixed(3) });
}
model.dispose();
await scorer.dispose();

const show = ['hidden', 'latentDim', 'condDim', 'ca', 'klWeight', 'resBlocks', 'batchSize', 'lr', 'stage1Steps'].map((k) => `${k}=${hp[k]}`).join(' ');
console.log(`data ${values.data} (${held.n} held-out captions), seed ${seed}, ${steps} steps (stage I ${times[1].toFixed(0)} s, stage II ${times[2].toFixed(0)} s)`);
console.log(show);
console.log(`last losses ${JSON.stringify(last)}`);
console.table(rows);
const [, , s1, s2] = rows;
console.log(`stage II FID < stage I bicubic: ${Number(s2.FID) < Number(s1.FID) ? 'holds' : 'does not hold'}`);
console.log(`stage II class accuracy ≥ stage I: ${Number(s2['class accuracy']) >= Number(s1['class accuracy']) ? 'holds' : 'does not hold'}`);
