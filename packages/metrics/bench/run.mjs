// `npm run bench` in packages/metrics (not part of the tests): FID-scale linear algebra at d = 2048
// against numpy in the same run. Uses the built package (dist/), so build first.
//
// Times (best of BENCH_ROUNDS rounds, default 3; numpy and ours alternate round by round so that
// both see the same machine load):
//   1. covariance accumulation of 10 000 × 2048 float32 features (ours: GaussianAccumulator;
//      numpy: mean + np.cov),
//   2. FID from two 2048-d statistics (ours: fidFromStats; numpy: Cholesky + eigvalsh, the same
//      exact route; acceptance: ours ≤ 2× numpy),
// plus a phase breakdown of ours. BENCH_SQRTM=1 also times pytorch-fid's scipy sqrtm (slow).
// numpy comes from /usr/bin/python3 (override with BENCH_PYTHON); skipped if unavailable.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => import(join(here, '..', 'dist', p));
const [{ RandomState }, { writeNpy }, { GaussianAccumulator }, { fidFromStats }, linalg] = await Promise.all([
  dist('random.js'),
  dist('io/npy.js'),
  dist('gaussian-stats.js'),
  dist('fid.js'),
  dist('linalg/index.js'),
]);

const N = Number(process.env.BENCH_N ?? 10_000);
const D = Number(process.env.BENCH_D ?? 2048);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** Inception-like float32 features: per-column scales plus a shared factor (as fixtures/scripts/gen_fid.py). */
function features(seed, shift, loading) {
  const rs = new RandomState(seed);
  const z = rs.normals(N * D);
  const s = Float64Array.from({ length: D }, () => 0.5 + rs.random());
  const f = rs.normals(N);
  const u = Float64Array.from({ length: D }, () => loading * rs.random());
  const x = new Float32Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) x[i * D + j] = z[i * D + j] * s[j] + f[i] * u[j] + shift;
  return { rows: N, cols: D, data: x };
}

const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const time = async (fn) => {
  globalThis.gc?.();
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
};

async function ourStats(x) {
  return (await new GaussianAccumulator(D).add(x)).result();
}

/** One FID split into phases (same steps as fidFromStats' Cholesky route). */
async function breakdown(s1, s2) {
  const phases = {};
  const step = async (name, fn) => {
    const t = performance.now();
    const v = await fn();
    phases[name] = performance.now() - t;
    return v;
  };
  const L = await step('cholesky', () => linalg.cholesky(s1.sigma, D));
  if (linalg.isCholeskyFailure(L)) throw new Error('bench: covariance not positive definite');
  const M = await step('congruence LᵀΣ₂L', () => linalg.lowerCongruence(L, s2.sigma, D));
  const profile = { gemv: 0, panel: 0, update: 0 };
  const T = await step('tridiagonalize', () => linalg.tridiagonalize(M, D, { profile }));
  await step('tridiagonal QL', () => linalg.tridiagonalEigenvalues(T));
  return { phases, profile };
}

function numpyRound(a, b) {
  const args = [join(here, 'numpy_fid.py'), a, b, ...(process.env.BENCH_SQRTM ? ['--sqrtm'] : [])];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr.trim().split('\n').pop()) || `exit ${r.status}` };
  return JSON.parse(r.stdout);
}

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-bench-'));
try {
  const cfg = linalg.linalgConfig();
  console.log(`gen-eval bench: d = ${D}, n = ${N}; onnxruntime available: ${await linalg.onnxAvailable()} (backend ${cfg.backend}, ${cfg.threads} threads)`);
  console.log(`generating two ${N}×${D} float32 feature sets…`);
  const A = features(1, 0.5, 1);
  const B = features(2, 0.55, 1.2);
  const [pa, pb] = [join(dir, 'a.npy'), join(dir, 'b.npy')];
  writeNpy(pa, A.data, [N, D]);
  writeNpy(pb, B.data, [N, D]);
  const sB = await ourStats(B);

  const best = { cov: Infinity, fid: Infinity, npCov: Infinity, npFid: Infinity };
  let ours;
  let np;
  let npError;
  for (let r = 1; r <= ROUNDS; r++) {
    const n = numpyRound(pa, pb);
    if (n.error) npError = n.error;
    else {
      np = n;
      best.npCov = Math.min(best.npCov, n.cov_s * 1000);
      best.npFid = Math.min(best.npFid, n.fid_s * 1000);
    }
    const c = await time(() => ourStats(A));
    const f = await time(() => fidFromStats(c.value, sB));
    best.cov = Math.min(best.cov, c.ms);
    best.fid = Math.min(best.fid, f.ms);
    ours = { stats: c.value, fid: f.value };
    const npPart = n.error ? 'numpy skipped' : `numpy cov ${secs(n.cov_s * 1000)}, fid ${secs(n.fid_s * 1000)}`;
    console.log(`round ${r}/${ROUNDS}: ours cov ${secs(c.ms)}, fid ${secs(f.ms)} | ${npPart}`);
  }
  const { phases, profile } = await breakdown(ours.stats, sB);

  console.log(`\nbest of ${ROUNDS} rounds (the machine may be shared: timings vary from run to run)`);
  const row = (label, o, n) => {
    const ratio = Number.isFinite(n) ? `${(o / n).toFixed(2)}×` : '—';
    console.log(`  ${label.padEnd(44)} ${secs(o).padStart(9)} ${(Number.isFinite(n) ? secs(n) : 'n/a').padStart(9)} ${ratio.padStart(7)}`);
  };
  console.log(`  ${''.padEnd(44)} ${'gen-eval'.padStart(9)} ${'numpy'.padStart(9)} ${'ratio'.padStart(7)}`);
  row(`covariance of ${N}×${D} float32 features`, best.cov, best.npCov);
  row(`FID from two ${D}-d stats (Cholesky + eigh)`, best.fid, best.npFid);
  if (np) {
    const rel = Math.abs(ours.fid.fid - np.fid) / Math.abs(np.fid);
    console.log(`\nFID ours ${ours.fid.fid} vs numpy ${np.fid} (relative difference ${rel.toExponential(2)}); method ${ours.fid.method}`);
    if (np.sqrtm_s !== undefined) console.log(`pytorch-fid's scipy sqrtm route (last round): ${secs(np.sqrtm_s * 1000)}, FID ${np.sqrtm_fid}`);
    const acc = best.fid / best.npFid;
    console.log(`acceptance (FID from stats ≤ 2× numpy's Cholesky + eigvalsh): ${acc.toFixed(2)}× → ${acc <= 2 ? 'PASS' : 'FAIL'}`);
  } else {
    console.log(`\nnumpy not available (${npError}); no comparison`);
  }
  const parts = Object.entries(phases)
    .map(([k, v]) => `${k} ${secs(v)}`)
    .join(', ');
  console.log(`\nour FID phases (one extra run): ${parts}`);
  console.log(
    `  tridiagonalize: matrix–vector products ${secs(profile.gemv)} (${profile.symvMode} thread), panel work ${secs(profile.panel)}, trailing updates ${secs(profile.update)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
