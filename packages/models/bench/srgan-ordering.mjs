#!/usr/bin/env node
/**
 * `npm run bench:srgan -w @gen-eval/models` — the perception–distortion ordering of Ledig et al.
 * 2017 (Blau & Michaeli 2018) at 14 → 28 px: trains SRResNet (adversarialWeight 0, pixel MSE) and
 * SRGAN (classifier-feature content + 10⁻³ adversarial) with the same steps, batch and seed, then
 * scores held-out pairs (test split) of each and of Pillow's bicubic ×2 upsampling of the inputs:
 *
 *   PSNR (mean over images, on bytes): expected SRResNet > SRGAN > bicubic
 *   FID (the data's embedded classifier, outputs vs targets): expected SRGAN < SRResNet < bicubic
 *
 *   node bench/srgan-ordering.mjs [--data mnist] [--steps 600] [--seed 0] [--held-out 1000]
 *        [--hp k=v,…] [--srresnet-hp k=v,…] [--srgan-hp k=v,…] [--init-from-srresnet N]
 *
 * `--hp` sets both models, `--srresnet-hp` / `--srgan-hp` one each. `--init-from-srresnet N`
 * starts SRGAN from SRResNet's generator after `--steps`, as the paper does, and trains it N
 * steps while SRResNet trains the same N further steps: both see steps + N batches. Runs the
 * built dist (npx turbo run build first).
 */
import { psnr } from '@gen-eval/metrics';
import { dataInfo, findFamily, resolveDataset, Rng, superResolutionPairs, toBytes } from '../dist/index.js';
import { bicubicUpsample } from '../dist/train/paired-eval.js';
import { benchArgs, benchHp, buildModel, classifierScorer, parseHp, trainingTf, trainSteps } from './bench-common.mjs';

const {
  values,
  steps,
  seed,
  heldOut: nHeld,
} = benchArgs(
  { data: 'mnist', steps: '600', seed: '0', heldOut: '1000' },
  { 'srresnet-hp': { type: 'string', default: '' }, 'srgan-hp': { type: 'string', default: '' }, 'init-from-srresnet': { type: 'string' } },
);

const SIDE = 28;

const base = resolveDataset(values.data, { imageSize: SIDE });
if (base.image.channels !== 1) throw new Error(`${values.data}: this bench pairs one-channel images`);
const pairs = superResolutionPairs(base, 2);
const dataInfoOf = dataInfo(pairs);
if (!dataInfoOf.classifier) throw new Error(`${values.data}: no embedded classifier, no FID`);

const tf = await trainingTf();
const family = findFamily('srgan');
const build = (hp) => buildModel(family, tf, hp, dataInfoOf, seed);
/** Trains `model` for steps [from, from + count) with the loop's seeding; returns seconds and the last losses. */
const train = (model, hp, from, count) => trainSteps(model, pairs, hp, seed, from, count);

const common = parseHp(values.hp);
const hpResnet = benchHp(family, { content: 'mse' }, common, { adversarialWeight: 0 }, parseHp(values['srresnet-hp']));
const hpGan = benchHp(family, common, parseHp(values['srgan-hp']));
// adversarialWeight=0 in --srgan-hp makes the second model content-only: an ablation of the adversarial term.
const ganName = hpGan.adversarialWeight > 0 ? 'srgan' : `srresnet (${hpGan.content})`;

const held = pairs.heldOut(nHeld, Rng.stream(seed, 'reference'));
const scorer = await classifierScorer(dataInfoOf.classifier);
const real = await scorer.features(held.x, base.image, 'held-out targets');

async function score(name, out, budget) {
  const a = toBytes(held.x);
  const b = toBytes(out);
  let sum = 0;
  let inf = 0;
  const px = SIDE * SIDE;
  for (let i = 0; i < held.n; i++) {
    const v = psnr(
      { height: SIDE, width: SIDE, channels: 1, data: a.subarray(i * px, (i + 1) * px) },
      { height: SIDE, width: SIDE, channels: 1, data: b.subarray(i * px, (i + 1) * px) },
    );
    if (Number.isFinite(v)) sum += v;
    else inf++;
  }
  const f = await scorer.fid(real, await scorer.features(out, base.image, name));
  return { model: name, budget, 'PSNR dB': (sum / (held.n - inf)).toFixed(2), FID: f.toFixed(2), ...(inf ? { identical: inf } : {}) };
}

const rows = [];
rows.push(await score('bicubic', bicubicUpsample(held.input, pairs.input.image, 2), '–'));
console.error(JSON.stringify(rows.at(-1)));

const more = values['init-from-srresnet'] !== undefined ? Number(values['init-from-srresnet']) : 0;
const resnet = build(hpResnet);
const gan = build(hpGan);
const r1 = train(resnet, hpResnet, 1, steps);
let ganBudget;
let g;
if (more > 0) {
  // The paper's protocol: SRGAN starts from the trained SRResNet's generator (its BN averages too);
  // SRResNet goes on for the same steps, so both have seen steps + more batches.
  for (const [k, v] of resnet.variables) if (k.startsWith('G.')) gan.variables.get(k).assign(v);
  g = train(gan, hpGan, steps + 1, more);
  ganBudget = `srresnet@${steps} + ${more} steps (${(r1.seconds + g.seconds).toFixed(0)} s)`;
} else {
  g = train(gan, hpGan, 1, steps);
  ganBudget = `${steps} steps (${g.seconds.toFixed(0)} s)`;
}
const r2 = train(resnet, hpResnet, steps + 1, more);
console.error(`srresnet: ${steps + more} steps in ${(r1.seconds + r2.seconds).toFixed(1)} s, last ${JSON.stringify(more > 0 ? r2.last : r1.last)}`);
console.error(`srgan: ${ganBudget}, last ${JSON.stringify(g.last)}`);
rows.push(await score('srresnet', resnet.sample(held.n, new Rng(1), { input: held.input }), `${steps + more} steps (${(r1.seconds + r2.seconds).toFixed(0)} s)`));
rows.push(await score(ganName, gan.sample(held.n, new Rng(1), { input: held.input }), ganBudget));
resnet.dispose();
gan.dispose();
await scorer.dispose();

const show = (hp) => ['hidden', 'blocks', 'dHidden', 'upsampling', 'batchSize', 'lr', 'content', 'adversarialWeight'].map((k) => `${k}=${hp[k]}`).join(' ');
console.log(`data ${values.data} (${held.n} held-out pairs, 14 → 28), seed ${seed}`);
console.log(`srresnet: ${show(hpResnet)}`);
console.log(`srgan:    ${show(hpGan)}`);
console.table(rows);
const [bic, res, gn] = rows.map((x) => ({ psnr: Number(x['PSNR dB']), fid: Number(x.FID) }));
console.log(`PSNR srresnet > srgan > bicubic: ${res.psnr > gn.psnr && gn.psnr > bic.psnr ? 'holds' : 'does not hold'}`);
console.log(`FID srgan < srresnet < bicubic: ${gn.fid < res.fid && res.fid < bic.fid ? 'holds' : 'does not hold'}`);
