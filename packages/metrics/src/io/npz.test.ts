import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseNpy } from './npy.js';
import { encodeNpz, parseNpz, readStatsNpz, writeStatsNpz } from './npz.js';

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
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
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
