import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy, encodeNpz, RandomState, writeNpy, writeStatsNpz } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/fid/fid.json' with { type: 'json' };
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden/fid/', import.meta.url));
const dir = tempDir('gen-eval-fid-');

const A32 = join(GOLDEN, 'a-d8-f32.npy'); // numpy-written float32 features (300×8)
const B = join(GOLDEN, 'b-d8.npy'); // numpy-written float64 features (200×8)
const STATS_B = join(GOLDEN, 'stats-b-d8.npz'); // np.savez_compressed(mu=, sigma=) of B

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** fixtures/scripts/gen_fid.py's generator (bit-identical to numpy's). */
function features(name: string, s: { seed: number; n: number; d: number; shift?: number; loading?: number }): string {
  const rs = new RandomState(s.seed);
  const z = rs.normals(s.n * s.d);
  const sc = Float64Array.from({ length: s.d }, () => 0.5 + rs.random());
  const f = rs.normals(s.n);
  const u = Float64Array.from({ length: s.d }, () => (s.loading ?? 1) * rs.random());
  const x = new Float64Array(s.n * s.d);
  for (let i = 0; i < s.n; i++) for (let j = 0; j < s.d; j++) x[i * s.d + j] = z[i * s.d + j]! * sc[j]! + f[i]! * u[j]! + (s.shift ?? 0);
  const path = join(dir, name);
  writeNpy(path, x, [s.n, s.d]);
  return path;
}

describe('gen-eval fid', () => {
  it('matches pytorch-fid on numpy-written features (float32 vs float64) and prints "FID:  <value>"', () => {
    const r = cli('fid', A32, B, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(rel(out.fid, golden.cli.fid_a32_b)).toBeLessThan(1e-9);
    expect(out).toMatchObject({ metric: 'fid', n: [300, 200], dims: 8, method: 'cholesky-eigh', epsilon_added: 0 });
    expect(out.inputs).toEqual([
      { path: A32, kind: 'features', sha256: sha(A32) },
      { path: B, kind: 'features', sha256: sha(B) },
    ]);
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[0]).toMatch(/300 samples — FID is biased upwards below 2048/);
    const human = cli('fid', A32, B);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`FID:  ${out.fid}\n`);
    expect(human.stderr).toMatch(/^gen-eval: warning: .*300 samples/m);
  });

  it('accepts any mix of .npy features and .npz statistics (numpy-written npz; n unknown → no warning for it)', async () => {
    const mixed = JSON.parse((await cliInProcess('fid', A32, STATS_B, '--json')).stdout);
    expect(rel(mixed.fid, golden.cli.fid_a32_b)).toBeLessThan(1e-9);
    expect(mixed.n).toEqual([300, null]);
    expect(mixed.warnings).toHaveLength(1);
    const reversed = JSON.parse((await cliInProcess('fid', STATS_B, A32, '--json')).stdout);
    expect(rel(reversed.fid, golden.cli.fid_a32_b)).toBeLessThan(1e-9);
    const same = JSON.parse((await cliInProcess('fid', STATS_B, B, '--json')).stdout);
    expect(Math.abs(same.fid)).toBeLessThan(1e-10);
  });

  it('uses the exact low-rank route when n < d (no ε, no complex numbers)', async () => {
    const c = golden.cases['low-rank'];
    const a = features('lr-a.npy', c.a);
    const b = features('lr-b.npy', c.b);
    const out = JSON.parse((await cliInProcess('fid', a, b, '--json')).stdout);
    expect(out.method).toBe('low-rank');
    expect(out.epsilon_added).toBe(0);
    expect(rel(out.fid, c.fid)).toBeLessThan(1e-6);
    expect(rel(out.fid, c.fid_svd)).toBeLessThan(1e-11);
    expect(out.warnings[0]).toMatch(/40 samples for 64 dims — the covariance is singular/);
  });

  it('reports ε·I added when both statistics are singular', async () => {
    const c = golden.cases['singular-stats'];
    // Stats of 10 and 12 samples in 16 dims, written by our stats command.
    const a = features('s-a.npy', c.a);
    const b = features('s-b.npy', c.b);
    expect((await cliInProcess('stats', a, '-o', join(dir, 's-a.npz'))).code).toBe(0);
    expect((await cliInProcess('stats', b, '-o', join(dir, 's-b.npz'))).code).toBe(0);
    const out = JSON.parse((await cliInProcess('fid', join(dir, 's-a.npz'), join(dir, 's-b.npz'), '--json')).stdout);
    expect(out.epsilon_added).toBe(1e-6);
    // ε enters the traces too (never negative): pytorch-fid's value (ε only in sqrtm) + 2·d·ε.
    expect(rel(out.fid, c.fid + 2 * c.a.d * 1e-6)).toBeLessThan(1e-6);
    expect(out.warnings.join('\n')).toMatch(/added 0\.000001·I/);
  });
});

describe('gen-eval fid: a collapsed generator (singular covariances, ε·I added) is never negative', () => {
  it('a constant .npy against itself: FID 0, exit 0', async () => {
    const p = join(dir, 'constant.npy');
    writeNpy(p, new Float64Array(50 * 8).fill(0.3), [50, 8]);
    const r = await cliInProcess('fid', p, p, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.epsilon_added).toBe(1e-6);
    expect(out.fid).toBe(0);
    const plain = await cliInProcess('fid', p, p);
    expect(plain.stdout).toMatch(/^FID:\s+0(\.0*)?(e[+-]?\d+)?\s*$/m);
  });

  it('a rank-deficient .npy (rank 2 in 8 dims, n > d) against itself: FID ≥ 0 and ≈ 0', async () => {
    const rs = new RandomState(21);
    const [n, d] = [60, 8];
    const z = rs.normals(n * 2);
    const w = rs.normals(2 * d);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = z[i * 2]! * w[j]! + z[i * 2 + 1]! * w[d + j]!;
    const p = join(dir, 'rank2.npy');
    writeNpy(p, x, [n, d]);
    const out = JSON.parse((await cliInProcess('fid', p, p, '--json')).stdout);
    expect(out.epsilon_added).toBe(1e-6);
    expect(out.fid).toBeGreaterThanOrEqual(0);
    expect(out.fid).toBeLessThan(1e-9);
  });
});

describe('gen-eval fid: bad inputs (exit 2, one line naming the file)', () => {
  const good = A32;
  const write = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('NaN or Inf in a feature file: names the file and the first bad row', async () => {
    const x = new Float64Array(20 * 8).fill(0.5);
    x[3 * 8 + 2] = Number.NaN;
    x[7 * 8] = Number.POSITIVE_INFINITY;
    const p = write('nan.npy', encodeNpy(x, [20, 8]));
    expectInputError(await cliInProcess('fid', good, p), p, /NaN at row 3, column 2/);
    x[3 * 8 + 2] = 0;
    const q = write('inf.npy', encodeNpy(x, [20, 8]));
    expectInputError(await cliInProcess('fid', q, good, '--json'), q, /Inf at row 7, column 0/);
  });

  it('truncated, non-npy, wrong dtype, missing or unsupported files', async () => {
    const full = readFileSync(B);
    const t = write('truncated.npy', full.subarray(0, full.length - 100));
    expectInputError(await cliInProcess('fid', good, t), t, /truncated \.npy file/);
    const txt = write('text.npy', 'not numpy at all\n');
    expectInputError(await cliInProcess('fid', good, txt), txt, /not a \.npy file/);
    const ints = write('ints.npy', encodeNpy(new BigInt64Array(16), [2, 8]));
    expectInputError(await cliInProcess('fid', good, ints), ints, /must be float32 or float64, found dtype <i8/);
    const missing = join(dir, 'missing.npy');
    expectInputError(await cliInProcess('fid', missing, good), missing, /no such file/);
    const csv = write('features.csv', '1,2\n');
    expectInputError(await cliInProcess('fid', good, csv), csv, /unsupported input \(\.csv\): expected an image folder, a \.npy feature matrix or a \.npz stats file$/);
    const zip = write('garbage.npz', 'PK but not really');
    expectInputError(await cliInProcess('fid', zip, good), zip, /not a valid \.npz file/);
  });

  it('dimension mismatch between A and B, and fewer than 2 samples', async () => {
    const d7 = write(
      'd7.npy',
      encodeNpy(
        new Float64Array(30 * 7).map((_, i) => Math.sin(i)),
        [30, 7],
      ),
    );
    expectInputError(await cliInProcess('fid', good, d7), d7, new RegExp(`has 7 feature dims but .*a-d8-f32\\.npy has 8`));
    expectInputError(await cliInProcess('fid', STATS_B, d7), d7, /has 7 feature dims but .* has 8/);
    const one = write('one.npy', encodeNpy(new Float64Array(8).fill(1), [1, 8]));
    expectInputError(await cliInProcess('fid', one, good), one, /needs at least 2 samples, found 1/);
  });

  it('.npz without mu/sigma, sigma not square, sigma not matching mu (numpy-written files)', async () => {
    const noSigma = join(GOLDEN, 'bad-no-sigma.npz');
    expectInputError(await cliInProcess('fid', noSigma, good), noSigma, /missing key "sigma" \(found: mu, cov\)/);
    const notSquare = join(GOLDEN, 'bad-sigma-not-square.npz');
    expectInputError(await cliInProcess('fid', good, notSquare), notSquare, /"sigma" must be a square matrix, found shape \(8, 5\)/);
    const mismatch = join(GOLDEN, 'bad-sigma-mismatch.npz');
    expectInputError(await cliInProcess('fid', good, mismatch), mismatch, /"sigma" is 8×8 but "mu" has 6 dims/);
  });

  it('statistics recording fewer than 2 samples', async () => {
    const p = join(dir, 'one-sample.npz');
    writeStatsNpz(p, { mu: new Float64Array(8), sigma: new Float64Array(64), n: 1 });
    expectInputError(await cliInProcess('fid', p, good), p, /"num_samples" must be an integer ≥ 2, found 1/);
  });

  it('statistics that are not positive semi-definite are rejected on reading, naming the file', async () => {
    const p = join(dir, 'indefinite.npz');
    writeStatsNpz(p, { mu: new Float64Array(2), sigma: Float64Array.of(1, 0, 0, -1) });
    expectInputError(await cliInProcess('fid', p, p), p, /"sigma" is not positive semi-definite/);
  });

  it('a sigma with a clearly negative eigenvalue but a positive diagonal (eigenvalues 2.92, 1.16, −0.59)', async () => {
    const p = join(dir, 'negative-eig.npz');
    writeStatsNpz(p, { mu: new Float64Array(3), sigma: Float64Array.of(1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 0.5) });
    const q = join(dir, 'good3.npz');
    writeStatsNpz(q, { mu: new Float64Array(3), sigma: Float64Array.of(1.5, 0.5, 0.2, 0.5, 1.5, 0.1, 0.2, 0.1, 1.25) });
    expectInputError(await cliInProcess('fid', q, p), p, /"sigma" is not positive semi-definite/);
    expect((await cliInProcess('fid', q, q)).code).toBe(0);
  });

  it('a non-symmetric sigma (float64 and float32 files) is rejected; rounding-level asymmetry is accepted', async () => {
    const sigma = Float64Array.of(1.5, 0.5, 0.2, 0.5, 1.5, 0.1, 0.2, 0.1, 1.25);
    const q = join(dir, 'good3s.npz');
    writeStatsNpz(q, { mu: new Float64Array(3), sigma });
    const asym = Float64Array.from(sigma);
    asym[1] = 0.9; // upper triangle differs: it used to be silently ignored
    const p64 = write('asym64.npz', encodeNpz({ mu: { data: new Float64Array(3), shape: [3] }, sigma: { data: asym, shape: [3, 3] } }));
    expectInputError(await cliInProcess('fid', q, p64), p64, /"sigma" is not symmetric \(max \|Σij − Σji\| = 0\.4 at \(0, 1\)/);
    const p32 = write('asym32.npz', encodeNpz({ mu: { data: new Float32Array(3), shape: [3] }, sigma: { data: Float32Array.from(asym), shape: [3, 3] } }));
    expectInputError(await cliInProcess('fid', p32, q), p32, /"sigma" is not symmetric/);
    const round = Float32Array.from(sigma);
    round[1] = Math.fround(0.5 * (1 + 3e-7)); // a few float32 ulps
    const r32 = write('round32.npz', encodeNpz({ mu: { data: new Float32Array(3), shape: [3] }, sigma: { data: round, shape: [3, 3] } }));
    expect((await cliInProcess('fid', r32, q)).code).toBe(0);
  });

  it('usage errors exit 2', async () => {
    expect((await cliInProcess('fid', good)).code).toBe(2);
  });
});
