/**
 * Unzipping `.npz` archives: every compression Python's `zipfile` writes and `np.load` reads.
 * Stored and deflated members go through fflate; bzip2 (method 12) and LZMA (method 14) members,
 * which fflate does not know, are located through the zip's central directory and decompressed
 * with `seek-bzip` and `lzma` (both pure JavaScript: no native build).
 */
import { unzipSync } from 'fflate';
import { createRequire } from 'node:module';
import type LzmaModule from 'lzma';
import type BunzipModule from 'seek-bzip';
import { inputError } from '../errors.js';
import { crc32 } from './crc32.js';

const BZIP2 = 12;
const LZMA_METHOD = 14;

// The two decompressors take tens of milliseconds to load and only rare .npz files (bzip2 or LZMA
// members) need them, so they are required on first use instead of at import of the package.
const require = createRequire(import.meta.url);
const LZMA = { decompress: (input: Uint8Array): ReturnType<typeof LzmaModule.decompress> => (require('lzma') as typeof LzmaModule).decompress(input) };
const Bunzip = { decode: (input: Buffer): Buffer => (require('seek-bzip') as typeof BunzipModule).decode(input) };

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  /** CRC-32 of the uncompressed member, as the archive records it. */
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Member names as fflate decodes them: UTF-8 when the entry's flag bit 11 says so, else Latin-1. */
const decodeName = (raw: Uint8Array, flags: number) => (flags & 0x800 ? new TextDecoder().decode(raw) : String.fromCharCode(...raw));

/**
 * The central directory's entries (the end record is searched for in the last 64 KiB + 22 bytes;
 * a zip64 end record, which numpy writes past 65 535 members or 4 GiB, is followed).
 */
function centralDirectory(bytes: Uint8Array, file: string): CentralEntry[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw inputError(file, 'not a valid .npz file (cannot unzip: no zip end record)');
  let count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  if ((count === 0xffff || p === 0xffffffff) && eocd >= 20 && dv.getUint32(eocd - 20, true) === 0x07064b50) {
    const z = Number(dv.getBigUint64(eocd - 12, true));
    if (z + 56 > bytes.length || dv.getUint32(z, true) !== 0x06064b50) throw inputError(file, 'not a valid .npz file (cannot unzip: damaged zip64 end record)');
    count = Number(dv.getBigUint64(z + 32, true));
    p = Number(dv.getBigUint64(z + 48, true));
  }
  const out: CentralEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== 0x02014b50) throw inputError(file, 'not a valid .npz file (cannot unzip: damaged central directory)');
    const nameLen = dv.getUint16(p + 28, true);
    const flags = dv.getUint16(p + 8, true);
    out.push({
      flags,
      method: dv.getUint16(p + 10, true),
      crc: dv.getUint32(p + 16, true),
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      localOffset: dv.getUint32(p + 42, true),
      name: decodeName(bytes.subarray(p + 46, p + 46 + nameLen), flags),
    });
    p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
  return out;
}

/** The raw (still compressed) bytes of a member, after its local header. */
function rawMember(bytes: Uint8Array, e: CentralEntry, file: string): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== 0x04034b50) throw inputError(file, `not a valid .npz file (member "${e.name}" has no local header)`);
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) throw inputError(file, `truncated .npz file (member "${e.name}" is cut short)`);
  return bytes.subarray(start, start + e.compressedSize);
}

/**
 * A zip LZMA member is a 4-byte header (LZMA SDK version, 2 bytes; properties size, 2 bytes), the
 * 5-byte LZMA properties, then the raw stream. The `lzma` package reads the ".lzma" (LZMA-alone)
 * layout: properties, the 8-byte uncompressed size, then the stream.
 */
function inflateLzma(raw: Uint8Array, size: number): Uint8Array {
  const propsSize = raw[2]! | (raw[3]! << 8);
  if (raw.length < 4 + propsSize || propsSize !== 5) throw new Error(`unexpected LZMA properties size ${propsSize}`);
  const alone = new Uint8Array(13 + raw.length - 9);
  alone.set(raw.subarray(4, 9), 0);
  new DataView(alone.buffer).setBigUint64(5, BigInt(size), true);
  alone.set(raw.subarray(9), 13);
  const out = LZMA.decompress(alone);
  // LZMA-JS returns a string when the bytes happen to be valid UTF-8; a .npy never is (it starts with \x93).
  if (typeof out === 'string') throw new Error('decoded member is text, not a .npy array');
  return Uint8Array.from(out, (v) => v & 0xff);
}

/**
 * Every member of a zip archive by name, each checked against the CRC-32 the archive records (a
 * flipped bit inside a member would otherwise load as a wrong number); errors name `file`.
 */
export function unzipNpz(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  let directory: CentralEntry[] | undefined;
  const central = () => (directory ??= centralDirectory(bytes, file));
  const entries = unzipMembers(bytes, file, central);
  // By name, the last entry winning, as in fflate's result.
  const byName = new Map(central().map((e) => [e.name, e]));
  for (const [name, data] of Object.entries(entries)) {
    const e = byName.get(name);
    if (!e) throw inputError(file, `not a valid .npz file (member "${name}" is not in the zip's central directory)`);
    const crc = crc32(data);
    if (crc !== e.crc) throw inputError(file, `corrupt .npz file: member "${name}" fails its CRC-32 check (recorded ${hex(e.crc)}, computed ${hex(crc)})`);
  }
  return entries;
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

function unzipMembers(bytes: Uint8Array, file: string, directory: () => readonly CentralEntry[]): Record<string, Uint8Array> {
  const other: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (f.compression === BZIP2 || f.compression === LZMA_METHOD) {
          other.push(f.name);
          return false;
        }
        return true;
      },
    });
  } catch (err) {
    const why = (err as Error).message;
    throw inputError(file, `not a valid .npz file (cannot unzip${/compression/i.test(why) ? `: ${why}` : ''})`);
  }
  if (other.length === 0) return entries;
  for (const e of directory()) {
    if (!other.includes(e.name)) continue;
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff)
      throw inputError(file, `member "${e.name}" is a zip64 ${e.method === BZIP2 ? 'bzip2' : 'LZMA'} member (over 4 GiB): not supported`);
    const raw = rawMember(bytes, e, file);
    try {
      entries[e.name] = e.method === BZIP2 ? new Uint8Array(Bunzip.decode(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength))) : inflateLzma(raw, e.size);
    } catch (err) {
      throw inputError(file, `not a valid .npz file (member "${e.name}": corrupt ${e.method === BZIP2 ? 'bzip2' : 'LZMA'} data: ${(err as Error).message ?? String(err)})`);
    }
    if (entries[e.name]!.length !== e.size)
      throw inputError(file, `not a valid .npz file (member "${e.name}" decompressed to ${entries[e.name]!.length} bytes, expected ${e.size})`);
  }
  return entries;
}
