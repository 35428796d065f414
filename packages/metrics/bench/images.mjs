// `npm run bench` in packages/metrics (not part of the tests): speed of the image pipeline — files
// on disk → decode → resize → Inception (synthetic weights, same graph as pytorch-fid's) → features
// and streamed statistics — against the raw onnxruntime session on pre-made 299×299 tensors (same
// model, same session options and intra-op threads, same batch size), in the same run. Uses the
// built package (dist/), so build first.
//
//   1. headline: BENCH_IMAGES (500) seeded 256×256 PNG images, the CLI defaults (batch 50,
//      DEFAULTS.extractorThreads intra-op threads, DEFAULTS.decodeWorkers decode workers), cache off;
//      BENCH_REPEATS (3) rounds, raw and end to end alternating (their order swaps every round) so
//      both see the same machine load; medians reported. Acceptance: end to end ≥ 0.9 × raw.
//   2. sweep (BENCH_SWEEP=0 skips it): intra-op threads 1 / 2 × decode workers 0 / 1 / 2 on the
//      first BENCH_SWEEP_IMAGES (100) images, BENCH_SWEEP_REPEATS (2) rounds, medians.
// A final line `{"bench":"images",…}` holds every number as JSON.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => import(join(here, '..', 'dist', p));
const [{ RandomState }, { DEFAULTS }, { syntheticInceptionStateDict }, { encodeLegacyPth }, inception, { createSession }, { extractFolder }, profiles, { decodeImageFile }, ort] =
  await Promise.all([
    dist('random.js'),
    dist('defaults.js'),
    dist('extractors/inception/synthetic.js'),
    dist('extractors/torch/pth-writer.js'),
    dist('extractors/inception/inception-extractor.js'),
    dist('extractors/session.js'),
    dist('pipeline/extract-folder.js'),
    dist('image/profiles.js'),
    dist('image/decode.js'),
    import('onnxruntime-node'),
  ]);

const IMAGES = Number(process.env.BENCH_IMAGES ?? 500);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SWEEP = process.env.BENCH_SWEEP !== '0';
const SWEEP_IMAGES = Math.min(IMAGES, Number(process.env.BENCH_SWEEP_IMAGES ?? 100));
const SWEEP_REPEATS = Number(process.env.BENCH_SWEEP_REPEATS ?? 2);
const BATCH = DEFAULTS.batchSize;
const SIZE = 256;
const S = 299;
const PER = 3 * S * S;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 2) => x.toFixed(d);
const log = (s) => process.stdout.write(`${s}\n`);

/** Photo-like 256×256 RGB (gradients, sinusoids, hard-edged discs, σ = 8 noise), seeded; PNG ≈ 120 KB. */
async function writeImages(dir, n) {
  const rs = new RandomState(20261122);
  const px = new Uint8Array(SIZE * SIZE * 3);
  for (let k = 0; k < n; k++) {
    const waves = Array.from({ length: 3 }, () => [0.5 + 3 * rs.random(), 0.5 + 3 * rs.random(), 2 * Math.PI * rs.random()]);
    const discs = Array.from({ length: 4 }, () => [SIZE * rs.random(), SIZE * rs.random(), SIZE * (0.05 + 0.25 * rs.random()), [0, 1, 2].map(() => 255 * rs.random())]);
    const noise = rs.normals(SIZE * SIZE * 3);
    for (let y = 0, i = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++, i += 3) {
        const disc = discs.find(([cy, cx, r]) => (y - cy) ** 2 + (x - cx) ** 2 < r * r);
        for (let c = 0; c < 3; c++) {
          const [fx, fy, ph] = waves[c];
          const v = disc ? disc[3][c] : 127.5 + 80 * Math.sin(2 * Math.PI * ((fx * x) / SIZE + (fy * y) / SIZE) + ph) + 40 * ((x - y) / SIZE);
          px[i + c] = Math.max(0, Math.min(255, Math.round(v + 8 * noise[i + c])));
        }
      }
    }
    await sharp(px, { raw: { width: SIZE, height: SIZE, channels: 3 } })
      .png()
      .toFile(join(dir, `img-${String(k).padStart(4, '0')}.png`));
  }
}

/** Raw onnxruntime: n images in calls of DEFAULTS.extractorMaxBatch, every batch the same pre-made inputs. */
async function rawRate(session, inputs, n) {
  const chunk = DEFAULTS.extractorMaxBatch;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let b0 = 0; b0 < n; b0 += BATCH) {
    // Same split as the pipeline: a batch of ≤ BATCH images, run in chunks of ≤ maxBatch.
    const batchN = Math.min(BATCH, n - b0);
    for (let c0 = 0; c0 < batchN; c0 += chunk) {
      const m = Math.min(chunk, batchN - c0);
      const data = inputs.subarray(c0 * PER, (c0 + m) * PER);
      await session.run({ images: new ort.Tensor('float32', data, [m, 3, S, S]) }, ['features', 'logits']);
    }
  }
  return rate(n, t0, c0);
}

/** Images per wall-clock second, and CPU-ms per image of the whole process (all its threads). */
function rate(n, t0, c0) {
  const cpu = process.cpuUsage(c0);
  return { perSecond: n / ((performance.now() - t0) / 1000), cpuMsPerImage: (cpu.user + cpu.system) / 1000 / n };
}

async function endToEndRate(dir, extractor, workers, n) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await extractFolder(dir, {
    extractor,
    profile: profiles.preprocessProfile('pytorch-fid', S),
    batchSize: BATCH,
    workers,
    cacheRoot: null,
    logits: true,
    quiet: true,
  });
  if (r.n !== n) throw new Error(`expected ${n} images, got ${r.n}`);
  return rate(n, t0, c0);
}

/** Medians of one setting's rounds; the ratio is taken per round (raw and e2e ran back to back). */
function summarize(rates, workers) {
  const e2e = rates[`w${workers}`];
  const ratios = rates.raw.map((r, i) => e2e[i].perSecond / r.perSecond);
  return {
    raw: median(rates.raw.map((r) => r.perSecond)),
    e2e: median(e2e.map((r) => r.perSecond)),
    ratios,
    ratio: median(ratios),
    rawCpu: median(rates.raw.map((r) => r.cpuMsPerImage)),
    e2eCpu: median(e2e.map((r) => r.cpuMsPerImage)),
  };
}

/**
 * Single-threaded decode and preprocess cost (ms per image) over the first n images, after one
 * warm-up pass: the pytorch-fid profile (the benchmark's) and clean-fid's "clean" profile.
 */
async function decodeCost(dir, n) {
  const torch = profiles.preprocessProfile('pytorch-fid', S);
  const clean = profiles.preprocessProfile('clean', S);
  const images = [];
  for (let k = 0; k < n; k++) images.push(await decodeImageFile(join(dir, `img-${String(k).padStart(4, '0')}.png`)));
  let decode = 0;
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    await decodeImageFile(join(dir, `img-${String(k).padStart(4, '0')}.png`));
    decode += performance.now() - t0;
  }
  const prep = (profile) => {
    for (const img of images) profiles.preprocess(img, profile);
    const t0 = performance.now();
    for (const img of images) profiles.preprocess(img, profile);
    return (performance.now() - t0) / n;
  };
  return { decodeMs: decode / n, preprocessMs: prep(torch), preprocessCleanMs: prep(clean) };
}

/** Rounds of raw vs end-to-end at one setting; raw and end to end alternate their order. */
async function measure(model, inputs, dir, n, threads, workersList, repeats) {
  const raw = await createSession(model.bytes, 'bench-raw', { threads });
  const extractor = await inception.createInceptionExtractor(model, { threads });
  try {
    await raw.run({ images: new ort.Tensor('float32', inputs.subarray(0, PER), [1, 3, S, S]) }); // warm up both
    await extractor.run(inputs.subarray(0, PER), 1);
    const rates = { raw: [], ...Object.fromEntries(workersList.map((w) => [`w${w}`, []])) };
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 === 0 ? ['raw', ...workersList] : [...workersList].reverse().concat('raw');
      for (const what of order) {
        const r = what === 'raw' ? await rawRate(raw, inputs, n) : await endToEndRate(dir, extractor, what, n);
        rates[what === 'raw' ? 'raw' : `w${what}`].push(r);
        log(
          `  threads ${threads} ${what === 'raw' ? 'raw onnxruntime      ' : `end to end, workers ${what}`}: ${fmt(r.perSecond)} images/s, ${fmt(r.cpuMsPerImage, 0)} CPU-ms/image`,
        );
      }
    }
    return rates;
  } finally {
    await raw.release();
    await extractor.dispose();
  }
}

const root = mkdtempSync(join(tmpdir(), 'gen-eval-bench-images-'));
try {
  log(`image pipeline bench: ${IMAGES} × ${SIZE}×${SIZE} PNG, batch ${BATCH}, ${cpus().length} CPUs, node ${process.version}`);
  const all = join(root, 'all');
  mkdirSync(all);
  let t = performance.now();
  await writeImages(all, IMAGES);
  const sweepDir = join(root, 'sweep');
  mkdirSync(sweepDir);
  for (let k = 0; k < SWEEP_IMAGES; k++) {
    const name = `img-${String(k).padStart(4, '0')}.png`;
    copyFileSync(join(all, name), join(sweepDir, name));
  }
  log(`generated images in ${fmt((performance.now() - t) / 1000, 1)} s`);
  t = performance.now();
  const weights = join(root, 'synthetic-inception.pth');
  writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(20151205)));
  const model = inception.buildInceptionModel(weights, { dims: 2048, logits: true });
  log(`built the Inception ONNX model in ${fmt((performance.now() - t) / 1000, 1)} s`);
  // Pre-made network inputs: the first batch of the real images, preprocessed once.
  const inputs = new Float32Array(BATCH * PER);
  for (let k = 0; k < Math.min(BATCH, IMAGES); k++) {
    const img = await decodeImageFile(join(all, `img-${String(k).padStart(4, '0')}.png`));
    profiles.preprocess(img, profiles.preprocessProfile('pytorch-fid', S), inputs.subarray(k * PER, (k + 1) * PER));
  }

  // Where the end-to-end time goes besides the network: decode and resize, one thread, per image.
  const breakdown = await decodeCost(all, Math.min(BATCH, IMAGES));
  log(
    `one thread, per image: decode ${fmt(breakdown.decodeMs)} ms; preprocess 256→299 pytorch-fid ${fmt(breakdown.preprocessMs)} ms, ` +
      `clean ${fmt(breakdown.preprocessCleanMs)} ms`,
  );

  const threads = DEFAULTS.extractorThreads;
  const workers = DEFAULTS.decodeWorkers;
  log(`\n1. defaults (threads ${threads}, workers ${workers}), ${IMAGES} images, ${REPEATS} rounds:`);
  const head = summarize(await measure(model, inputs, all, IMAGES, threads, [workers], REPEATS), workers);
  log(
    `   median raw ${fmt(head.raw)} images/s, end to end ${fmt(head.e2e)} images/s; ratio per round ` +
      `${head.ratios.map((x) => fmt(x, 3)).join(', ')}, median ${fmt(head.ratio, 3)} — ${head.ratio >= 0.9 ? 'meets' : 'MISSES'} the 0.9 target`,
  );
  log(
    `   CPU per image: raw ${fmt(head.rawCpu, 0)} ms, end to end ${fmt(head.e2eCpu, 0)} ms (raw/e2e ${fmt(head.rawCpu / head.e2eCpu, 3)}, ` +
      'the load-independent view of the overhead)',
  );

  const sweep = [];
  if (SWEEP) {
    log(`\n2. sweep, ${SWEEP_IMAGES} images, ${SWEEP_REPEATS} rounds:`);
    for (const th of [1, 2]) {
      const rates = await measure(model, inputs, sweepDir, SWEEP_IMAGES, th, [0, 1, 2], SWEEP_REPEATS);
      for (const w of [0, 1, 2]) sweep.push({ threads: th, workers: w, ...summarize(rates, w) });
    }
    log('\n   threads workers  e2e img/s  raw img/s  ratio  e2e CPU-ms/img  raw CPU-ms/img');
    for (const x of sweep) {
      log(
        `   ${String(x.threads).padStart(7)} ${String(x.workers).padStart(7)} ${fmt(x.e2e).padStart(10)} ${fmt(x.raw).padStart(10)} ` +
          `${fmt(x.ratio, 3).padStart(6)} ${fmt(x.e2eCpu, 0).padStart(15)} ${fmt(x.rawCpu, 0).padStart(15)}`,
      );
    }
    const best = sweep.reduce((a, b) => (b.e2e > a.e2e ? b : a));
    log(`   fastest end to end: threads ${best.threads}, workers ${best.workers} (${fmt(best.e2e)} images/s)`);
  }
  log(
    JSON.stringify({
      bench: 'images',
      images: IMAGES,
      batch: BATCH,
      threads,
      workers,
      rounds: REPEATS,
      breakdown,
      headline: head,
      sweep: SWEEP ? { images: SWEEP_IMAGES, rounds: SWEEP_REPEATS, results: sweep } : null,
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
