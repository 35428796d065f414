import { describe, expect, it } from 'vitest';
import { decodeBmp, isBmp } from './bmp.js';

/** A v3 (40-byte header) BMP around raw pixel data; palette entries are [r, g, b]. */
function bmp(o: { width: number; height: number; bits: number; compression?: number; palette?: number[][]; data: number[]; masks?: number[] }): Uint8Array {
  const pal = (o.palette ?? []).flatMap(([r, g, b]) => [b!, g!, r!, 0]);
  const masks = (o.masks ?? []).flatMap((m) => [m & 255, (m >>> 8) & 255, (m >>> 16) & 255, m >>> 24]);
  const offset = 54 + masks.length + pal.length;
  const b = new Uint8Array(offset + o.data.length);
  const dv = new DataView(b.buffer);
  b.set([0x42, 0x4d]);
  dv.setUint32(2, b.length, true);
  dv.setUint32(10, offset, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, o.width, true);
  dv.setInt32(22, o.height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, o.bits, true);
  dv.setUint32(30, o.compression ?? 0, true);
  dv.setUint32(46, (o.palette ?? []).length, true);
  b.set(masks, 54);
  b.set(pal, 54 + masks.length);
  b.set(o.data, offset);
  return b;
}

const palette = [
  [0, 0, 0],
  [10, 20, 30],
  [40, 50, 60],
  [70, 80, 90],
  [100, 110, 120],
];
const reds = (img: { data: Uint8Array }) => Array.from(img.data.filter((_, k) => k % 3 === 0));

describe('decodeBmp', () => {
  it('RLE8 delta escapes skip right and down, filling with index 0 (the format; Pillow 9.4 misreads them)', () => {
    // 4×3, stored bottom row first: row0 = 1 1 1 1; then a delta (right 1, down 1) lands on row 2, x = 1;
    // an encoded run of 2 (index 3), an absolute run of 1 can't exist, so run 1 of index 4; end of bitmap.
    const data = [4, 1, 0, 0, 0, 2, 1, 1, 2, 3, 1, 4, 0, 1];
    const img = decodeBmp(bmp({ width: 4, height: 3, bits: 8, compression: 1, palette, data }));
    // File rows bottom-up: [1 1 1 1], [0 0 0 0] skipped, [0 3 3 4]; image rows are top-down.
    expect(reds(img)).toEqual([0, 70, 70, 100, 0, 0, 0, 0, 10, 10, 10, 10]);
  });

  it('RLE4 odd absolute runs drop their last pixel, as Pillow does', () => {
    // 3×1: an absolute run of 3 pixels → Pillow reads 3 >> 1 = 1 byte (0x12) = 2 pixels (1, 2), skips
    // the word padding; end of line pads the row with index 0; end of bitmap.
    const data = [0, 3, 0x12, 0, 0, 0, 0, 1];
    expect(reds(decodeBmp(bmp({ width: 3, height: 1, bits: 4, compression: 2, palette, data })))).toEqual([10, 40, 0]);
  });

  it('refuses what Pillow refuses, and truncation', () => {
    expect(isBmp(Uint8Array.from([0x42, 0x4d]))).toBe(true);
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bits: 2, data: [0, 0, 0, 0] }))).toThrow(/pixel depth \(2\)/);
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bits: 24, compression: 4, data: [0, 0, 0, 0] }))).toThrow(/compression \(4\)/);
    // A 40-byte header has no alpha mask, and Pillow has no RGB-order layout without one.
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bits: 32, compression: 3, masks: [0xff, 0xff00, 0xff0000], data: [1, 2, 3, 4] }))).toThrow(
      /bit-field layout \(ff,ff00,ff0000,0\)/,
    );
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bits: 16, compression: 3, masks: [0xf, 0xf0, 0xf00], data: [1, 2, 3, 4] }))).toThrow(/bit-field layout/);
    expect(() => decodeBmp(bmp({ width: 4, height: 4, bits: 24, data: [1, 2, 3] }))).toThrow(/truncated/);
    expect(() => decodeBmp(bmp({ width: 0, height: 4, bits: 24, data: [] }))).toThrow(/size/);
    expect(() => decodeBmp(bmp({ width: 2, height: 2, bits: 8, compression: 1, palette, data: [2, 1, 0, 1] }))).toThrow(/truncated/);
  });

  it('32-bit bit fields pick the channels by mask', () => {
    // Masks R=0xff0000, G=0xff00, B=0xff ("BGRX"), and plain 32-bit: bytes are B G R X in memory.
    const img = decodeBmp(bmp({ width: 1, height: 1, bits: 32, compression: 3, masks: [0xff0000, 0xff00, 0xff], data: [1, 2, 3, 4] }));
    expect(Array.from(img.data)).toEqual([3, 2, 1]);
    const bgrx = decodeBmp(bmp({ width: 1, height: 1, bits: 32, data: [1, 2, 3, 4] }));
    expect(Array.from(bgrx.data)).toEqual([3, 2, 1]);
  });
});
