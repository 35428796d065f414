/**
 * Image decoding to 8-bit RGB, pixel-identical to what pytorch-fid and clean-fid feed their
 * networks: Pillow 9.4's `Image.open(path).convert("RGB")`.
 *
 * PNG, JPEG, WebP and TIFF go through sharp (libvips); BMP and Netpbm, which sharp's
 * prebuilt libvips cannot read, through small ports of Pillow's readers. The format is taken from
 * the file's content, not its extension, as Pillow does. Pillow's conversions, matched here:
 * - grey → RGB replicates; grey+alpha, RGBA, palette+transparency → RGB DROP alpha (no
 *   flattening onto a background: a fully transparent pixel keeps its colour);
 * - 16-bit grey PNG/TIFF opens as mode "I" and `convert("RGB")` CLIPS at 255 (it does not
 *   scale by 1/257): values 0…255 stay, everything above becomes 255;
 * - 16-bit RGB, RGBA and grey+alpha PNG keep the HIGH byte of each sample (v >> 8);
 * - CMYK (JPEG/TIFF) → RGB by Pillow's naive formula (255−K) − C·(255−K)/255, no colour management;
 * - embedded ICC profiles and EXIF orientation are ignored (Pillow applies neither on open);
 * - multi-frame files: the first frame.
 * JPEG: sharp's libjpeg (mozjpeg, default IDCT and fancy upsampling) gives the same bytes as
 * Pillow's libjpeg-turbo on every fixture (4:2:0, 4:2:2, 4:4:4, progressive, grey, CMYK).
 * Verified byte for byte against Pillow 9.4 on all of fixtures/images (see decode.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { inputError, internalError } from '../errors.js';
import { decodeBmp, isBmp } from './bmp.js';
import { decodeNetpbm, isNetpbm } from './netpbm.js';
import { loadSharp } from './load-sharp.js';
import type { RgbImage } from './rgb-image.js';
import { diagnoseDamage, isPng, jpegTrailingMarkerProblem, pngHeaderChunkProblem, withoutUnknownCriticalPngChunks } from './stream-checks.js';

/**
 * Formats handed to sharp, whatever the file's extension. Refused: what Pillow cannot read
 * (SVG, HEIF/AVIF) and GIF, whose transparent pixels libvips zeroes where Pillow keeps the
 * palette colour.
 */
const SHARP_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff']);

const SHARP_OPTIONS = {
  // Reject truncated and corrupt pixel data like Pillow does ("image file is truncated", "broken
  // data stream"), but accept what libjpeg merely warns about (extraneous bytes, corrupt Huffman
  // codes, a premature marker), as Pillow does: 'warning' would refuse those, 'truncated' would
  // accept corrupt compressed PNG data. What libvips misses is checked in stream-checks.ts.
  failOn: 'error',
  // Pillow ignores embedded ICC profiles; sharp would otherwise convert to sRGB through them.
  ignoreIcc: true,
} as const;

/** Reads and decodes one image file; see {@link decodeImage}. */
export async function decodeImageFile(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(path, code === 'ENOENT' ? 'no such file' : `cannot read file (${code ?? (e as Error).message})`);
  }
  return decodeImage(bytes, path);
}

/**
 * Decodes image bytes to RGB exactly as Pillow 9.4's `Image.open(…).convert("RGB")` does.
 * `file` names the source in errors: every decoding failure is
 * `inputError(file, 'cannot decode image: …')` (one line, exit code 2), so a pipeline can skip bad
 * files (--skip-bad) by catching GenEvalError.
 */
export async function decodeImage(bytes: Uint8Array, file: string): Promise<RgbImage> {
  if (bytes.length === 0) throw inputError(file, 'cannot decode image: empty file');
  try {
    if (isBmp(bytes)) return decodeBmp(bytes);
    if (isNetpbm(bytes)) return decodeNetpbm(bytes);
    return await decodeWithSharp(bytes);
  } catch (e) {
    throw inputError(file, `cannot decode image: ${e instanceof DecodeProblem ? e.message : describeLibvipsFailure(e, bytes)}`);
  }
}

/** A problem found by our own code (its message depends on the file only). */
class DecodeProblem extends Error {}

/**
 * One line of reason for a libvips failure. Its message cannot be trusted as is: libvips keeps one
 * error buffer per process, so with several decodes at once (worker threads, libuv's pool) a
 * failure may read "Unknown error" or another file's message. So the reason comes from the bytes
 * (JPEG and PNG: libjpeg's wording, truncation), and libvips' text only for other formats.
 */
function describeLibvipsFailure(e: unknown, bytes: Uint8Array): string {
  const own = diagnoseDamage(bytes);
  if (own !== null) return own;
  const text = ((e as Error).message || String(e))
    .split('\n')[0]!
    .replace(/^(\w+load_buffer|VipsJpeg): /, '')
    .trim();
  if (/^Input buffer contains unsupported image format$/i.test(text)) return 'unsupported image format (not an image, or not one Pillow reads)';
  if (/^unknown error$/i.test(text) || text === '') return 'corrupt or unreadable image data';
  if (/end of stream|premature end/i.test(text)) return `file is truncated (${text})`;
  return text;
}

async function decodeWithSharp(input: Uint8Array): Promise<RgbImage> {
  const bytes = isPng(input) ? withoutUnknownCriticalPngChunks(input) : input;
  const sharp = await loadSharp();
  const meta = await sharp(bytes, SHARP_OPTIONS).metadata();
  if (!SHARP_FORMATS.has(meta.format ?? '')) throw new DecodeProblem(`unsupported image format (${meta.format ?? 'unknown'})`);
  // Damage Pillow refuses but libvips decodes (see stream-checks.ts).
  const problem = meta.format === 'jpeg' ? jpegTrailingMarkerProblem(bytes) : meta.format === 'png' ? pngHeaderChunkProblem(bytes) : null;
  if (problem !== null) throw new DecodeProblem(meta.format === 'jpeg' ? `broken data stream (${problem}, after the image data)` : problem);
  if (meta.depth !== 'uchar' && meta.depth !== 'ushort') {
    throw new DecodeProblem(`unsupported sample format (${meta.depth ?? 'unknown'}; expected 8- or 16-bit integers)`);
  }
  const base = () => sharp(bytes, SHARP_OPTIONS);
  if (meta.space === 'cmyk') {
    // Keep the raw inks (libvips undoes Adobe's inversion, as Pillow's "CMYK;I" does) and
    // convert with Pillow's formula instead of sharp's ICC-managed one.
    const { data, info } = await base().pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
    return cmykToRgb(data, info.width, info.height, info.channels);
  }
  if (meta.depth === 'ushort' && meta.channels === 1) {
    // Pillow opens 16-bit grey as mode "I"; convert("RGB") clips each value at 255.
    const { data, info } = await base().pipelineColourspace('grey16').toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const values = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
    return toRgb(values, info.width, info.height, info.channels, (v) => (v > 255 ? 255 : v));
  }
  // 8-bit data as is; 16-bit colour (and grey+alpha) reduced by libvips to the high byte,
  // which is what Pillow's "RGB;16B"/"RGBA;16B"/"LA;16B" unpackers keep.
  const { data, info } = await base().raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3 && data.length === info.width * info.height * 3) {
    // already RGB: no copy
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  }
  return toRgb(data, info.width, info.height, info.channels, (v) => v);
}

/** Interleaved 1–4 channel samples → RGB: grey replicated, alpha (2nd or 4th channel) dropped. */
function toRgb(src: Uint8Array | Uint16Array, width: number, height: number, channels: number, map: (v: number) => number): RgbImage {
  const n = width * height;
  if (channels < 1 || channels > 4 || src.length < n * channels) throw internalError(`unexpected decoder output (${channels} channels)`);
  const data = new Uint8Array(n * 3);
  if (channels >= 3) {
    for (let i = 0, j = 0; i < n; i++, j += channels) {
      data[3 * i] = map(src[j]!);
      data[3 * i + 1] = map(src[j + 1]!);
      data[3 * i + 2] = map(src[j + 2]!);
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += channels) {
      const v = map(src[j]!);
      data[3 * i] = v;
      data[3 * i + 1] = v;
      data[3 * i + 2] = v;
    }
  }
  return { width, height, data };
}

/** Pillow's cmyk2rgb: nk = 255 − K; channel = clip(nk − MULDIV255(C, nk)). */
export function cmykToRgb(src: Uint8Array, width: number, height: number, channels = 4): RgbImage {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const nk = 255 - src[j + 3]!;
    for (let c = 0; c < 3; c++) {
      const t = src[j + c]! * nk + 128;
      const v = nk - (((t >> 8) + t) >> 8);
      data[3 * i + c] = v < 0 ? 0 : v;
    }
  }
  return { width, height, data };
}
