/**
 * Valid numpy files in spellings np.load accepts that we used to reject (issue #10): fixtures
 * written and checked by numpy in fixtures/scripts/gen_io_variants.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeatureMatrix } from './features.js';
import { parseNpy, parseNpyAny, readNpy } from './npy.js';
import { parseNpz, readStatsNpz } from './npz.js';

const golden = (name: string) => join(__dirname, '../../../../fixtures/golden/io', name);
const expected = Array.from({ length: 12 }, (_, i) => i / 8 - 0.5);

describe('.npy spellings numpy accepts', () => {
  it('double-quoted header keys and values', () => {
    const a = readNpy(golden('dq-header.npy'));
    expect(a).toMatchObject({ dtype: '<f8', shape: [4, 3] });
    expect(Array.from(a.data as Float64Array)).toEqual(expected);
  });

  it("descr without a byte-order character ('f8', 'f4', 'i8' = native, little-endian)", () => {
    expect(readNpy(golden('descr-f8.npy')).dtype).toBe('<f8');
    expect(Array.from(readFeatureMatrix(golden('descr-f8.npy')).data)).toEqual(expected);
    const f4 = readFeatureMatrix(golden('descr-f4.npy'));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f4.data)).toEqual(expected);
    const i8 = readNpy(golden('descr-i8.npy'));
    expect(i8.dtype).toBe('<i8');
    expect(Array.from(i8.data as BigInt64Array, Number)).toEqual([3, 1, 4, 1, 5]);
  });

  it('big-endian data are byte-swapped: >f8, >f4 features and >i8 labels', () => {
    expect(Array.from(readFeatureMatrix(golden('big-endian.npy')).data)).toEqual(expected);
    const f4 = readFeatureMatrix(golden('be-f4.npy'));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f4.data)).toEqual(expected);
    const i8 = readNpy(golden('be-i8-labels.npy'));
    expect(i8.dtype).toBe('<i8');
    expect(Array.from(i8.data as BigInt64Array, Number)).toEqual([3, 1, 4, 1, 5]);
  });

  it('unicode arrays (<U1, <U4, >U4) decode as strings, and are refused where numbers are needed', () => {
    expect(parseNpyAny(readFileSync(golden('u1-labels.npy')), 'u1')).toEqual({ dtype: 'U1', shape: [5], data: ['3', '1', '4', '1', '5'] });
    const names = ['cat', 'dog', 'cat', 'bird'];
    expect(parseNpyAny(readFileSync(golden('str-labels.npy')), 's').data).toEqual(names);
    expect(parseNpyAny(readFileSync(golden('be-str-labels.npy')), 's').data).toEqual(names);
    expect(() => readNpy(golden('str-labels.npy'))).toThrow(/str-labels\.npy: holds text \(dtype U4\), expected numbers/);
  });

  it('still refuses what numpy would not give us as numbers, naming the file', () => {
    const bad = (descr: string) => {
      const h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`.padEnd(117) + '\n';
      const bytes = new Uint8Array(128 + 16);
      bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0]);
      for (let i = 0; i < h.length; i++) bytes[10 + i] = h.charCodeAt(i);
      return bytes;
    };
    expect(() => parseNpy(bad('<c16'), 'c.npy')).toThrow(/^c\.npy: unsupported dtype "<c16"/);
    expect(() => parseNpy(bad('<f2'), 'h.npy')).toThrow(/^h\.npy: unsupported dtype "<f2"/);
    expect(() => parseNpy(bad('O'), 'o.npy')).toThrow(/^o\.npy: unsupported dtype "O"/);
  });
});

describe('.npz members compressed with bzip2 (zip method 12) or LZMA (method 14)', () => {
  it('read as the deflated original', () => {
    const ref = readStatsNpz(golden('pytorch-fid-stats.npz'));
    for (const f of ['stats-bz2.npz', 'stats-lzma.npz']) {
      const s = readStatsNpz(golden(f));
      expect(Array.from(s.mu)).toEqual(Array.from(ref.mu));
      expect(Array.from(s.sigma)).toEqual(Array.from(ref.sigma));
      expect(Object.keys(parseNpz(readFileSync(golden(f)), f)).sort()).toEqual(['mu', 'sigma']);
    }
  });

  it('corrupt compressed data: one line naming the file and the member', () => {
    for (const f of ['stats-bz2.npz', 'stats-lzma.npz']) {
      const bytes = Uint8Array.from(readFileSync(golden(f)));
      // Damage the first member's compressed stream (it starts after the 30-byte local header and "mu.npy").
      for (let i = 50; i < 90; i++) bytes[i] = 0x55;
      expect(() => parseNpz(bytes, f)).toThrow(new RegExp(`^${f.replace('.', '\\.')}: not a valid \\.npz file \\(member "mu\\.npy"`));
    }
  });
});
