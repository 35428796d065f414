// One-off ViT-L/14-shaped DINOv2 check (not part of the tests): full-depth ViT-L/14 at 224×224 on
// seeded synthetic weights, our onnxruntime graph against the official code run by
//   /usr/bin/python3 fixtures/scripts/gen_dinov2_golden.py --dinov2-repo PATH --vitl14-check
// (which writes /tmp/dinov2-vitl14-check.json with torch's features and its warm seconds per image).
// Prints the max relative error (max |ours − torch| / max |torch|), onnxruntime images/s against
// torch's (same thread count) and the fixed costs: building the graph from weights, and opening a
// session from cached ONNX bytes (what a warm model cache pays). Uses the built dist/: build first.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => import(join(here, '..', 'dist', p));
const [{ DINOV2_ARCHS }, { syntheticDinov2StateDict }, { buildDinov2Model }, { encodeModel }, { createSession }, { loadOrt }, { RandomState }] = await Promise.all([
  dist('extractors/dinov2/architecture.js'),
  dist('extractors/dinov2/synthetic.js'),
  dist('extractors/dinov2/graph.js'),
  dist('onnx/proto.js'),
  dist('extractors/session.js'),
  dist('extractors/ort.js'),
  dist('random.js'),
]);

const golden = JSON.parse(readFileSync(process.argv[2] ?? '/tmp/dinov2-vitl14-check.json', 'utf8')).variants[0];
const arch = DINOV2_ARCHS.vitl14;
const threads = golden.torchThreads ?? 1;
const stateDict = syntheticDinov2StateDict(arch, arch.depth, golden.seed);
let t = performance.now();
const bytes = encodeModel(buildDinov2Model({ stateDict, arch, depth: arch.depth, sha256: '', file: 'synthetic' }));
const buildS = (performance.now() - t) / 1000;
t = performance.now();
const session = await createSession(bytes, 'dinov2-vitl14', { threads });
const openS = (performance.now() - t) / 1000;
const rs = new RandomState(golden.seed + 100);
const n = golden.count;
const images = Float32Array.from({ length: n * 3 * 224 * 224 }, () => rs.random());
const { Tensor } = await loadOrt();
const feed = { images: new Tensor('float32', images, [n, 3, 224, 224]) };
const out = (await session.run(feed)).features.data;
t = performance.now();
await session.run(feed);
const ortPerImage = (performance.now() - t) / 1000 / n;
let maxErr = 0;
let maxVal = 0;
golden.features.forEach((v, i) => {
  maxErr = Math.max(maxErr, Math.abs(v - out[i]));
  maxVal = Math.max(maxVal, Math.abs(v));
});
const result = {
  bench: 'dinov2-vitl14',
  images: n,
  threads,
  maxRelError: maxErr / maxVal,
  onnxMB: bytes.length / 2 ** 20,
  buildSeconds: buildS,
  openSessionSeconds: openS,
  ortImagesPerSecond: 1 / ortPerImage,
  torchImagesPerSecond: 1 / golden.torchSecondsPerImage,
  ratio: golden.torchSecondsPerImage / ortPerImage,
};
console.log(JSON.stringify(result));
