// `npm run bench` in packages/metrics (not part of the tests): the fixed cost of an image command
// with a warm cache — `gen-eval stats` and `gen-eval fid` on 4 (and 6) images whose features are
// cached — next to a process-start reference measured in the same run, with each part's time
// before and after the fixed-cost work of issue #10 (the "before" column re-measures the old way
// of doing that part: onnxruntime session always created, deflated .npz, 64 KiB hash reads).
// Then the cost of the cache key (a SHA-256 of every image's bytes) at BENCH_HASH_FILES (50 000)
// CIFAR-sized files, against the extraction it saves. Synthetic Inception weights in the real
// 95 MB format; uses the built packages (metrics and cli dist/), so build first.
//
// BENCH_ROUNDS (5): repetitions per timing, medians reported. BENCH_HASH_FILES=0 skips part 2.
// A final line `{"bench":"fixed-cost",…}` holds every number as JSON.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const CLI = join(root, 'packages', 'cli', 'dist', 'cli.js');
const dist = (p) => import(join(here, '..', 'dist', p));
const [m, { featureCacheKey, loadCachedFeatures }, { sha256File }, { createSession }, { fid }] = await Promise.all([
  dist('index.js'),
  dist('pipeline/feature-cache.js'),
  dist('pipeline/weights.js'),
  dist('extractors/session.js'),
  dist('fid.js'),
]);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HASH_FILES = Number(process.env.BENCH_HASH_FILES ?? 50_000);
/** Inception throughput on 2 CPU cores (bench/images.mjs, synthetic weights): images per second. */
const INCEPTION_IMG_S = 39;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (v) => `${v.toFixed(0)} ms`;
async function timeIt(fn, rounds = ROUNDS) {
  const t = [];
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
}
function spawnMs(args, env = {}) {
  return timeIt(() => {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} failed: ${r.stderr}`);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-fixed-cost-'));
const results = {};
try {
  const weights = join(dir, 'synthetic.pth');
  writeFileSync(weights, m.encodeLegacyPth(m.syntheticInceptionStateDict(0)));
  const A = join(dir, 'a');
  const B = join(root, 'fixtures', 'e2e-images', 'a');
  mkdirSync(A);
  for (const f of readdirSync(B).sort().slice(0, 4)) copyFileSync(join(B, f), join(A, f));
  const cache = join(dir, 'cache');
  const env = { GEN_EVAL_CACHE: cache };
  const out = join(dir, 'out.npz');
  const statsCmd = [CLI, 'stats', A, '-o', out, '--weights', weights, '--quiet'];
  const fidCmd = [CLI, 'fid', A, B, '--weights', weights, '--quiet'];
  // Cold runs fill the cache (model and both folders' features).
  await spawnMs(statsCmd, env);
  await spawnMs(fidCmd, env);

  console.log(`fixed cost of an image command with a warm cache (weights ${(statSync(weights).size / 1e6).toFixed(0)} MB, synthetic; medians of ${ROUNDS})\n`);
  const ref = await spawnMs(['-e', '0']);
  const cliStart = await spawnMs([CLI, '--version']);
  const importMetrics = await spawnMs(['-e', `await import(${JSON.stringify(join(here, '..', 'dist', 'index.js'))})`, '--input-type=module']);
  const statsTotal = await spawnMs(statsCmd, env);
  const fidTotal = await spawnMs(fidCmd, env);

  // Parts, in this process.
  const hashBefore = await timeIt(async () => {
    const h = createHash('sha256');
    for await (const c of (await import('node:fs')).createReadStream(weights)) h.update(c);
    h.digest('hex');
  });
  const hashNow = await timeIt(() => sha256File(weights));
  const listing = await m.listImages(A);
  const keyMs = await timeIt(() => featureCacheKey({ files: listing.files, extractor: 'x', profile: 'p', outputs: ['features'] }));
  const entries = readdirSync(join(cache, 'features')).filter((n) => !n.startsWith('.'));
  const entryOf = (n) =>
    loadCachedFeatures(
      cache,
      entries.find((k) => loadCachedFeatures(cache, k)?.features.rows === n),
      { stats: true },
    );
  const hitA = entryOf(4);
  const hitB = entryOf(6);
  const loadNow = await timeIt(() => entryOf(4));
  const sigmaBytes = m.encodeStatsNpz({ mu: hitA.stats.mu, sigma: hitA.stats.sigma, n: 4 });
  const deflated = m.encodeStatsNpz({ mu: hitA.stats.mu, sigma: hitA.stats.sigma, n: 4 }, { level: 6 });
  const parseBefore = await timeIt(() => m.parseStatsNpz(deflated, 'x'));
  const parseNow = await timeIt(() => m.parseStatsNpz(sigmaBytes, 'x'));
  const writeBefore = await timeIt(() => m.writeFileAtomic(out, m.encodeStatsNpz({ ...hitA.stats, n: 4 }, { level: 6 })), 3);
  const writeNow = await timeIt(() => m.writeStatsNpz(out, { ...hitA.stats, n: 4 }), 3);
  const modelFile = join(
    cache,
    'models',
    readdirSync(join(cache, 'models')).find((n) => n.endsWith('.onnx')),
  );
  const sessionMs = await timeIt(async () => {
    const s = await createSession(readFileSync(modelFile), 'bench', {});
    await s.release();
  }, 3);
  const fidMs = await timeIt(() => fid(hitA.features, hitB.features));

  const rows = [
    ['process start (node -e 0, reference)', ref, ref],
    ['CLI start (gen-eval --version) beyond it', cliStart - ref, cliStart - ref],
    ['import @gen-eval/metrics beyond it', importMetrics - ref, importMetrics - ref],
    ['SHA-256 of the weights', hashBefore, hashNow],
    ['cache key of 4 images (hash of their bytes)', 0, keyMs],
    ['onnxruntime session from the cached model', sessionMs, 0],
    ['cache entry: features + stats.npz (per folder)', loadNow - parseNow + parseBefore, loadNow],
    ['stats: write the .npz output', writeBefore, writeNow],
    ['fid: the metric (4 vs 6 features)', fidMs, fidMs],
  ];
  console.log(`  ${'part'.padEnd(50)} ${'before'.padStart(9)} ${'now'.padStart(9)}`);
  for (const [label, b, n] of rows) console.log(`  ${label.padEnd(50)} ${ms(b).padStart(9)} ${ms(n).padStart(9)}`);
  console.log(`\n  warm \`gen-eval stats\` on 4 images, end to end: ${ms(statsTotal)} (process start ${ms(ref)}; beyond it ${ms(statsTotal - ref)})`);
  console.log(`  warm \`gen-eval fid\` on 4 + 6 images, end to end: ${ms(fidTotal)} (beyond process start ${ms(fidTotal - ref)})`);
  const ok = statsTotal <= 1000 && fidTotal <= 1000;
  console.log(`  acceptance (warm stats and fid ≤ 1 s): ${ok ? 'PASS' : 'FAIL'}`);
  Object.assign(results, {
    reference_ms: ref,
    cli_start_ms: cliStart,
    import_metrics_ms: importMetrics,
    stats_total_ms: statsTotal,
    fid_total_ms: fidTotal,
    parts: Object.fromEntries(rows.map(([label, b, n]) => [label, { before_ms: b, now_ms: n }])),
  });

  if (HASH_FILES > 0) {
    // Part 2: the cache key at scale. CIFAR-10 PNGs (32×32) are 2.2–3 KB; contents do not matter to a hash.
    const big = join(dir, 'hash');
    mkdirSync(big);
    let bytes = 0;
    for (let i = 0; i < HASH_FILES; i++) {
      const b = randomBytes(2200 + (i % 800));
      bytes += b.length;
      writeFileSync(join(big, `${String(i).padStart(6, '0')}.png`), b);
    }
    const list = await m.listImages(big);
    const listMs = await timeIt(() => m.listImages(big), 3);
    const hashMs = await timeIt(() => featureCacheKey({ files: list.files, extractor: 'x', profile: 'p', outputs: ['features'] }, { quiet: true }), 3);
    const extractS = HASH_FILES / INCEPTION_IMG_S;
    console.log(`\ncache key at scale: ${HASH_FILES} files, ${(bytes / 1e6).toFixed(0)} MB (page cache warm)`);
    console.log(`  listing (stat of every file, needed anyway): ${ms(listMs)}`);
    console.log(`  SHA-256 of every file's bytes (the key):       ${ms(hashMs)} = ${(bytes / 1e6 / (hashMs / 1000)).toFixed(0)} MB/s`);
    console.log(`  extraction it saves at ${INCEPTION_IMG_S} img/s:            ${extractS.toFixed(0)} s (hashing = ${((hashMs / 1000 / extractS) * 100).toFixed(2)} % of it)`);
    Object.assign(results, { hash: { files: HASH_FILES, bytes, list_ms: listMs, hash_ms: hashMs, extraction_s: extractS } });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: 'fixed-cost', ...results }));
