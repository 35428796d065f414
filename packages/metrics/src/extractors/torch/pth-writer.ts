/**
 * Writes a float32 state dict (int64 counters allowed) in torch's LEGACY serialisation format (what
 * `torch.save(sd, f, _use_new_zipfile_serialization=False)` produces and every torch version
 * loads): the same pickles and raw storage layout as the file pytorch-fid ships. Tests use it to
 * turn a seeded synthetic state dict into a real .pth without Python; the pipeline's tests can
 * use it for a synthetic Inception. One storage per tensor, C-contiguous, no memo.
 */

import type { TorchDtype } from './dtypes.js';
import { badInputError, unsupportedError } from '../../errors.js';

/** Pickle protocol-2 opcodes we emit. */
const OP = {
  PROTO: 0x80,
  STOP: 0x2e,
  MARK: 0x28,
  EMPTY_TUPLE: 0x29,
  EMPTY_DICT: 0x7d,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  LONG1: 0x8a,
  BINUNICODE: 0x58,
  TUPLE: 0x74,
  GLOBAL: 0x63,
  REDUCE: 0x52,
  BINPERSID: 0x51,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  LIST: 0x6c,
} as const;

class PickleWriter {
  private readonly parts: number[] = [];
  private readonly enc = new TextEncoder();
  op(code: number): this {
    this.parts.push(code);
    return this;
  }
  int(v: number | bigint): this {
    // CPython's choice of opcode (so our headers are byte-identical to torch's): BININT1, BININT2, BININT, LONG1.
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 256) {
      this.parts.push(OP.BININT1, v);
      return this;
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 65536) {
      this.parts.push(OP.BININT2, v & 0xff, v >> 8);
      return this;
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
      this.parts.push(OP.BININT, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
      return this;
    }
    // LONG1: minimal two's-complement little-endian bytes.
    let x = BigInt(v);
    const bytes: number[] = [];
    for (;;) {
      bytes.push(Number(x & 0xffn));
      x >>= 8n;
      const signBit = (bytes[bytes.length - 1]! & 0x80) !== 0;
      if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
    }
    this.parts.push(OP.LONG1, bytes.length, ...bytes);
    return this;
  }
  str(s: string): this {
    const b = this.enc.encode(s);
    const n = b.length;
    this.parts.push(OP.BINUNICODE, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff, ...b);
    return this;
  }
  global(module: string, name: string): this {
    this.parts.push(OP.GLOBAL, ...this.enc.encode(`${module}\n${name}\n`));
    return this;
  }
  tupleOfInts(values: readonly number[]): this {
    this.op(OP.MARK);
    for (const v of values) this.int(v);
    return this.op(OP.TUPLE);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A tensor to write: C-ordered values and shape; `dtype` int64 writes a LongStorage (counters). */
export interface WritableTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** Only 'float32' (default) and 'int64' can be written. */
  readonly dtype?: TorchDtype;
}

function storageBytes(name: string, t: WritableTensor): { type: string; bytes: Uint8Array } {
  const dtype = t.dtype ?? 'float32';
  if (dtype === 'float32') return { type: 'FloatStorage', bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) };
  if (dtype === 'int64') {
    const longs = BigInt64Array.from(t.data, (v) => BigInt(Math.trunc(v)));
    return { type: 'LongStorage', bytes: new Uint8Array(longs.buffer) };
  }
  throw unsupportedError(`encodeLegacyPth: "${name}" has dtype ${dtype}; only float32 and int64 are written`);
}

function header(): Uint8Array[] {
  const magic = new PickleWriter().op(OP.PROTO).op(2).int(0x1950a86a20f9469cfc6cn).op(OP.STOP).bytes();
  const protocol = new PickleWriter().op(OP.PROTO).op(2).int(1001).op(OP.STOP).bytes();
  const sys = new PickleWriter()
    .op(OP.PROTO)
    .op(2)
    .op(OP.EMPTY_DICT)
    .op(OP.MARK)
    .str('protocol_version')
    .int(1001)
    .str('little_endian')
    .op(OP.NEWTRUE)
    .str('type_sizes')
    .op(OP.EMPTY_DICT)
    .op(OP.MARK)
    .str('short')
    .int(2)
    .str('int')
    .int(4)
    .str('long')
    .int(4)
    .op(OP.SETITEMS)
    .op(OP.SETITEMS)
    .op(OP.STOP)
    .bytes();
  return [magic, protocol, sys];
}

/**
 * Encodes `tensors` (name → tensor, in order) as legacy `.pth` bytes: an OrderedDict of
 * `torch._utils._rebuild_tensor_v2(storage, 0, shape, C-strides, False, OrderedDict())`.
 */
export function encodeLegacyPth(tensors: ReadonlyMap<string, WritableTensor>): Uint8Array {
  const p = new PickleWriter().op(OP.PROTO).op(2).global('collections', 'OrderedDict').op(OP.EMPTY_TUPLE).op(OP.REDUCE);
  const keys: string[] = [];
  const storages: Uint8Array[] = [];
  let i = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw badInputError(`encodeLegacyPth: "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    const key = String(i++);
    const storage = storageBytes(name, t);
    keys.push(key);
    storages.push(storage.bytes);
    const strides = t.shape.map((_, k) => t.shape.slice(k + 1).reduce((a, b) => a * b, 1));
    p.str(name).global('torch._utils', '_rebuild_tensor_v2').op(OP.MARK);
    // Persistent id: ('storage', torch.FloatStorage or LongStorage, key, 'cpu', numel, None).
    p.op(OP.MARK).str('storage').global('torch', storage.type).str(key).str('cpu').int(count).op(OP.NONE).op(OP.TUPLE).op(OP.BINPERSID);
    p.int(0)
      .tupleOfInts(t.shape)
      .tupleOfInts(strides)
      .op(OP.NEWFALSE)
      .global('collections', 'OrderedDict')
      .op(OP.EMPTY_TUPLE)
      .op(OP.REDUCE)
      .op(OP.TUPLE)
      .op(OP.REDUCE)
      .op(OP.SETITEM);
  }
  const body = p.op(OP.STOP).bytes();
  const keyList = new PickleWriter().op(OP.PROTO).op(2).op(OP.MARK);
  for (const k of keys) keyList.str(k);
  const keyBytes = keyList.op(OP.LIST).op(OP.STOP).bytes();

  const chunks = [...header(), body, keyBytes];
  for (const [k, t] of [...tensors.values()].entries()) {
    const size = new Uint8Array(8);
    new DataView(size.buffer).setBigInt64(0, BigInt(t.data.length), true);
    chunks.push(size, storages[k]!);
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
