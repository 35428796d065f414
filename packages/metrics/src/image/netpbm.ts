/**
 * Netpbm (.pbm/.pgm/.ppm, P1–P6) decoding to 8-bit RGB exactly as Pillow 9.4 opens such a file
 * and converts it with `convert("RGB")`. sharp's prebuilt libvips has no PPM loader, and the
 * format is a dozen lines of header parsing.
 *
 * Pillow's value rules (PpmImagePlugin 9.4), reproduced here:
 * - P1/P4 bitmaps: bit 1 is black (0), bit 0 is white (255).
 * - maxval 255 (binary): bytes as they are. Any other maxval, and every plain (ASCII) file:
 *   v ↦ round(v / maxval · out_max) with Python's round-half-to-even, where out_max is 255, or
 *   65535 for a grey map with maxval > 255 (Pillow mode "I"); RGB is always brought to 255.
 * - A binary grey map with maxval 65535 is read as its 16-bit values (mode "I").
 * - Mode "I" → RGB clips at 255 (Pillow's i2rgb), it does not scale.
 */
import type { RgbImage } from './rgb-image.js';
import { badInputError } from '../errors.js';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** True when the bytes start like a Netpbm file Pillow reads (P1–P6). */
export function isNetpbm(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x50 && bytes[1]! >= 0x31 && bytes[1]! <= 0x36 && WHITESPACE.has(bytes[2]!);
}

class Reader {
  pos = 2;
  constructor(readonly bytes: Uint8Array) {}

  /** Next whitespace-separated decimal token of the header (or of plain data); `#` starts a comment. */
  token(): number {
    const b = this.bytes;
    let text = '';
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x23) {
        // '#': skip to the end of the line
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
        if (text) break;
        continue;
      }
      if (WHITESPACE.has(c)) {
        if (text) break;
        continue;
      }
      text += String.fromCharCode(c);
      if (text.length > 10) throw badInputError('token too long in header');
    }
    if (!/^\d+$/.test(text)) throw badInputError(text ? `bad header value "${text}"` : 'file ends inside the header');
    return Number(text);
  }

  /** Next plain-bitmap digit (P1 allows "0101" without separators). */
  bit(): number {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x23) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else if (c === 0x30 || c === 0x31) {
        return c - 0x30;
      } else if (!WHITESPACE.has(c)) {
        throw badInputError(`invalid bitmap value "${String.fromCharCode(c)}"`);
      }
    }
    throw badInputError('file ends before all pixels are read (truncated)');
  }
}

/** Python's round() of a double: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Decodes a Netpbm file to RGB the Pillow way. Throws a plain Error with the reason for
 * malformed or truncated data (the caller prefixes the file name).
 */
export function decodeNetpbm(bytes: Uint8Array): RgbImage {
  const kind = bytes[1]! - 0x30; // 1..6
  const r = new Reader(bytes);
  const width = r.token();
  const height = r.token();
  if (width === 0 || height === 0) throw badInputError(`empty image (${width}x${height})`);
  const bitmap = kind === 1 || kind === 4;
  const maxval = bitmap ? 1 : r.token();
  if (maxval < 1 || maxval > 65535) throw badInputError(`maxval must be 1..65535, got ${maxval}`);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const plain = kind <= 3;
  const n = width * height;
  // Out-max of Pillow's mode: "I" (grey, maxval > 255) keeps 16-bit values, everything else 8-bit.
  const outMax = channels === 1 && maxval > 255 ? 65535 : 255;
  const values = new Uint16Array(n * channels);

  if (bitmap) {
    if (plain) {
      for (let i = 0; i < n; i++) values[i] = r.bit() ? 0 : 255;
    } else {
      const rowBytes = Math.ceil(width / 8);
      const start = r.pos; // token() consumed the single whitespace after the height
      if (bytes.length < start + rowBytes * height) throw badInputError('file ends before all pixels are read (truncated)');
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const bit = (bytes[start + y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
          values[y * width + x] = bit ? 0 : 255;
        }
      }
    }
  } else if (plain) {
    for (let i = 0; i < values.length; i++) {
      if (r.pos >= bytes.length) throw badInputError('file ends before all pixels are read (truncated)');
      const v = r.token();
      if (v > maxval) throw badInputError(`channel value ${v} is larger than maxval ${maxval}`);
      values[i] = roundHalfEven((v / maxval) * outMax);
    }
  } else {
    const wide = maxval > 255;
    const start = r.pos;
    if (bytes.length < start + values.length * (wide ? 2 : 1)) {
      throw badInputError('file ends before all pixels are read (truncated)');
    }
    const direct = maxval === 255 || (channels === 1 && maxval === 65535);
    for (let i = 0; i < values.length; i++) {
      const v = wide ? (bytes[start + 2 * i]! << 8) | bytes[start + 2 * i + 1]! : bytes[start + i]!;
      values[i] = direct ? v : Math.min(outMax, roundHalfEven((v / maxval) * outMax));
    }
  }

  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = values[i * channels + (channels === 3 ? c : 0)]!;
      data[i * 3 + c] = v > 255 ? 255 : v; // mode "I" → RGB clips (Pillow's i2rgb)
    }
  }
  return { width, height, data };
}
