// `node packages/metrics/bench/text-encoders.mjs` (not part of the tests; uses the built dist/, so
// build first): what the shipped text encoders cost — loading `text-cond-mnist`, encoding 512
// captions of which 90 are distinct (first call, then memoised), and the judge's image encoder on
// 2 000 images (onnxruntime, one thread).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { loadCaptionEncoder, loadJudge } = await import(join(here, '..', 'dist', 'conditional.js'));

const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const adjectives = ['thick', 'thin', 'regular', 'bold', 'slim', 'heavy', 'light', 'medium', 'normal'];
const captions = Array.from({ length: 512 }, (_, i) => `a ${adjectives[i % 9]} ${digits[(i * 7) % 10]} leaning ${i % 2 ? 'left' : 'right'}${i % 3 ? '' : ' in bold strokes'}`);
const distinct = new Set(captions).size;

loadCaptionEncoder('text-cond-mnist').encode(['a seven']); // compile the code paths once
let t = performance.now();
const encoder = loadCaptionEncoder('text-cond-mnist');
const loadMs = performance.now() - t;
t = performance.now();
encoder.encode(captions);
const firstMs = performance.now() - t;
t = performance.now();
for (let r = 0; r < 10; r++) encoder.encode(captions);
const memoisedMs = (performance.now() - t) / 10;

const judge = loadJudge('mnist', { threads: 1 });
const n = 2000;
const images = Float32Array.from({ length: n * 784 }, (_, i) => ((i * 2654435761) % 997) / 997);
await judge.encodeImages(images.subarray(0, 784), 1); // session creation
t = performance.now();
await judge.encodeImages(images, n);
const imageMs = performance.now() - t;
await judge.dispose();

console.log(
  JSON.stringify({
    load_ms: +loadMs.toFixed(1),
    captions: captions.length,
    distinct,
    first_call_ms: +firstMs.toFixed(1),
    per_distinct_caption_ms: +(firstMs / distinct).toFixed(3),
    memoised_call_ms: +memoisedMs.toFixed(2),
    images: n,
    images_ms: Math.round(imageMs),
    per_image_ms: +(imageMs / n).toFixed(3),
  }),
);
