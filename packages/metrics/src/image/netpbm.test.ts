import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNetpbm, isNetpbm } from './netpbm.js';

const enc = (s: string, data: number[] = []) => Uint8Array.from([...new TextEncoder().encode(s), ...data]);

describe('decodeNetpbm', () => {
  it('binary PPM with maxval 255 is read as is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.infiniteStream(fc.integer({ min: 0, max: 255 })), (w, h, values) => {
        const px = [...values.take(w * h * 3)];
        const img = decodeNetpbm(enc(`P6\n# comment\n${w} ${h}\n255\n`, px));
        expect([img.width, img.height, Array.from(img.data)]).toEqual([w, h, px]);
      }),
      { numRuns: 50 },
    );
  });

  it('rescales other maxvals with round-half-to-even, as Python round() does', () => {
    // maxval 2: 1 → 127.5 → 128 (even); maxval 10: 1 → 25.5 → 26, 3 → 76.5 → 76.
    expect(Array.from(decodeNetpbm(enc('P5 3 1 2\n', [0, 1, 2])).data)).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
    expect(Array.from(decodeNetpbm(enc('P2 2 1 10 1 3\n')).data)).toEqual([26, 26, 26, 76, 76, 76]);
  });

  it('16-bit grey is Pillow mode "I": values clip at 255 in RGB', () => {
    const img = decodeNetpbm(enc('P5 3 1 65535\n', [0, 200, 1, 0, 255, 255]));
    expect(Array.from(img.data.filter((_, k) => k % 3 === 0))).toEqual([200, 255, 255]);
  });

  it('bitmaps: 1 is black', () => {
    expect(Array.from(decodeNetpbm(enc('P1 3 1\n1 0\n1\n')).data.filter((_, k) => k % 3 === 0))).toEqual([0, 255, 0]);
    expect(Array.from(decodeNetpbm(enc('P4 3 1\n', [0b10100000])).data.filter((_, k) => k % 3 === 0))).toEqual([0, 255, 0]);
  });

  it('reports malformed and truncated files', () => {
    expect(isNetpbm(enc('P7 1 1'))).toBe(false);
    expect(() => decodeNetpbm(enc('P6 2 2 255\n', [1, 2, 3]))).toThrow(/truncated/);
    expect(() => decodeNetpbm(enc('P6 2'))).toThrow(/ends inside the header/);
    expect(() => decodeNetpbm(enc('P5 x 2 255\n'))).toThrow(/bad header value "x"/);
    expect(() => decodeNetpbm(enc('P5 0 2 255\n'))).toThrow(/empty image/);
    expect(() => decodeNetpbm(enc('P2 1 1 10 11\n'))).toThrow(/larger than maxval/);
    expect(() => decodeNetpbm(enc('P1 2 1 1 2\n'))).toThrow(/invalid bitmap value/);
  });
});
