// `node packages/metrics/bench/paired.mjs` (not part of the tests; uses the built dist/, so build
// first): how far pairedMetrics is from scikit-image on the committed CLI inputs
// (fixtures/golden/paired/cli.json: uint8 folders, a float array, grey arrays), and the time per
// pair of psnr, ssim and meanAbsoluteError at 28×28 grey and 256×256 RGB on random images.
// BENCH_ROUNDS (5): repetitions per timing, the median reported.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const G = join(here, '..', '..', '..', 'fixtures', 'golden', 'paired');
const { meanAbsoluteError, pairedMetrics, psnr, RandomState, ssim } = await import(join(here, '..', 'dist', 'index.js'));
const golden = JSON.parse(readFileSync(join(G, 'cli.json'), 'utf8'));
const value = (v) => (v === 'Infinity' ? Infinity : v);

const worst = { l1: 0, psnr: 0, ssim: 0 };
for (const [set, ref, test] of [
  ['uint8', 'ref', 'test'],
  ['float', 'ref.npy', 'test-float.npy'],
  ['grey', 'grey-ref.npy', 'grey-test.npy'],
]) {
  const r = await pairedMetrics(join(G, ref), join(G, test));
  r.perImage.forEach((p, i) => {
    for (const key of Object.keys(worst)) {
      const want = value(golden[set].per_image[i][key]);
      const got = p.values[key];
      worst[key] = Math.max(worst[key], got === want ? 0 : Math.abs(got - want));
    }
  });
}
console.log(`largest |gen-eval − scikit-image| over the 3 CLI input sets: ${JSON.stringify(worst)}`);

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const image = (h, w, c, seed) => {
  const rs = new RandomState(seed);
  return { height: h, width: w, channels: c, data: Float64Array.from({ length: h * w * c }, () => Math.floor(rs.random() * 256)) };
};
const timings = {};
for (const [h, w, c, n] of [
  [28, 28, 1, 2000],
  [256, 256, 3, 10],
]) {
  const a = image(h, w, c, 1);
  const b = image(h, w, c, 2);
  for (const [name, f] of [
    ['psnr', psnr],
    ['ssim', ssim],
    ['l1', meanAbsoluteError],
  ]) {
    f(a, b);
    const times = [];
    for (let k = 0; k < rounds; k++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) f(a, b);
      times.push((performance.now() - t) / n);
    }
    const median = times.sort((x, y) => x - y)[Math.floor(rounds / 2)];
    timings[`${name} ${h}×${w}×${c}`] = Number(median.toFixed(4));
  }
}
console.log('ms per pair (median):', JSON.stringify(timings));
