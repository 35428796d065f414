/**
 * Appends rows to a 2-D float32 `.npy` file as they are produced, so a 50 000-image feature pass
 * never holds every feature in memory. The header is written with room to spare and patched with
 * the final row count on close; the file lives under a temporary name until then.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { badInputError } from '../errors.js';

const HEADER_BYTES = 128; // magic(6) + version(2) + len(2) + dict padded; room for any 2-D shape

function header(rows: number, cols: number): Uint8Array {
  const prefix = 10;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  dict = dict.padEnd(HEADER_BYTES - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(HEADER_BYTES);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  return out;
}

/** Streams float32 rows of width `cols` into `path` (atomically published by `close`). */
export class NpyRowWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private rowsWritten = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    readonly cols: number,
  ) {
    this.tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
    this.fd = openSync(this.tmp, 'w');
    writeSync(this.fd, header(0, cols));
  }

  get rows(): number {
    return this.rowsWritten;
  }

  /** Appends `data.length / cols` rows. */
  append(data: Float32Array): void {
    if (data.length % this.cols !== 0) throw badInputError(`NpyRowWriter: ${data.length} values are not whole rows of ${this.cols}`);
    writeSync(this.fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.rowsWritten += data.length / this.cols;
  }

  /** Patches the header with the row count and renames the file into place. */
  close(): void {
    if (this.closed) return;
    writeSync(this.fd, header(this.rowsWritten, this.cols), 0, HEADER_BYTES, 0);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.tmp, this.path);
  }

  /** Drops the partial file. */
  abort(): void {
    if (!this.closed) {
      closeSync(this.fd);
      this.closed = true;
    }
    rmSync(this.tmp, { force: true });
  }
}
