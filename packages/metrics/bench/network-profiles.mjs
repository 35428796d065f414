// `node bench/network-profiles.mjs` in packages/metrics (not part of the tests; build first): speed
// of the network profiles (Pillow's 8-bit BICUBIC + crop + x/255 to CHW float32) against the
// existing `clean` profile (Pillow "F" bicubic, WebAssembly) on seeded RGB images, one thread.
// Prints input megapixels per second, the median of BENCH_REPEATS (5) rounds of BENCH_IMAGES (40).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { preprocess, preprocessProfile } = await import(join(here, '..', 'dist', 'image', 'profiles.js'));
const { RandomState } = await import(join(here, '..', 'dist', 'random.js'));
const IMAGES = Number(process.env.BENCH_IMAGES ?? 40);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

function image(w, h, seed) {
  const rs = new RandomState(seed);
  const data = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rs.random() * 256));
  return { width: w, height: h, data };
}

const cases = [
  ['pillow-bicubic', 224, 512, 512],
  ['pillow-bicubic', 224, 28, 28],
  ['clip', 224, 300, 200],
  ['clip', 336, 512, 384],
  ['cmmd', 336, 512, 384],
  ['clean', 224, 512, 512],
];
const rows = [];
for (const [name, size, w, h] of cases) {
  const profile = preprocessProfile(name, size, [0, 1]);
  const imgs = Array.from({ length: 4 }, (_, i) => image(w, h, i));
  const out = new Float32Array(3 * size * size);
  const rates = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < IMAGES; i++) preprocess(imgs[i % 4], profile, out);
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    rates.push((IMAGES * w * h) / s / 1e6);
  }
  rates.sort((a, b) => a - b);
  const mpx = rates[Math.floor(REPEATS / 2)];
  rows.push({ profile: name, size, input: `${w}x${h}`, mpx_per_s: Number(mpx.toFixed(1)), images_per_s: Math.round((mpx * 1e6) / (w * h)) });
}
for (const r of rows) console.log(`| ${r.profile} | ${r.input} → ${r.size} | ${r.mpx_per_s} | ${r.images_per_s} |`);
console.log(JSON.stringify({ bench: 'network-profiles', rows }));
