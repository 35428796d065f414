// Speed of the ViT extractors (not part of the tests): DINOv2 ViT-L/14 at 224 and CLIP ViT-L/14@336's
// image tower, ours (the graph built from the weights, run by onnxruntime) against the official
// model code on Debian's torch CPU (bench/vit_speed_torch.py), on the same synthetic weights in the
// official format, the same batch size and the same number of intra-op threads, in the same run.
// Uses the built package (dist/), so build first. Results: docs/tuning/vit-speed.md.
//
//   node packages/metrics/bench/vit-speed.mjs --dinov2-repo DIR --clip-repo DIR
//        [--network dinov2,clip] [--batch 4] [--batches 2] [--rounds 2] [--threads 2] [--dir DIR]
//        [--memory-images 5000] [--memory-arch tiny] [--memory-side reference|ours] [--dinov2-arch vitl14] [--clip-arch ViT-L/14@336px]
//
//   1. weights: bench/vit_speed_torch.py writes seeded random weights in the official format into
//      --dir (default a temporary folder; an existing file there is reused);
//      (A build that does not register the extractor yet times our graph builder, extractors/vit,
//      on random weights of the network's geometry instead.)
//   2. fixed cost: our extractor created twice from the weights with a model cache in --dir — cold
//      (weights read, graph built and cached, session) then warm (weights hashed, cached ONNX read,
//      session) — and torch's (official code imported, model built, weights loaded);
//   3. throughput: --rounds rounds of ours, a reference and torch in turn (the order reverses every
//      round, so all see the same machine load), each one warm-up batch then --batches timed batches
//      of --batch images; medians of images/s and of the ratios to torch per round. The reference is
//      onnxruntime (same session options) on torch.onnx.export's graph of the same official model
//      and weights: what onnxruntime reaches on a graph written by torch, so a gap between ours and
//      it is in how our graph is written, not in the runtime;
//   4. memory (--memory-images N, 0 skips): peak RSS of a child process that streams a folder of N
//      generated images through the folder pipeline (decode, resize, extractor, statistics; cache
//      off) with DINOv2 --memory-arch (tiny, vits14, …) as --memory-side ours or reference, against
//      the same with N/10 images: bounded memory means the two peaks agree.
// A final line `{"bench":"vit-speed",…}` holds every number as JSON.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => import(join(here, '..', 'dist', p));
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const log = (s) => process.stdout.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 2) => x.toFixed(d);

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    network: { type: 'string', default: 'dinov2,clip' },
    batch: { type: 'string', default: '4' },
    batches: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string', default: '2' },
    dir: { type: 'string' },
    'dinov2-repo': { type: 'string' },
    'clip-repo': { type: 'string' },
    'dinov2-arch': { type: 'string', default: 'vitl14' },
    'clip-arch': { type: 'string', default: 'ViT-L/14@336px' },
    'memory-images': { type: 'string', default: '5000' },
    'memory-arch': { type: 'string', default: 'tiny' },
    'memory-side': { type: 'string', default: 'reference' },
    // Internal: the memory child (`memory` positional).
    images: { type: 'string' },
    extractor: { type: 'string' },
    weights: { type: 'string' },
  },
});

/** The networks benchmarked: our extractor spec, the weights file's name, torch's arch. */
const NETWORKS = {
  dinov2: { spec: `dinov2:${opt['dinov2-arch']}`, file: `dinov2_${opt['dinov2-arch']}_pretrain.pth`, arch: opt['dinov2-arch'], repo: 'dinov2-repo' },
  clip: { spec: `clip:${opt['clip-arch']}`, file: `${opt['clip-arch'].replace(/[/@]/g, '-')}.pt`, arch: opt['clip-arch'], repo: 'clip-repo' },
};

/** Runs the torch script to completion; its last stdout line as JSON. */
function python(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, [join(here, 'vit_speed_torch.py'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`vit_speed_torch.py ${args[0]} exited ${code}`))));
  });
}

/** torch's side as a server: built once, then `run B N` per round; resolves when ready. */
async function torchServer(net, weights, threads) {
  const repo = opt[net.repo];
  const p = spawn(
    PYTHON,
    [
      join(here, 'vit_speed_torch.py'),
      'serve',
      '--network',
      net === NETWORKS.dinov2 ? 'dinov2' : 'clip',
      '--weights',
      weights,
      '--threads',
      String(threads),
      `--${net.repo}`,
      repo,
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('vit_speed_torch.py serve ended early');
    return JSON.parse(value);
  };
  const ready = await next();
  return {
    ready,
    async run(batch, batches) {
      p.stdin.write(`run ${batch} ${batches}\n`);
      return next();
    },
    close() {
      p.stdin.end('quit\n');
      return new Promise((r) => p.on('close', r));
    },
  };
}

/** n × 3 × size × size seeded values in [lo, hi]. */
function seeded(RandomState, n, size, lo, hi) {
  const rs = new RandomState(0);
  const x = new Float32Array(n * 3 * size * size);
  for (let i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * rs.random();
  return x;
}

/** Wall-clock seconds of each of `batches` calls of `call`, after one warm-up call. */
async function timeCalls(call, batches) {
  await call();
  const times = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    await call();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

/** Geometry of the published sizes: width, heads, blocks, patch, input size, projection (CLIP). */
const GEOMETRY = {
  dinov2: { vits14: [384, 6, 12, 14, 224], vitb14: [768, 12, 12, 14, 224], vitl14: [1024, 16, 24, 14, 224] },
  clip: {
    'ViT-B/32': [768, 12, 12, 32, 224, 512],
    'ViT-B/16': [768, 12, 12, 16, 224, 512],
    'ViT-L/14': [1024, 16, 24, 14, 224, 768],
    'ViT-L/14@336px': [1024, 16, 24, 14, 336, 768],
  },
};

/**
 * Our graph builder alone (extractors/vit), for a build whose extractor is not registered yet: the
 * network's geometry with seeded random weights (values do not change the speed), DINOv2's blocks
 * (exact GELU, LayerScale, patch bias, ε 1e-6) or CLIP's (QuickGELU, ln_pre, projection, ε 1e-5).
 */
async function ourGraph(name, arch, threads, createSession) {
  const [{ buildVitModel }, { encodeModel }] = await Promise.all([dist('extractors/vit/vit-graph.js'), dist('onnx/proto.js')]);
  const [dim, heads, depth, patch, size, proj] = GEOMETRY[name][arch];
  let state = 12345;
  const rnd = (n, scale = 0.02) => Float32Array.from({ length: n }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 2 * scale);
  const ones = (n) => new Float32Array(n).fill(1);
  const linear = (fin, fout) => ({ weight: rnd(fin * fout), bias: rnd(fout), inFeatures: fin, outFeatures: fout });
  const norm = () => ({ weight: ones(dim), bias: rnd(dim) });
  const clip = name === 'clip';
  const blocks = Array.from({ length: depth }, () => ({
    norm1: norm(),
    qkv: linear(dim, 3 * dim),
    proj: linear(dim, dim),
    norm2: norm(),
    mlp: { kind: clip ? 'quick-gelu' : 'gelu', fc1: linear(dim, 4 * dim), fc2: linear(4 * dim, dim) },
    ...(clip ? {} : { ls1: ones(dim), ls2: ones(dim) }),
  }));
  const tokens = 1 + (size / patch) ** 2;
  const t0 = performance.now();
  const model = buildVitModel({
    dim,
    heads,
    eps: clip ? 1e-5 : 1e-6,
    blocks,
    inChannels: 3,
    patchSize: patch,
    imageSize: [size, size],
    patchWeight: rnd(dim * 3 * patch * patch),
    ...(clip ? { lnPre: norm(), projection: { matrix: rnd(dim * proj), outDim: proj } } : { patchBias: rnd(dim) }),
    classToken: rnd(dim),
    posEmbed: rnd(tokens * dim),
    norm: norm(),
    normalize: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  });
  const session = await createSession(encodeModel(model), `${name} graph`, { threads });
  return { session, size, seconds: (performance.now() - t0) / 1000 };
}

/** DINOv2's graph from the weight file (extractors/dinov2: read, validated, position embedding interpolated, built). */
async function dinov2Graph(weights, threads, createSession) {
  const [{ readDinov2Weights }, { buildDinov2Model }, { encodeModel }] = await Promise.all([
    dist('extractors/dinov2/weights.js'),
    dist('extractors/dinov2/graph.js'),
    dist('onnx/proto.js'),
  ]);
  const t0 = performance.now();
  const session = await createSession(encodeModel(buildDinov2Model(readDinov2Weights(weights))), 'dinov2 graph', { threads });
  return { session, size: 224, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Our extractor from the weights, twice (cold: graph built and cached; warm: cached ONNX → session),
 * or undefined when this build does not register the extractor.
 */
async function ourExtractor(net, options, createExtractor, listExtractors) {
  const name = net.spec.split(':')[0];
  if (!listExtractors().some((e) => e.name === name)) return undefined;
  const timed = async () => {
    const t0 = performance.now();
    const e = await createExtractor(net.spec, options);
    return { extractor: e, seconds: (performance.now() - t0) / 1000 };
  };
  const cold = await timed();
  await cold.extractor.dispose();
  const warm = await timed();
  return { extractor: warm.extractor, cold: cold.seconds, warm: warm.seconds };
}

async function speed(name, dir) {
  const [{ RandomState }, { createExtractor, listExtractors }, { createSession }, ort] = await Promise.all([
    dist('random.js'),
    dist('extract.js'),
    dist('extractors/session.js'),
    import('onnxruntime-node'),
  ]);
  const net = NETWORKS[name];
  const [batch, batches, rounds, threads] = ['batch', 'batches', 'rounds', 'threads'].map((k) => Number(opt[k]));
  if (opt[net.repo] === undefined) throw new Error(`--${net.repo} DIR is required (a clone or bare git directory)`);
  const repoArgs = [`--${net.repo}`, opt[net.repo]];
  const weights = join(dir, net.file);
  if (!existsSync(weights)) {
    const w = await python(['write-weights', '--network', name, '--arch', net.arch, '--out', weights, ...repoArgs]);
    log(`${name}: synthetic weights ${weights} (${w.tensors} tensors, ${fmt(w.bytes / 2 ** 20, 0)} MiB)`);
  }
  const reference = join(dir, `${name}-torch-export.onnx`);
  if (!existsSync(reference)) await python(['export-onnx', '--network', name, '--weights', weights, '--out', reference, ...repoArgs]);
  const sides = {};
  const fixed = {};
  const cleanup = [];
  const ours = await ourExtractor(net, { weights, modelCache: join(dir, 'cache'), threads, maxBatch: batch, quiet: true }, createExtractor, listExtractors);
  if (ours === undefined) {
    const g = name === 'dinov2' ? await dinov2Graph(weights, threads, createSession) : await ourGraph(name, net.arch, threads, createSession);
    const input = { images: new ort.Tensor('float32', seeded(RandomState, batch, g.size, 0, 1), [batch, 3, g.size, g.size]) };
    sides.ours = () => g.session.run(input);
    fixed.ours_graph_built = g.seconds;
    cleanup.push(() => g.session.release());
    log(
      `${name}: no ${net.spec.split(':')[0]} extractor registered in this build: ours = its graph (${name === 'dinov2' ? 'extractors/dinov2 from the weight file' : 'extractors/vit on random weights'}), built in ${fmt(g.seconds)} s`,
    );
  } else {
    const e = ours.extractor;
    const x = seeded(RandomState, batch, e.input.width, e.input.range[0], e.input.range[1]);
    sides.ours = () => e.run(x, batch);
    Object.assign(fixed, { ours_cold: ours.cold, ours_warm: ours.warm });
    log(`${name}: ours ${e.name}, input ${e.input.width}×${e.input.height}, ${e.outputs.features} features`);
    log(`${name}: fixed cost, ours: cold ${fmt(ours.cold)} s (graph built and cached), warm cache ${fmt(ours.warm)} s (weights hashed → cached ONNX → session)`);
  }
  const torch = await torchServer(net, weights, threads);
  const size = torch.ready.size;
  Object.assign(fixed, { torch: torch.ready.fixed_s, torch_with_imports: torch.ready.since_start_s });
  log(`${name}: fixed cost, torch ${torch.ready.torch}: ${fmt(torch.ready.fixed_s)} s (model built, weights loaded; ${fmt(torch.ready.since_start_s)} s with the imports)`);
  const refSession = await createSession(reference, `${name} torch.onnx export`, { threads });
  const refInput = { images: new ort.Tensor('float32', seeded(RandomState, batch, size, -2, 2), [batch, 3, size, size]) };
  sides.reference = () => refSession.run(refInput);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const order = [...Object.keys(sides), 'torch'];
    if (r % 2 === 1) order.reverse();
    const round = {};
    for (const side of order) {
      const times = side === 'torch' ? (await torch.run(batch, batches + 1)).times_s.slice(1) : await timeCalls(sides[side], batches);
      round[side] = (batch * times.length) / times.reduce((a, b) => a + b, 0);
    }
    perRound.push(round);
    const shown = order.map((side) => `${side} ${fmt(round[side], 3)}`).join(', ');
    log(`${name}: round ${r + 1}: images/s ${shown}; ratio ours/torch ${round.ours ? fmt(round.ours / round.torch) : '–'}, reference/torch ${fmt(round.reference / round.torch)}`);
  }
  await torch.close();
  await refSession.release();
  await ours?.extractor.dispose();
  for (const c of cleanup) await c();
  const med = (side) => (perRound[0][side] === undefined ? null : median(perRound.map((r) => r[side])));
  const ratio = (side) => (perRound[0][side] === undefined ? null : median(perRound.map((r) => r[side] / r.torch)));
  const result = {
    network: name,
    spec: net.spec,
    extractor: ours?.extractor.name ?? null,
    size,
    batch,
    batches,
    rounds,
    threads,
    images_per_s: { ours: med('ours'), torch: med('torch'), reference: med('reference') },
    ratio_to_torch: { ours: ratio('ours'), reference: ratio('reference') },
    fixed_s: fixed,
  };
  log(
    `${name}: median images/s ours ${result.images_per_s.ours === null ? '–' : fmt(result.images_per_s.ours, 3)}, torch ${fmt(result.images_per_s.torch, 3)}, torch.onnx export on onnxruntime ${fmt(result.images_per_s.reference, 3)}; ours/torch ${result.ratio_to_torch.ours === null ? '–' : fmt(result.ratio_to_torch.ours)}`,
  );
  return result;
}

/** The memory child: streams a folder of `images` generated PNGs through the pipeline as the CLI does; prints its peak RSS. */
async function memoryChild() {
  const [{ ExtractorSession, loadInput }, { default: sharp }] = await Promise.all([dist('extract.js'), import('sharp')]);
  const n = Number(opt.images);
  const folder = mkdtempSync(join(tmpdir(), 'vit-speed-images-'));
  try {
    const px = new Uint8Array(32 * 32 * 3);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < px.length; i++) px[i] = (i * 7 + k * 13) & 255;
      await sharp(px, { raw: { width: 32, height: 32, channels: 3 } })
        .png()
        .toFile(join(folder, `${String(k).padStart(5, '0')}.png`));
    }
    const spec = opt.extractor;
    // The reference graph is a user ONNX model to the pipeline: it declares its input.
    const model = spec.startsWith('onnx:') ? { normalize: 'imagenet', inputSize: 224 } : { weights: opt.weights };
    const session = new ExtractorSession({ extractor: spec, ...model, threads: Number(opt.threads), workers: 1, cache: false, quiet: true });
    const t0 = performance.now();
    const r = await loadInput(folder, session);
    await session.dispose();
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(`${JSON.stringify({ images: r.set.n, seconds, max_rss_mib: process.resourceUsage().maxRSS / 1024 })}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Peak RSS of the memory child for n and n/10 images: DINOv2 `--memory-arch` (default `tiny`, a
 * 2-block 64-wide network, so that the run measures the pipeline rather than the network), as our
 * extractor (`--memory-side ours`) or as the torch.onnx export given to the pipeline as `onnx:PATH`.
 */
async function memory(dir) {
  const n = Number(opt['memory-images']);
  const arch = opt['memory-arch'];
  const repo = ['--dinov2-repo', opt['dinov2-repo']];
  const weights = join(dir, `dinov2_${arch}_pretrain.pth`);
  if (!existsSync(weights)) await python(['write-weights', '--network', 'dinov2', '--arch', arch, '--out', weights, ...repo]);
  let spec = `dinov2:${arch}`;
  if (opt['memory-side'] === 'reference') {
    const onnx = join(dir, `dinov2_${arch}-torch-export.onnx`);
    if (!existsSync(onnx)) await python(['export-onnx', '--network', 'dinov2', '--weights', weights, '--out', onnx, ...repo]);
    spec = `onnx:${onnx}`;
  }
  const child = (images) =>
    new Promise((resolve, reject) => {
      const args = [fileURLToPath(import.meta.url), 'memory', '--images', String(images), '--extractor', spec, '--weights', weights, '--threads', opt.threads];
      const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`memory child exited ${code}`))));
    });
  const small = await child(Math.max(1, Math.round(n / 10)));
  const large = await child(n);
  for (const m of [small, large]) log(`memory: ${opt['memory-side']} dinov2 ${arch}, ${m.images} images streamed in ${fmt(m.seconds, 1)} s: peak RSS ${fmt(m.max_rss_mib, 0)} MiB`);
  return { arch, side: opt['memory-side'], small, large };
}

if (positionals[0] === 'memory') {
  await memoryChild();
} else {
  const dir = opt.dir ?? mkdtempSync(join(tmpdir(), 'vit-speed-'));
  mkdirSync(dir, { recursive: true });
  const out = { bench: 'vit-speed', networks: [] };
  for (const name of opt.network.split(',').filter(Boolean)) out.networks.push(await speed(name, dir));
  if (Number(opt['memory-images']) > 0) out.memory = await memory(dir);
  log(JSON.stringify(out));
  if (opt.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
