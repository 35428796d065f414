/**
 * The IDX format of the MNIST and Fashion-MNIST files (LeCun's): a 4-byte magic — two zero bytes,
 * a type code (0x08 = unsigned byte), the number of dimensions — then each dimension as a
 * big-endian uint32, then the data. Images files are n × rows × cols (16-byte header), label files
 * n (8-byte header). The Debian files are gzip-compressed.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { inputError } from '@gen-eval/metrics/errors';

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Parses IDX bytes (unsigned-byte data only); `file` names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw inputError(file, 'not an IDX file (bad magic number)');
  if (bytes[2] !== 0x08) throw inputError(file, `IDX data type 0x${bytes[2]!.toString(16)} is not unsigned bytes (0x08)`);
  const ndim = bytes[3]!;
  const header = 4 + 4 * ndim;
  if (ndim < 1 || bytes.length < header) throw inputError(file, 'truncated IDX header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== count) throw inputError(file, `IDX data has ${bytes.length - header} bytes, the header (${shape.join('×')}) says ${count}`);
  return { shape, data: bytes.subarray(header) };
}

/** Reads and parses a gzip-compressed IDX file (`.gz`); a plain IDX file is read as is. */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(path, code === 'ENOENT' ? 'no such file' : `cannot read file (${code ?? (e as Error).message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw inputError(path, `corrupt gzip data (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}
