#!/usr/bin/env node
/**
 * `node bench/paired-data.mjs` — what the paired data sets cost (docs/tuning/data.md): the edge
 * maps of all 60 000 Fashion-MNIST training images, one batch of 16 pairs of edges2fashion and
 * of MNIST's ×2 super-resolution pairs, against the unpaired batch of the same base set, and the
 * share of edge pixels. Needs the built package (npm run build) and Debian's dataset-fashion-mnist.
 */
import { edgeMap, loadFashionMnist, resolveDataset, Rng, superResolutionPairs } from '../dist/index.js';

const ms = (t0) => performance.now() - t0;
const set = loadFashionMnist('train');
const out = new Uint8Array(784);
let edges = 0;
let t0 = performance.now();
for (let j = 0; j < set.n; j++) {
  edgeMap(set.pixels, j * 784, 28, 28, out);
  for (const v of out) edges += v > 0 ? 1 : 0;
}
console.log(`edge maps of ${set.n} Fashion-MNIST train images: ${(ms(t0) / 1000).toFixed(2)} s; edge pixels ${((100 * edges) / (set.n * 784)).toFixed(1)} %`);

const batchTime = (d) => {
  d.sample(16, new Rng(0));
  const t = performance.now();
  for (let i = 1; i <= 500; i++) d.sample(16, new Rng(i));
  return ((ms(t) / 500) * 1000).toFixed(0);
};
const mnist = resolveDataset('mnist');
console.log('| data | batch of 16 (µs) |\n| --- | --- |');
for (const [name, d] of [
  ['fashion-mnist', resolveDataset('fashion-mnist')],
  ['edges2fashion (edge maps computed on first draw)', resolveDataset('edges2fashion')],
  ['mnist', mnist],
  ['mnist, ×2 super-resolution pairs', superResolutionPairs(mnist, 2)],
])
  console.log(`| ${name} | ${batchTime(d)} |`);
