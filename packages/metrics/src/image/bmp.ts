/**
 * Windows BMP decoding to 8-bit RGB exactly as Pillow 9.4 opens such a file and converts it with
 * `convert("RGB")`. sharp's prebuilt libvips has no BMP loader (it needs ImageMagick).
 *
 * Supported, as in Pillow: OS/2 v1 and Windows v3–v5 headers; 1/4/8-bit palettes; 16-bit
 * (5-5-5, or 5-6-5 via bit fields; channels widened with Pillow's `v·255/max`, truncating);
 * 24-bit; 32-bit with the byte-aligned bit-field layouts Pillow accepts (alpha is dropped);
 * bottom-up and top-down rows; RLE8/RLE4 compression, with Pillow's quirks (encoded runs clipped
 * at the row end, absolute runs not; an odd RLE4 absolute run loses its last pixel).
 * One deliberate difference: an RLE "delta" escape skips right/down as the format says, where
 * Pillow 9.4 reads two extra bytes (a bug) — such files are rare and Pillow 9.4's output is garbage.
 */
import type { RgbImage } from './rgb-image.js';
import { badInputError, unsupportedError } from '../errors.js';

/** True when the bytes start with the BMP magic "BM". */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

interface Header {
  width: number;
  height: number;
  topDown: boolean;
  bits: number;
  compression: number;
  colors: number;
  paletteEntry: number;
  masks: [number, number, number, number] | null;
}

function readHeader(b: Uint8Array, dv: DataView): Header {
  const size = dv.getUint32(14, true);
  if (size === 12) {
    return { width: dv.getUint16(18, true), height: dv.getUint16(20, true), topDown: false, bits: dv.getUint16(24, true), compression: 0, colors: 0, paletteEntry: 3, masks: null };
  }
  if (size !== 40 && size !== 64 && size !== 108 && size !== 124) throw unsupportedError(`unsupported BMP header type (${size})`);
  if (b.length < 14 + size) throw badInputError('file ends inside the BMP header (truncated)');
  const rawHeight = dv.getInt32(22, true);
  const compression = dv.getUint32(30, true);
  let masks: Header['masks'] = null;
  if (compression === 3) {
    // A 40-byte header keeps the three RGB masks right after it (Pillow: alpha mask 0).
    masks =
      size >= 56
        ? [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true), dv.getUint32(66, true)]
        : [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true), 0];
  }
  return {
    width: dv.getInt32(18, true),
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bits: dv.getUint16(28, true),
    compression,
    colors: dv.getUint32(46, true),
    paletteEntry: 4,
    masks,
  };
}

/** Byte offset of R, G, B inside a 32-bit little-endian pixel, for the layouts Pillow supports. */
function masks32(m: [number, number, number, number]): [number, number, number] {
  const key = m.map((v) => v.toString(16)).join(',');
  switch (key) {
    case 'ff0000,ff00,ff,0':
    case 'ff0000,ff00,ff,ff000000':
    case '0,0,0,0':
      return [2, 1, 0];
    case 'ff000000,ff0000,ff00,0':
    case 'ff000000,ff0000,ff00,ff':
      return [3, 2, 1];
    case 'ff,ff00,ff0000,ff000000':
      return [0, 1, 2];
    default:
      throw unsupportedError(`unsupported BMP bit-field layout (${key})`);
  }
}

/** Expands RLE8/RLE4 data to one palette index per pixel, in file row order (after Pillow's BmpRleDecoder). */
function decodeRle(b: Uint8Array, start: number, width: number, height: number, rle4: boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  let len = 0;
  let x = 0;
  let p = start;
  const push = (v: number): void => {
    if (len < out.length) out[len++] = v;
  };
  while (len < out.length && p + 1 < b.length) {
    const count = b[p]!;
    const byte = b[p + 1]!;
    p += 2;
    if (count > 0) {
      const n = x + count > width ? Math.max(0, width - x) : count;
      for (let i = 0; i < n; i++) push(rle4 ? (i % 2 === 0 ? byte >> 4 : byte & 15) : byte);
      x += n;
    } else if (byte === 0) {
      // end of line
      while (len % width !== 0) push(0);
      x = 0;
    } else if (byte === 1) {
      // end of bitmap
      break;
    } else if (byte === 2) {
      // delta: skip right and down
      if (p + 1 >= b.length) break;
      const right = b[p]!;
      const down = b[p + 1]!;
      p += 2;
      const target = len + down * width + right;
      while (len < Math.min(target, out.length)) push(0);
      x = len % width;
    } else {
      // Absolute run of `byte` pixels. Like Pillow: not clipped at the row end, and RLE4 reads
      // ⌊n/2⌋ bytes (two pixels each); then realign to an even file offset.
      const count = rle4 ? byte >> 1 : byte;
      if (p + count > b.length) break;
      for (let i = 0; i < count; i++) {
        const v = b[p + i]!;
        if (rle4) {
          push(v >> 4);
          push(v & 15);
        } else push(v);
      }
      p += count;
      x += byte;
      if (p % 2 !== 0) p++;
    }
  }
  if (len < out.length) throw badInputError('RLE data ends before all pixels are read (truncated)');
  return out;
}

/** Decodes a BMP file the Pillow way. Throws a plain Error with the reason (the caller adds the file name). */
export function decodeBmp(b: Uint8Array): RgbImage {
  if (b.length < 26) throw badInputError('file ends inside the BMP header (truncated)');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h = readHeader(b, dv);
  const { width, height, bits } = h;
  if (width <= 0 || height <= 0) throw badInputError(`bad BMP size ${width}x${height}`);
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw unsupportedError(`unsupported BMP pixel depth (${bits})`);
  if (h.compression === 3 && bits !== 16 && bits !== 24 && bits !== 32) throw unsupportedError('unsupported BMP bit-field layout');
  if (h.compression > 3) throw unsupportedError(`unsupported BMP compression (${h.compression})`);
  const headerSize = dv.getUint32(14, true);
  let offset = dv.getUint32(10, true);
  const colors = h.colors || 2 ** Math.min(bits, 16);
  // Pillow: a data offset that points right after the header skips the palette that follows it.
  if (offset === 14 + headerSize && bits <= 8) offset += 4 * colors;

  const palette = new Uint8Array(256 * 3);
  if (bits <= 8) {
    if (colors > 65536) throw unsupportedError(`unsupported BMP palette size (${colors})`);
    const pstart = 14 + headerSize + (h.compression === 3 ? 12 : 0);
    for (let i = 0; i < Math.min(colors, 256); i++) {
      const q = pstart + i * h.paletteEntry;
      if (q + 2 >= b.length) break;
      palette[i * 3] = b[q + 2]!;
      palette[i * 3 + 1] = b[q + 1]!;
      palette[i * 3 + 2] = b[q]!;
    }
  }

  const data = new Uint8Array(width * height * 3);
  const rle = h.compression === 1 || h.compression === 2;
  if (rle && bits !== (h.compression === 1 ? 8 : 4)) throw badInputError('RLE compression does not match the pixel depth');
  const indices = rle ? decodeRle(b, offset, width, height, h.compression === 2) : null;
  const stride = ((width * bits + 31) >> 3) & ~3;
  if (!rle && b.length < offset + stride * (height - 1) + Math.ceil((width * bits) / 8)) {
    throw badInputError('file ends before all pixels are read (truncated)');
  }
  // 16-bit layout: 5-5-5 unless the bit fields say 5-6-5.
  let is565 = false;
  if (bits === 16 && h.masks) {
    const [r, g, bl] = h.masks;
    if (r === 0xf800 && g === 0x7e0 && bl === 0x1f) is565 = true;
    else if (!(r === 0x7c00 && g === 0x3e0 && bl === 0x1f)) throw unsupportedError('unsupported BMP bit-field layout');
  }
  if (bits === 24 && h.masks && !(h.masks[0] === 0xff0000 && h.masks[1] === 0xff00 && h.masks[2] === 0xff)) {
    throw unsupportedError('unsupported BMP bit-field layout');
  }
  const order = bits === 32 ? (h.masks ? masks32(h.masks) : [2, 1, 0]) : [2, 1, 0];

  for (let row = 0; row < height; row++) {
    const y = h.topDown ? row : height - 1 - row; // output row of file row `row`
    const line = offset + row * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bits <= 8) {
        let idx: number;
        if (indices) idx = indices[row * width + x]!;
        else if (bits === 8) idx = b[line + x]!;
        else if (bits === 4) idx = (b[line + (x >> 1)]! >> (x & 1 ? 0 : 4)) & 15;
        else idx = (b[line + (x >> 3)]! >> (7 - (x & 7))) & 1;
        data[o] = palette[idx * 3]!;
        data[o + 1] = palette[idx * 3 + 1]!;
        data[o + 2] = palette[idx * 3 + 2]!;
      } else if (bits === 16) {
        const v = b[line + 2 * x]! | (b[line + 2 * x + 1]! << 8);
        if (is565) {
          data[o] = Math.trunc((((v >> 11) & 31) * 255) / 31);
          data[o + 1] = Math.trunc((((v >> 5) & 63) * 255) / 63);
        } else {
          data[o] = Math.trunc((((v >> 10) & 31) * 255) / 31);
          data[o + 1] = Math.trunc((((v >> 5) & 31) * 255) / 31);
        }
        data[o + 2] = Math.trunc(((v & 31) * 255) / 31);
      } else {
        const px = line + x * (bits >> 3);
        data[o] = b[px + order[0]!]!;
        data[o + 1] = b[px + order[1]!]!;
        data[o + 2] = b[px + order[2]!]!;
      }
    }
  }
  return { width, height, data };
}
