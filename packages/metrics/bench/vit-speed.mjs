// Speed of the ViT extractors (not part of the tests): DINOv2 ViT-L/14 at 224 and CLIP ViT-L/14@336's
// image tower, ours (the graph built from the weights, run by onnxruntime) against the official
// model code on Debian's torch CPU (bench/vit_speed_torch.py), on the same synthetic weights in the
// official format, the same batch size and the same number of intra-op threads, in the same run.
// Uses the built package (dist/), so build first. Results: docs/tuning/vit-speed.md.
//
//   node packages/metrics/bench/vit-speed.mjs --dinov2-repo DIR --clip-repo DIR
//        [--network dinov2,clip] [--batch 4] [--batches 2] [--rounds 2] [--threads 2] [--dir DIR]
//        [--memory-images 5000] [--memory-arch vits14]
//
//   1. weights: bench/vit_speed_torch.py writes seeded random weights in the official format into
//      --dir (default a temporary folder; an existing file there is reused);
//   2. fixed cost: our extractor created twice from the weights with a model cache in --dir — cold
//      (weights read, graph built and cached, session) then warm (weights hashed, cached ONNX read,
//      session) — and torch's (official code imported, model built, weights loaded);
//   3. throughput: --rounds rounds, ours and torch alternating (their order swaps every round, so
//      both see the same machine load), each one warm-up batch then --batches timed batches of
//      --batch images; medians of images/s and their ratio per round;
//   4. memory (--memory-images N, 0 skips): peak RSS of a child process that streams a folder of N
//      generated images through the folder pipeline (decode, resize, extractor, statistics; cache
//      off) with DINOv2 --memory-arch, against the same with N/10 images: bounded memory means the
//      two peaks agree.
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
    'memory-images': { type: 'string', default: '5000' },
    'memory-arch': { type: 'string', default: 'vits14' },
    // Internal: the memory child (`memory` positional).
    images: { type: 'string' },
    weights: { type: 'string' },
  },
});

/** The networks benchmarked: our extractor spec, the weights file's name, torch's arch. */
const NETWORKS = {
  dinov2: { spec: 'dinov2:vitl14', file: 'dinov2_vitl14_pretrain.pth', arch: 'vitl14', repo: 'dinov2-repo' },
  clip: { spec: 'clip:ViT-L/14@336px', file: 'ViT-L-14-336px.pt', arch: 'ViT-L/14@336px', repo: 'clip-repo' },
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

/** Seeded inputs in the extractor's range, n × 3 × H × W. */
function inputsFor(extractor, n, RandomState) {
  const { height, width, range } = extractor.input;
  const rs = new RandomState(0);
  const x = new Float32Array(n * 3 * height * width);
  for (let i = 0; i < x.length; i++) x[i] = range[0] + (range[1] - range[0]) * rs.random();
  return x;
}

async function speed(name, dir) {
  const [{ RandomState }, { createExtractor }] = await Promise.all([dist('random.js'), dist('extract.js')]);
  const net = NETWORKS[name];
  const [batch, batches, rounds, threads] = ['batch', 'batches', 'rounds', 'threads'].map((k) => Number(opt[k]));
  if (opt[net.repo] === undefined) throw new Error(`--${net.repo} DIR is required (a clone or bare git directory)`);
  const weights = join(dir, net.file);
  if (!existsSync(weights)) {
    const w = await python(['write-weights', '--network', name, '--arch', net.arch, '--out', weights, `--${net.repo}`, opt[net.repo]]);
    log(`${name}: synthetic weights ${weights} (${w.tensors} tensors, ${fmt(w.bytes / 2 ** 20, 0)} MiB)`);
  }
  const options = { weights, modelCache: join(dir, 'cache'), threads, maxBatch: batch, quiet: true };
  const timed = async () => {
    const t0 = performance.now();
    const e = await createExtractor(net.spec, options);
    return { extractor: e, seconds: (performance.now() - t0) / 1000 };
  };
  const cold = await timed();
  await cold.extractor.dispose();
  const { extractor: ours, seconds: warm } = await timed();
  log(`${name}: ours ${ours.name}, input ${ours.input.width}×${ours.input.height}, ${ours.outputs.features} features`);
  log(`${name}: fixed cost, ours: cold ${fmt(cold.seconds)} s (graph built and cached), warm cache ${fmt(warm)} s (weights hashed → cached ONNX → session)`);
  const torch = await torchServer(net, weights, threads);
  log(`${name}: fixed cost, torch ${torch.ready.torch}: ${fmt(torch.ready.fixed_s)} s (model built, weights loaded; ${fmt(torch.ready.since_start_s)} s with the imports)`);
  const x = inputsFor(ours, batch, RandomState);
  const runOurs = async () => {
    await ours.run(x, batch); // warm-up
    const times = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      await ours.run(x, batch);
      times.push((performance.now() - t0) / 1000);
    }
    return times;
  };
  const runTorch = async () => (await torch.run(batch, batches + 1)).times_s.slice(1);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['ours', 'torch'] : ['torch', 'ours'];
    const got = {};
    for (const side of order) got[side] = side === 'ours' ? await runOurs() : await runTorch();
    const rate = (times) => (batch * times.length) / times.reduce((a, b) => a + b, 0);
    const round = { ours: rate(got.ours), torch: rate(got.torch) };
    perRound.push({ ...round, ratio: round.ours / round.torch });
    log(`${name}: round ${r + 1} (${order.join(' then ')}): ours ${fmt(round.ours, 3)} images/s, torch ${fmt(round.torch, 3)} images/s, ratio ${fmt(round.ours / round.torch)}`);
  }
  await torch.close();
  await ours.dispose();
  const result = {
    network: name,
    spec: net.spec,
    extractor: ours.name,
    batch,
    batches,
    threads,
    ours_images_per_s: median(perRound.map((r) => r.ours)),
    torch_images_per_s: median(perRound.map((r) => r.torch)),
    ratio: median(perRound.map((r) => r.ratio)),
    ratios: perRound.map((r) => r.ratio),
    fixed_s: { ours_cold: cold.seconds, ours_warm: warm, torch: torch.ready.fixed_s, torch_with_imports: torch.ready.since_start_s },
  };
  log(`${name}: median ours ${fmt(result.ours_images_per_s, 3)} images/s, torch ${fmt(result.torch_images_per_s, 3)} images/s, ratio ${fmt(result.ratio)}`);
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
    const session = new ExtractorSession({ extractor: `dinov2:${opt['memory-arch']}`, weights: opt.weights, threads: Number(opt.threads), workers: 1, cache: false, quiet: true });
    const t0 = performance.now();
    const r = await loadInput(folder, session);
    await session.dispose();
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(`${JSON.stringify({ images: r.set.n, seconds, max_rss_mib: process.resourceUsage().maxRSS / 1024 })}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Peak RSS of the memory child for n and n/10 images. */
async function memory(dir) {
  const n = Number(opt['memory-images']);
  const arch = opt['memory-arch'];
  const weights = join(dir, `dinov2_${arch}_pretrain.pth`);
  if (!existsSync(weights)) await python(['write-weights', '--network', 'dinov2', '--arch', arch, '--out', weights, '--dinov2-repo', opt['dinov2-repo']]);
  const child = (images) =>
    new Promise((resolve, reject) => {
      const p = spawn(
        process.execPath,
        [fileURLToPath(import.meta.url), 'memory', '--images', String(images), '--weights', weights, '--memory-arch', arch, '--threads', opt.threads],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`memory child exited ${code}`))));
    });
  const small = await child(Math.max(1, Math.round(n / 10)));
  const large = await child(n);
  for (const m of [small, large]) log(`memory: dinov2:${arch}, ${m.images} images streamed in ${fmt(m.seconds, 1)} s: peak RSS ${fmt(m.max_rss_mib, 0)} MiB`);
  return { arch, small, large };
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
