import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFeatureMatrix } from './features.js';
import { encodeNpy, parseNpy, readNpy, writeNpy } from './npy.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-npy-');

const golden = (name: string) => join(__dirname, '../../../../fixtures/golden/io', name);
const expected = Array.from({ length: 12 }, (_, i) => i / 8 - 0.5);

describe('readNpy on files numpy wrote', () => {
  it('reads float64, float32, version 2 headers, integer labels and 0-d scalars', () => {
    for (const f of ['f8.npy', 'f4.npy', 'v2.npy']) {
      const a = readNpy(golden(f));
      expect(a.shape).toEqual([4, 3]);
      expect(Array.from(a.data as Float64Array)).toEqual(expected);
    }
    expect(readNpy(golden('f4.npy')).data).toBeInstanceOf(Float32Array);
    const labels = readNpy(golden('i8-labels.npy'));
    expect(labels.dtype).toBe('<i8');
    expect(Array.from(labels.data as BigInt64Array, Number)).toEqual([3, 1, 4, 1, 5]);
    expect(Array.from(readNpy(golden('u1.npy')).data as Uint8Array)).toEqual([0, 255]);
    const s = readNpy(golden('scalar.npy'));
    expect(s.shape).toEqual([]);
    expect(s.data[0]).toBe(2.5);
  });

  it('rejects what it cannot read with the file name and the reason', () => {
    expect(() => readNpy(golden('fortran.npy'))).toThrow(/fortran\.npy: Fortran-ordered/);
    expect(() => readNpy(golden('complex.npy'))).toThrow(/complex\.npy: unsupported dtype "<c16"/);
    expect(() => readNpy('/no/such.npy')).toThrow('/no/such.npy: no such file');
    const dir = mkdtempSync(join(scratch, 'npy-'));
    const trunc = join(dir, 'trunc.npy');
    writeFileSync(trunc, readFileSync(golden('f8.npy')).subarray(0, 150));
    expect(() => readNpy(trunc)).toThrow(/trunc\.npy: truncated \.npy file: shape \(4, 3\) needs 96 data bytes, found 22/);
    const text = join(dir, 'feat.npy');
    writeFileSync(text, '1,2,3\n4,5,6\n');
    expect(() => readNpy(text)).toThrow(/feat\.npy: not a \.npy file/);
  });
});

describe('writeNpy', () => {
  it('writes the same bytes numpy writes (v1 header padded to 64)', () => {
    const ours = encodeNpy(Float64Array.from(expected), [4, 3]);
    expect(Buffer.from(ours).equals(readFileSync(golden('f8.npy')))).toBe(true);
    const ours32 = encodeNpy(Float32Array.from(expected), [4, 3]);
    expect(Buffer.from(ours32).equals(readFileSync(golden('f4.npy')))).toBe(true);
  });

  it('round-trips any float64 matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.double({ noNaN: true }), (r, c, v) => {
        const data = Float64Array.from({ length: r * c }, (_, i) => v * (i + 1));
        const back = parseNpy(encodeNpy(data, [r, c]), 'x');
        return back.shape[0] === r && back.shape[1] === c && back.data.every((x, i) => Object.is(x, data[i]));
      }),
    );
  });
});

describe('readFeatureMatrix', () => {
  const dir = mkdtempSync(join(scratch, 'feat-'));
  it('names the file and the first bad row for NaN / Inf', () => {
    const p = join(dir, 'nan.npy');
    const d = new Float32Array(12).fill(1);
    d[7] = Number.NaN;
    writeNpy(p, d, [4, 3]);
    expect(() => readFeatureMatrix(p)).toThrow(`${p}: NaN at row 2, column 1 (first non-finite value)`);
    d[7] = 1;
    d[10] = -Infinity;
    writeNpy(p, d, [4, 3]);
    expect(() => readFeatureMatrix(p)).toThrow(`${p}: Inf at row 3, column 1`);
  });

  it('rejects wrong dtype, wrong rank and too few samples', () => {
    expect(() => readFeatureMatrix(golden('i8-labels.npy'))).toThrow(/i8-labels\.npy: features must be float32 or float64, found dtype <i8/);
    const one = join(dir, 'one.npy');
    writeNpy(one, Float64Array.of(1, 2, 3), [1, 3]);
    expect(() => readFeatureMatrix(one)).toThrow(`${one}: needs at least 2 samples, found 1`);
    const flat = join(dir, 'flat.npy');
    writeNpy(flat, Float64Array.of(1, 2, 3), [3]);
    expect(() => readFeatureMatrix(flat)).toThrow(/expected a 2-D feature matrix \(samples × dims\), found shape \(3\)/);
    expect(readFeatureMatrix(flat, { allow1d: true }).cols).toBe(1);
  });
});
