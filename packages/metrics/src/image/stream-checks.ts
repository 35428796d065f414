/**
 * Checks that make our decoders refuse exactly the damaged files Pillow 9.4 refuses, where
 * sharp/libvips alone would accept them (verified on fixtures/images-corrupt, see
 * fixtures/scripts/gen_corrupt_images.py):
 *
 * - JPEG: Pillow ends every decode with libjpeg's `jpeg_finish_decompress`, which reads the markers
 *   between the end of a single-scan image's data and EOI; a fatal libjpeg error there ("two SOF
 *   markers", "Unsupported marker type", a bogus table…) makes Pillow raise "broken data stream
 *   when reading image file". libvips never calls it, so it decodes such files. We replay that
 *   marker reading. Running out of data there is not an error for Pillow (the image rows are all
 *   decoded by then), so it is not one here either.
 * - PNG: Pillow verifies the CRC (and the name) of every chunk before the first IDAT, ancillary
 *   chunks included ("broken PNG file"); libspng ignores bad CRCs of ancillary chunks.
 */
import { crc32 } from '../io/crc32.js';

/** Raised by the byte reader where libjpeg's suspending source would suspend (end of data). */
class Suspend extends Error {}

class Reader {
  constructor(
    private readonly b: Uint8Array,
    public pos: number,
  ) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Suspend();
    return this.b[this.pos++]!;
  }
  u16(): number {
    return (this.byte() << 8) | this.byte();
  }
  /** skip_input_data: past the end it only suspends, and nothing is left to read anyway. */
  skip(n: number): void {
    if (n > 0) this.pos += n;
  }
  /** Bytes that must be there (INPUT_BYTE in a loop). */
  take(n: number): void {
    if (this.pos + n > this.b.length) throw new Suspend();
    this.pos += n;
  }
}

const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const hex = (m: number) => `0x${m.toString(16).padStart(2, '0')}`;

/** SOF markers libjpeg decodes (sequential or progressive, Huffman or arithmetic). */
const SOF_SUPPORTED = new Set([0xc0, 0xc1, 0xc2, 0xc9, 0xca]);
/** SOF types libjpeg refuses (lossless, hierarchical) and JPG. */
const SOF_UNSUPPORTED = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc8, 0xcb, 0xcd, 0xce, 0xcf]);
const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;

/** What libjpeg knows while reading markers. */
interface JpegState {
  sawSof: boolean;
  progressive: boolean;
  componentIds: number[];
  restartInterval: number;
  /** Components in the first scan (a scan with all of them makes a single-scan image). */
  firstScanComps: number;
}

/** How a walk through a JPEG's markers ended. */
export type JpegWalk =
  | { readonly end: 'eoi' }
  /** The data ran out: in the header, or after the image data began. */
  | { readonly end: 'eof'; readonly inHeader: boolean }
  /** A fatal libjpeg error (libjpeg's wording); `afterData`: in what follows a single scan's data. */
  | { readonly end: 'error'; readonly problem: string; readonly afterData: boolean };

/**
 * Walks a JPEG as libjpeg reads it: the header markers up to the first SOS, then for each scan its
 * entropy-coded data and the markers after it, up to EOI. Stops at the first fatal libjpeg error.
 */
export function walkJpeg(b: Uint8Array): JpegWalk {
  if (b.length < 2 || b[0] !== 0xff || b[1] !== 0xd8) return { end: 'error', problem: 'Not a JPEG file', afterData: false };
  const st: JpegState = { sawSof: false, progressive: false, componentIds: [], restartInterval: 0, firstScanComps: 0 };
  const r = new Reader(b, 2);
  let scans = 0;
  try {
    let m = nextMarker(r);
    for (;;) {
      const afterData = scans > 0 && !st.progressive && st.firstScanComps >= st.componentIds.length;
      const out = readMarkers(r, m, st, scans);
      if (out !== 'sos') return out === 'eoi' ? { end: 'eoi' } : { end: 'error', problem: out, afterData };
      scans++;
      m = skipEntropyData(r, st);
    }
  } catch (e) {
    if (e instanceof Suspend) return { end: 'eof', inHeader: scans === 0 };
    throw e;
  }
}

/**
 * Skips a scan's entropy-coded data to the marker that ends it. FF00 is a stuffed zero; RSTn and
 * TEM are skipped (by the restart logic, or by read_markers afterwards); with a restart interval,
 * libjpeg's resync also reads past any other marker below SOF0.
 */
function skipEntropyData(r: Reader, st: JpegState): number {
  for (;;) {
    const m = nextMarker(r);
    if (isRst(m) || m === 0x01 || (st.restartInterval > 0 && m < 0xc0)) continue;
    return m;
  }
}

/**
 * The error Pillow's `jpeg_finish_decompress` would raise after a single-scan JPEG's image data
 * (see the module comment), or null when there is none — also for progressive and multi-scan
 * files, whose every marker libvips reads too, and for files libvips refuses anyway.
 */
export function jpegTrailingMarkerProblem(b: Uint8Array): string | null {
  const walk = walkJpeg(b);
  return walk.end === 'error' && walk.afterData ? walk.problem : null;
}

/** libjpeg's read_markers from marker `first` on: 'sos' or 'eoi' where it stops, else the fatal error. */
function readMarkers(r: Reader, first: number, st: JpegState, scans: number): string {
  let m = first;
  for (;;) {
    if (m === 0xd9) return 'eoi';
    if (SOF_SUPPORTED.has(m)) {
      const length = r.u16();
      r.byte(); // precision
      const h = r.u16();
      const w = r.u16();
      const n = r.byte();
      if (st.sawSof) return 'Invalid JPEG file structure: two SOF markers';
      if (h === 0 || w === 0 || n === 0) return 'Empty JPEG image (DNL not supported)';
      if (length - 8 !== 3 * n) return 'Bogus marker length';
      st.sawSof = true;
      st.progressive = m === 0xc2 || m === 0xca;
      st.componentIds = [];
      for (let k = 0; k < n; k++) {
        st.componentIds.push(r.byte());
        r.byte();
        r.byte();
      }
    } else if (SOF_UNSUPPORTED.has(m)) {
      return `Unsupported JPEG process: SOF type ${hex(m)}`;
    } else if (m === 0xd8) {
      return 'Invalid JPEG file structure: two SOI markers';
    } else if (m === 0xda) {
      if (!st.sawSof) return 'Invalid JPEG file structure: SOS before SOF';
      const problem = sosProblem(r, st, scans);
      if (problem) return problem;
      if (scans > 0 && !st.progressive && st.firstScanComps >= st.componentIds.length) return "Didn't expect more than one scan";
      return 'sos';
    } else if (m === 0xc4) {
      const p = dhtProblem(r);
      if (p) return p;
    } else if (m === 0xdb) {
      const p = dqtProblem(r);
      if (p) return p;
    } else if (m === 0xdd) {
      if (r.u16() !== 4) return 'Bogus marker length';
      st.restartInterval = r.u16();
    } else if (m === 0xcc) {
      const p = dacProblem(r);
      if (p) return p;
    } else if ((m >= 0xe0 && m <= 0xef) || m === 0xfe || m === 0xdc) {
      r.skip(r.u16() - 2); // APPn, COM, DNL: skipped whatever their content
    } else if (!isRst(m) && m !== 0x01) {
      return `Unsupported marker type ${hex(m)}`;
    }
    m = nextMarker(r);
  }
}

/** libjpeg's next_marker: skips non-FF bytes, fill bytes and stuffed zeros. */
function nextMarker(r: Reader): number {
  for (;;) {
    let c = r.byte();
    while (c !== 0xff) c = r.byte();
    do c = r.byte();
    while (c === 0xff);
    if (c !== 0) return c;
  }
}

function sosProblem(r: Reader, st: JpegState, scans: number): string | null {
  const length = r.u16();
  const n = r.byte();
  if (length !== n * 2 + 6 || n < 1 || n > 4) return 'Bogus marker length';
  const used = new Set<number>();
  for (let k = 0; k < n; k++) {
    const cc = r.byte();
    r.byte();
    const ci = st.componentIds.slice(0, 4).findIndex((id, idx) => id === cc && !used.has(idx));
    if (ci < 0) return `Invalid component ID ${cc} in SOS`;
    used.add(ci);
  }
  const ss = r.byte();
  const se = r.byte();
  const a = r.byte();
  // jdphuff.c's check of a progressive scan's parameters
  if (st.progressive && (ss === 0 ? se !== 0 : se < ss || se > 63 || n !== 1 || a >> 4 > 13 || (a & 15) > 13)) {
    return `Invalid progressive parameters Ss=${ss} Se=${se} Ah=${a >> 4} Al=${a & 15}`;
  }
  if (scans === 0) st.firstScanComps = n;
  return null;
}

function dhtProblem(r: Reader): string | null {
  let length = r.u16() - 2;
  while (length > 16) {
    const index = r.byte();
    let count = 0;
    for (let k = 0; k < 16; k++) count += r.byte();
    length -= 17;
    if (count > 256 || count > length) return 'Bogus Huffman table definition';
    r.take(count);
    length -= count;
    if ((index & 0x0f) >= 4 || (index & 0xe0) !== 0) return `Bogus DHT index ${index & 0x10 ? index - 0x10 : index}`;
  }
  return length !== 0 ? 'Bogus marker length' : null;
}

function dqtProblem(r: Reader): string | null {
  let length = r.u16() - 2;
  while (length > 0) {
    const n = r.byte();
    const prec = n >> 4;
    if ((n & 0x0f) >= 4) return `Bogus DQT index ${n & 0x0f}`;
    for (let k = 0; k < 64; k++)
      if (prec) r.u16();
      else r.byte();
    length -= prec ? 129 : 65;
  }
  return length !== 0 ? 'Bogus marker length' : null;
}

function dacProblem(r: Reader): string | null {
  let length = r.u16() - 2;
  while (length > 0) {
    const index = r.byte();
    const val = r.byte();
    length -= 2;
    if (index >= 32) return `Bogus DAC index ${index}`;
    if (index < 16 && (val & 0x0f) > val >> 4) return `Bogus DAC value 0x${val.toString(16)}`;
  }
  return length !== 0 ? 'Bogus marker length' : null;
}

/**
 * Pillow's check of the PNG chunks before the first IDAT: a 4-letter word name and a correct CRC
 * ("broken PNG file (bad header checksum in b'tEXt')"). Null when they pass or the file ends first
 * (truncation is sharp's to report).
 */
export function pngHeaderChunkProblem(b: Uint8Array): string | null {
  for (let i = 8; i + 8 <= b.length;) {
    const length = u32(b, i);
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    if (!/^\w{4}$/.test(type)) return `broken PNG file (chunk ${JSON.stringify(type)})`;
    if (type === 'IDAT') return null;
    const end = i + 8 + length;
    if (end + 4 > b.length) return null;
    if (crc32(b.subarray(i + 4, end)) !== u32(b, end)) return `broken PNG file (bad checksum in the ${type} chunk)`;
    i = end + 4;
  }
  return null;
}

/** True when a PNG's chunks stop before IEND in the middle of a chunk, or before any image data. */
function pngTruncated(b: Uint8Array): boolean {
  let sawIdat = false;
  for (let i = 8; ;) {
    if (i + 8 > b.length) return !sawIdat;
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    if (type === 'IEND') return false;
    const end = i + 8 + u32(b, i);
    if (end > b.length) return true;
    sawIdat ||= type === 'IDAT';
    i = end + 4;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with the PNG signature. */
export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

/**
 * Why a file that libvips failed to decode is bad, worked out from its bytes alone. libvips keeps
 * ONE error buffer for the whole process, so when several images fail at once (decode threads,
 * libuv's pool) its message may belong to another file, or be "Unknown error"; this one depends
 * only on the file. Null when the bytes are not JPEG or PNG.
 */
export function diagnoseDamage(b: Uint8Array): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const walk = walkJpeg(b);
    if (walk.end === 'error') return walk.afterData ? `broken data stream (${walk.problem}, after the image data)` : walk.problem;
    if (walk.end === 'eof') return `file is truncated (premature end of JPEG image${walk.inHeader ? ', in the header' : ''})`;
    return 'corrupt JPEG image data';
  }
  if (isPng(b)) {
    const header = pngHeaderChunkProblem(b);
    if (header) return header;
    return pngTruncated(b) ? 'file is truncated (end of stream)' : 'corrupt PNG image data (compressed data or row filters)';
  }
  return null;
}

const PNG_CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

/**
 * The PNG without the critical chunks PNG does not define: Pillow skips unknown chunks whatever
 * their case, libspng refuses the file. The same bytes when there are none.
 */
export function withoutUnknownCriticalPngChunks(b: Uint8Array): Uint8Array {
  const keep: Uint8Array[] = [b.subarray(0, 8)];
  let dropped = false;
  let i = 8;
  for (; i + 8 <= b.length;) {
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    const end = Math.min(b.length, i + 12 + u32(b, i));
    if (/^[A-Z]/.test(type) && !PNG_CRITICAL.has(type)) dropped = true;
    else keep.push(b.subarray(i, end));
    if (type === 'IEND') break;
    i = end;
  }
  if (!dropped) return b;
  keep.push(b.subarray(i));
  return Buffer.concat(keep);
}
