/**
 * NumPy `.npy` reading and writing (format versions 1–3, C order).
 * Only what feature files need: float32/float64 data, plus integer and bool arrays (labels) and
 * unicode strings (class labels), of any rank including 0-d scalars, in any byte order (numpy's
 * descr without a byte-order character, e.g. 'f8', is native: little-endian). Fortran order and
 * structured arrays are rejected clearly.
 */
import { badInputError, inputError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { readInputFile } from './read-input-file.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** dtypes we read; values are the byte size. */
const DTYPES = {
  '<f4': 4,
  '<f8': 8,
  '<i1': 1,
  '|i1': 1,
  '<u1': 1,
  '|u1': 1,
  '|b1': 1,
  '<i2': 2,
  '<u2': 2,
  '<i4': 4,
  '<u4': 4,
  '<i8': 8,
  '<u8': 8,
} as const;
/** A numpy dtype string this reader decodes (little-endian `'<f4'`, `'<f8'`, integers and bool). */
export type NpyDtype = keyof typeof DTYPES;

export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A decoded `.npy` array. `data` is a freshly allocated, aligned typed array. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

/**
 * The header is a Python dict literal; numpy writes single quotes, but other writers (and numpy's
 * own `ast.literal_eval` reader) accept double-quoted keys and values, so both are read.
 */
function parseHeader(text: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const key = (k: string) => `(?:'${k}'|"${k}")\\s*:\\s*`;
  const descr = new RegExp(`${key('descr')}(?:'([^']*)'|"([^"]*)")`).exec(text);
  const fortran = new RegExp(`${key('fortran_order')}(True|False)`).exec(text)?.[1];
  const shapeText = new RegExp(`${key('shape')}\\(([^)]*)\\)`).exec(text)?.[1];
  if (descr === null || fortran === undefined || shapeText === undefined) {
    const structured = new RegExp(`${key('descr')}\\[`).test(text);
    throw inputError(file, structured ? 'structured (record) arrays are not supported; save a plain numeric array' : 'not a valid .npy file (unreadable header)');
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw inputError(file, `not a valid .npy file (bad shape "${shapeText}")`);
      return v;
    });
  return { descr: descr[1] ?? descr[2]!, fortran: fortran === 'True', shape };
}

function typedView(dtype: NpyDtype, bytes: Uint8Array, count: number): NpyData {
  // Copy into a fresh buffer so the view is aligned whatever the header length was. (Not
  // `bytes.slice`: on a Node Buffer that is a view sharing the pooled ArrayBuffer.)
  const copy = new Uint8Array(count * DTYPES[dtype]);
  copy.set(bytes.subarray(0, copy.length));
  const buf = copy.buffer;
  switch (dtype) {
    case '<f4':
      return new Float32Array(buf);
    case '<f8':
      return new Float64Array(buf);
    case '<i1':
    case '|i1':
      return new Int8Array(buf);
    case '<u1':
    case '|u1':
    case '|b1':
      return new Uint8Array(buf);
    case '<i2':
      return new Int16Array(buf);
    case '<u2':
      return new Uint16Array(buf);
    case '<i4':
      return new Int32Array(buf);
    case '<u4':
      return new Uint32Array(buf);
    case '<i8':
      return new BigInt64Array(buf);
    case '<u8':
      return new BigUint64Array(buf);
  }
}

/**
 * A descr as numpy accepts it, mapped to the canonical dtype we decode into: byte order `<`, `>`,
 * `=` (native), `|` (not applicable) or none (native); native is little-endian on every platform
 * Node runs on. Big-endian data are byte-swapped on reading. Unicode `U<k>` is returned as text.
 */
function normalizeDescr(descr: string, file: string): { dtype: NpyDtype; bigEndian: boolean } | { unicode: number; bigEndian: boolean } {
  const m = /^([<>=|]?)([fiubU])(\d+)$/.exec(descr);
  if (m) {
    const [, order, kind, sizeText] = m as unknown as [string, string, string, string];
    const size = Number(sizeText);
    const bigEndian = order === '>' && size > 1;
    if (kind === 'U' && size >= 1) return { unicode: size, bigEndian: order === '>' };
    const dtype = (size === 1 ? `|${kind}1` : `<${kind}${size}`) as NpyDtype;
    if (dtype in DTYPES && !(kind === 'b' && size !== 1)) return { dtype, bigEndian };
  }
  throw inputError(file, `unsupported dtype "${descr}"; expected float32 or float64 (or integer/bool labels)`);
}

function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k]!;
  return out;
}

/** A decoded `.npy` array of unicode strings (numpy dtype `U<k>`), e.g. class labels. */
export interface NpyStringArray {
  readonly dtype: `U${number}`;
  readonly shape: readonly number[];
  readonly data: readonly string[];
}

/** UTF-32 code units, k per element; numpy pads with NULs and strips trailing ones on reading. */
function decodeUnicode(body: Uint8Array, count: number, k: number, bigEndian: boolean, file: string): string[] {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: string[] = [];
  for (let e = 0; e < count; e++) {
    let s = '';
    for (let c = 0; c < k; c++) {
      const cp = dv.getUint32((e * k + c) * 4, !bigEndian);
      if (cp > 0x10ffff) throw inputError(file, `not a valid .npy file (code point ${cp} in element ${e})`);
      s += String.fromCodePoint(cp);
    }
    out.push(s.replace(/\0+$/, ''));
  }
  return out;
}

/** Decodes `.npy` bytes that may hold numbers or unicode strings; `file` names the source in errors. */
export function parseNpyAny(bytes: Uint8Array, file: string): NpyArray | NpyStringArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw inputError(file, 'not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw inputError(file, `unsupported .npy format version ${major}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart + headerLen) throw inputError(file, 'truncated .npy file (header cut short)');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const { descr, fortran, shape } = parseHeader(header, file);
  const kind = normalizeDescr(descr, file);
  if (fortran && shape.length > 1) throw inputError(file, 'Fortran-ordered arrays are not supported; save a C-ordered array (np.ascontiguousarray)');
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(headerStart + headerLen);
  const width = 'unicode' in kind ? 4 * kind.unicode : DTYPES[kind.dtype];
  const need = count * width;
  if (body.length < need) {
    throw inputError(file, `truncated .npy file: shape (${shape.join(', ')}) needs ${need} data bytes, found ${body.length}`);
  }
  if ('unicode' in kind) return { dtype: `U${kind.unicode}`, shape, data: decodeUnicode(body, count, kind.unicode, kind.bigEndian, file) };
  const native = kind.bigEndian ? swapBytes(body.subarray(0, need), width) : body;
  return { dtype: kind.dtype, shape, data: typedView(kind.dtype, native, count) };
}

/**
 * Decodes numeric `.npy` bytes (any byte order: big-endian data are swapped to native);
 * `file` names the source in error messages. Unicode arrays are refused here (see {@link parseNpyAny}).
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const arr = parseNpyAny(bytes, file);
  if (arr.dtype.startsWith('U')) throw inputError(file, `holds text (dtype ${arr.dtype}), expected numbers; only class labels (modes classes) may be strings`);
  return arr as NpyArray;
}

/** Reads a `.npy` file; errors name the file. */
export function readNpy(path: string): NpyArray {
  const bytes = readInputFile(path, 'a .npy file');
  return parseNpy(bytes, path);
}

/** Encodes a float32/float64, int64 or uint8 (bytes, e.g. UTF-8 text) array as `.npy` version 1.0 bytes. */
export function encodeNpy(data: Float32Array | Float64Array | BigInt64Array | Uint8Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw badInputError(`encodeNpy: shape (${shape.join(', ')}) does not hold ${data.length} values`);
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : data instanceof BigInt64Array ? '<i8' : '|u1';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces so that magic + length + header + '\n' is a multiple of 64 (as numpy does).
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Writes a `.npy` file atomically (temp file, then rename). */
export function writeNpy(path: string, data: Float32Array | Float64Array | BigInt64Array, shape: readonly number[]): void {
  writeFileAtomic(path, encodeNpy(data, shape));
}
