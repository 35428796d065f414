/**
 * How long one training-time evaluation of an image run takes, by part: sampling `evalSamples`
 * images (chunks of 250, as the loop does), the embedded classifier's features, FID, KID
 * (10 subsets) and IS, against the held-out reference extracted once. Untrained weights: the cost
 * does not depend on them. Usage: node bench/image-eval-timing.mjs [model] [data] [imageSize] [n]
 * (after `npm run build`; defaults ns-gan mnist 28 1000).
 */
import { fid, inceptionScore, kernelInceptionDistance } from '@gen-eval/metrics';
import { Rng } from '../dist/index.js';
import { imageEvalReference, imageFeatures, TRAINING_KID_SUBSETS } from '../dist/train/image-eval.js';
import { activateBackend, buildModel } from '../dist/train/loop.js';
import { evalRealCount, planNewRun } from '../dist/train/setup.js';

const [model = 'ns-gan', data = 'mnist', size = '28', n = '1000'] = process.argv.slice(2);
const plan = await planNewRun({ model, data, imageSize: Number(size), evalSamples: Number(n), out: '/nonexistent/never-written', backend: 'wasm' });
const sel = await activateBackend('wasm');
const net = buildModel(sel.tf, plan);
const s = (a, b) => ((b - a) / 1000).toFixed(2);
let t = performance.now();
const real = evalRealCount(plan.data, plan.evalSamples);
const { ref } = await imageEvalReference(plan.data, real, 0);
console.log(`${model} on ${data} at ${size} px: ${plan.evalSamples} generated vs ${real} held-out; reference features (once per run) ${s(t, performance.now())} s`);
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const rng = new Rng(rep);
  const x = new Float32Array(plan.evalSamples * plan.data.dims);
  for (let i = 0; i < plan.evalSamples; i += 250) x.set(net.sample(Math.min(250, plan.evalSamples - i), rng), i * plan.data.dims);
  const t1 = performance.now();
  const fake = await imageFeatures(ref.extractor, x, ref.shape, ref.perChannel, 'generated');
  const t2 = performance.now();
  await fid(ref.real.stats, fake.features);
  const t3 = performance.now();
  await kernelInceptionDistance(ref.real.features, fake.features, { subsets: TRAINING_KID_SUBSETS, subsetSize: Math.min(1000, ref.real.n, fake.n) });
  const t4 = performance.now();
  inceptionScore(fake.logits, { splits: 10 });
  const t5 = performance.now();
  console.log(`  sampling ${s(t0, t1)} s, features ${s(t1, t2)} s, FID ${s(t2, t3)} s, KID ${s(t3, t4)} s, IS ${s(t4, t5)} s — total ${s(t0, t5)} s`);
}
await ref.extractor.dispose();
net.dispose();
