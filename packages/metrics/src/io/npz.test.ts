import { mkdtempSync, readFileSync } from 'node:fs';

import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from './npy.js';
import { crc32, crc32Table } from './crc32.js';
import { assertCovariancePsd, encodeNpz, parseNpz, parseStatsNpz, readStatsNpz, SIGMA_TOLERANCE, writeStatsNpz } from './npz.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-npz-');

const golden = (name: string) => join(__dirname, '../../../../fixtures/golden/io', name);

describe('stats .npz (pytorch-fid --save-stats format)', () => {
  it('reads a file pytorch-fid / numpy wrote (float32 mu, float64 sigma)', () => {
    const s = readStatsNpz(golden('pytorch-fid-stats.npz'));
    expect(s.dims).toBe(5);
    expect(s.sigma.length).toBe(25);
    const mu = readFileSync(golden('stats-mu.txt'), 'utf8').trim().split('\n').map(Number);
    expect(Array.from(s.mu)).toEqual(mu);
    expect(s.n).toBeUndefined();
  });

  it('writes mu.npy / sigma.npy entries numpy loads, and round-trips the sample count', () => {
    const dir = mkdtempSync(join(scratch, 'npz-'));
    const p = join(dir, 's.npz');
    const mu = Float64Array.of(1, 2);
    const sigma = Float64Array.of(2, 0.5, 0.5, 1);
    writeStatsNpz(p, { mu, sigma, n: 4096 });
    const entries = unzipSync(readFileSync(p));
    expect(Object.keys(entries).sort()).toEqual(['mu.npy', 'num_samples.npy', 'sigma.npy']);
    expect(parseNpy(entries['sigma.npy']!, 'sigma').shape).toEqual([2, 2]);
    const back = readStatsNpz(p);
    expect(Array.from(back.mu)).toEqual([1, 2]);
    expect(Array.from(back.sigma)).toEqual([2, 0.5, 0.5, 1]);
    expect(back.n).toBe(4096);
  });

  it('rejects missing keys, non-square or mismatched sigma, and non-zip files', () => {
    expect(() => readStatsNpz(golden('no-sigma.npz'))).toThrow(/no-sigma\.npz: missing key "sigma" \(found: mu\)/);
    expect(() => readStatsNpz(golden('sigma-not-square.npz'))).toThrow(/sigma-not-square\.npz: "sigma" must be a square matrix, found shape \(3, 2\)/);
    expect(() => readStatsNpz(golden('sigma-mismatch.npz'))).toThrow(/sigma-mismatch\.npz: "sigma" is 4×4 but "mu" has 3 dims/);
    expect(() => readStatsNpz(golden('f8.npy'))).toThrow(/f8\.npy: not a valid \.npz file/);
  });
});

describe('stats .npz: sigma must be a covariance (symmetric, positive semi-definite, within rounding)', () => {
  const mu3 = new Float64Array(3);
  // Eigenvalues 3, 1, 0.25 (a valid covariance).
  const good = Float64Array.of(1.5, 0.5, 0.2, 0.5, 1.5, 0.1, 0.2, 0.1, 1.25);
  const npz = (sigma: Float32Array | Float64Array) => encodeNpz({ mu: { data: mu3, shape: [3] }, sigma: { data: sigma, shape: [3, 3] } });

  it('rejects a clearly non-symmetric sigma, naming the file and the worst entry', () => {
    const bad = Float64Array.from(good);
    bad[1] = 0.9; // Σ01 ≠ Σ10 = 0.5: the upper triangle would otherwise be ignored
    expect(() => parseStatsNpz(npz(bad), 'x.npz')).toThrow(/^x\.npz: "sigma" is not symmetric \(max \|Σij − Σji\| = 0\.4 at \(0, 1\)/);
    expect(() => parseStatsNpz(npz(Float32Array.from(bad)), 'y.npz')).toThrow(/^y\.npz: "sigma" is not symmetric/);
  });

  it('accepts rounding-level asymmetry (within the stated tolerance per dtype) and symmetrises it', () => {
    const f64 = Float64Array.from(good);
    f64[1] = 0.5 * (1 + 1e-12);
    const s = parseStatsNpz(npz(f64), 'x.npz');
    expect(s.sigma[1]).toBe(s.sigma[3]);
    expect(s.sigmaTolerance).toBe(SIGMA_TOLERANCE.float64);
    const f32 = Float32Array.from(good);
    f32[1] = Math.fround(0.5 * (1 + 1e-6));
    const t = parseStatsNpz(npz(f32), 'y.npz');
    expect(t.sigma[1]).toBe(t.sigma[3]);
    expect(t.sigmaTolerance).toBe(SIGMA_TOLERANCE.float32);
    // Beyond the float64 tolerance but within float32's: rejected only in a float64 file.
    f64[1] = 0.5 * (1 + 1e-6);
    expect(() => parseStatsNpz(npz(f64), 'x.npz')).toThrow(/not symmetric/);
  });

  it('rejects a clearly negative eigenvalue; accepts PSD, singular, all-zero and rounding-level negative ones', async () => {
    await expect(assertCovariancePsd(good, 3, 'ok.npz', SIGMA_TOLERANCE.float64)).resolves.toBeUndefined();
    // Rank 1 (singular, eigenvalues 3, 0, 0) and the zero matrix (a constant feature set).
    const rank1 = Float64Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1);
    await expect(assertCovariancePsd(rank1, 3, 'r.npz', SIGMA_TOLERANCE.float64)).resolves.toBeUndefined();
    await expect(assertCovariancePsd(new Float64Array(9), 3, 'z.npz', SIGMA_TOLERANCE.float64)).resolves.toBeUndefined();
    // Eigenvalue −1e-13·tr: rounding.
    const tiny = Float64Array.from(rank1);
    for (let i = 0; i < 3; i++) tiny[i * 4]! -= 1e-13;
    await expect(assertCovariancePsd(tiny, 3, 't.npz', SIGMA_TOLERANCE.float64)).resolves.toBeUndefined();
    // Eigenvalues 2.92, 1.16, −0.59 with a positive diagonal (trace 3.5).
    const indefinite = Float64Array.of(1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 0.5);
    await expect(assertCovariancePsd(indefinite, 3, 'n.npz', SIGMA_TOLERANCE.float64)).rejects.toThrow(/^n\.npz: "sigma" is not positive semi-definite/);
    await expect(assertCovariancePsd(Float64Array.of(1, 0, 0, -1), 2, 'm.npz', SIGMA_TOLERANCE.float64)).rejects.toThrow(/^m\.npz: "sigma" is not positive semi-definite/);
    await expect(assertCovariancePsd(Float64Array.of(-1, 0, 0, -1), 2, 'm.npz', SIGMA_TOLERANCE.float64)).rejects.toThrow(/not positive semi-definite/);
  });
});

describe('generic .npz (named arrays, as checkpoints use)', () => {
  it('round-trips named arrays of any shape, including names with slashes', () => {
    const entries = {
      'var/G.0.W': { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] },
      'opt/D/m.0': { data: Float64Array.of(0.5), shape: [] },
      empty: { data: new Float32Array(0), shape: [0, 2] },
    };
    const back = parseNpz(encodeNpz(entries), 'x.npz');
    expect(Object.keys(back).sort()).toEqual(Object.keys(entries).sort());
    for (const [k, e] of Object.entries(entries)) {
      expect(back[k]!.shape, k).toEqual(e.shape);
      expect(Array.from(back[k]!.data as Float32Array), k).toEqual(Array.from(e.data));
    }
  });

  it('reads what numpy wrote (the stats file, as named arrays) and rejects non-npz bytes', () => {
    const a = parseNpz(readFileSync(golden('pytorch-fid-stats.npz')), 'stats.npz');
    expect(Object.keys(a).sort()).toEqual(['mu', 'sigma']);
    expect(a.sigma!.shape).toEqual([5, 5]);
    expect(() => parseNpz(readFileSync(golden('f8.npy')), 'f8.npy')).toThrow(/f8\.npy: not a valid \.npz file/);
  });
});

describe('.npz members are checked against their CRC-32', () => {
  const arrays = { w: { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] }, b: { data: Float32Array.of(0.5), shape: [1] } };

  it('refuses a stored member with one flipped bit, naming the file and the member', () => {
    const zip = zipSync({ 'w.npy': [encodeNpy(arrays.w.data, arrays.w.shape), { level: 0 }], 'b.npy': [encodeNpy(arrays.b.data, arrays.b.shape), { level: 0 }] });
    const at = findBytes(zip, new Uint8Array(Float32Array.of(3).buffer));
    zip[at] = zip[at]! ^ 0x01; // 3 becomes 3.0000002: still a valid float, only the CRC tells
    expect(() => parseNpz(zip, 'ck.npz')).toThrow(/^ck\.npz: corrupt \.npz file: member "w\.npy" fails its CRC-32 check \(recorded 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)$/);
  });

  it('reads intact archives (deflated and stored) and pytorch-fid files as before', () => {
    expect(Array.from(parseNpz(encodeNpz(arrays), 'ok.npz').w!.data as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(readStatsNpz(golden('pytorch-fid-stats.npz')).dims).toBe(5);
  });

  it('computes zip’s CRC-32 (the check value of "123456789" is 0xcbf43926), natively or by table', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Table(check)).toBe(0xcbf43926);
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 131) & 0xff);
    expect(crc32Table(bytes)).toBe(crc32(bytes));
  });
});

function findBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}
