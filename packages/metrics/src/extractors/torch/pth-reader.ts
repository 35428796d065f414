/**
 * Reads PyTorch state dicts (`torch.save(model.state_dict())`) without Python, in both formats:
 *  - legacy (torch < 1.6, e.g. pytorch-fid's pt_inception-2015-12-05-6726825d.pth): a pickled
 *    magic number, protocol version and sys-info dict, then the pickled state dict whose storages
 *    are persistent ids, then the pickled list of storage keys, then each storage's raw data
 *    (an int64 element count followed by the little-endian elements);
 *  - zip (torch ≥ 1.6): `<prefix>/data.pkl` plus one `<prefix>/data/<key>` entry per storage.
 * The pickles go through the restricted unpickler in ./pickle.ts (never executes code).
 * Tensors honour storage offsets and strides and come back as C-ordered float32.
 */
import { unzipSync } from 'fflate';
import { inputError } from '../../errors.js';
import { ELEMENT_SIZE, STORAGE_DTYPES, toFloat32, type TorchDtype } from './dtypes.js';
import { PyDict, PyGlobal, PyObject, PyTuple, toInt, unpickle, type PyValue, type TensorRef } from './pickle.js';
import { readInputFile } from '../../io/read-input-file.js';

/** One tensor of a state dict: C-ordered float32 values whatever the stored dtype. */
export interface TorchTensor {
  readonly shape: readonly number[];
  /** The element type it was stored with (int64 counters and float16 weights become float32). */
  readonly dtype: TorchDtype;
  readonly data: Float32Array;
}

/** Parameter name → tensor, in the file's order. */
export type StateDict = Map<string, TorchTensor>;

/**
 * Serialisation of a `.pth` file: `'zip'` (torch ≥ 1.6), `'legacy'` pickle, `'tar'` (torch < 0.4,
 * rejected) or `'unknown'`.
 */
export type TorchFormat = 'zip' | 'legacy' | 'tar' | 'unknown';

/** The legacy format's first pickle: the int 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

interface Storage {
  readonly dtype: TorchDtype;
  readonly numel: number;
  bytes?: Uint8Array;
}
/** A persistent id resolved to a storage, or to a view of one (legacy files from torch < 0.4). */
interface StorageRef {
  readonly root: Storage;
  readonly key: string;
  /** Element offset and length of a view into `root`. */
  readonly viewOffset: number;
  readonly numel: number;
}

/** Tells the serialisation format from the first bytes. */
export function detectTorchFormat(bytes: Uint8Array): TorchFormat {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  // Pickle protocol 2, LONG1 of 10 bytes: the legacy magic number.
  const legacy = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
  if (bytes.length >= legacy.length && legacy.every((b, i) => bytes[i] === b)) return 'legacy';
  if (bytes.length >= 262 && new TextDecoder('latin1').decode(bytes.subarray(257, 262)) === 'ustar') return 'tar';
  return 'unknown';
}

function text(v: PyValue): string | null {
  return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : null;
}

/** Builds the persistent-id resolver shared by both formats. */
function storageResolver(file: string, legacy: boolean) {
  const roots = new Map<string, Storage>();
  const resolve = (pid: PyValue): StorageRef => {
    const items = pid instanceof PyTuple ? pid.items : [];
    if (text(items[0] ?? null) !== 'storage' || items.length < 5) {
      throw inputError(file, 'unsupported persistent id in the pickle (expected a torch storage)');
    }
    const type = items[1];
    const dtype = type instanceof PyGlobal ? STORAGE_DTYPES[type.name] : undefined;
    if (dtype === undefined) throw inputError(file, 'unsupported storage type in the pickle');
    const key = text(items[2]!) ?? String(items[2]);
    const numel = toInt(items[4], 'storage size', file);
    let root = roots.get(key);
    if (root === undefined) {
      root = { dtype, numel };
      roots.set(key, root);
    }
    const view = legacy ? items[5] : null;
    if (view instanceof PyTuple) {
      // (view_key, offset, view_size): a slice of the root storage, in elements.
      const offset = toInt(view.items[1], 'view offset', file);
      const size = toInt(view.items[2], 'view size', file);
      if (offset < 0 || size < 0 || offset + size > root.numel) throw inputError(file, `storage view ${offset}+${size} lies outside storage "${key}"`);
      return { root, key, viewOffset: offset, numel: size };
    }
    return { root, key, viewOffset: 0, numel: root.numel };
  };
  return { roots, resolve };
}

/** Copies a tensor out of its storage, following offset and strides, into C order. */
function materialise(name: string, t: TensorRef, file: string): TorchTensor {
  const ref = t.storage as StorageRef;
  const { root } = ref;
  if (root.bytes === undefined) throw inputError(file, `tensor "${name}": its storage "${ref.key}" has no data in the file`);
  const { size, stride } = t;
  if (size.length !== stride.length || size.some((s) => s < 0) || stride.some((s) => s < 0) || t.offset < 0) {
    throw inputError(file, `tensor "${name}": malformed size/stride`);
  }
  const count = size.reduce((a, b) => a * b, 1);
  if (count === 0) return { shape: size, dtype: root.dtype, data: new Float32Array(0) };
  const last = t.offset + size.reduce((acc, s, k) => acc + (s - 1) * stride[k]!, 0);
  if (last >= ref.numel) {
    throw inputError(file, `tensor "${name}" (shape [${size.join(', ')}], offset ${t.offset}) reaches past the end of its storage of ${ref.numel} elements`);
  }
  const elem = ELEMENT_SIZE[root.dtype];
  const base = (ref.viewOffset + t.offset) * elem;
  // C-contiguous: one conversion of the range.
  let contiguous = true;
  for (let k = size.length - 1, expect = 1; k >= 0; k--) {
    if (size[k]! !== 1 && stride[k]! !== expect) contiguous = false;
    expect *= size[k]!;
  }
  if (contiguous) return { shape: size, dtype: root.dtype, data: toFloat32(root.bytes, root.dtype, base, count) };
  const span = toFloat32(root.bytes, root.dtype, base, last - t.offset + 1);
  const out = new Float32Array(count);
  const idx = new Array<number>(size.length).fill(0);
  let src = 0;
  for (let i = 0; i < count; i++) {
    out[i] = span[src]!;
    // Odometer increment over the dims, last fastest.
    for (let k = size.length - 1; k >= 0; k--) {
      idx[k]!++;
      src += stride[k]!;
      if (idx[k]! < size[k]!) break;
      src -= stride[k]! * size[k]!;
      idx[k] = 0;
    }
  }
  return { shape: size, dtype: root.dtype, data: out };
}

function toStateDict(value: PyValue, file: string): StateDict {
  if (!(value instanceof PyDict)) throw inputError(file, 'not a state dict (the pickled object is not a dict of tensors)');
  const out: StateDict = new Map();
  for (const [key, v] of value.entries) {
    if (typeof key !== 'string') throw inputError(file, `not a state dict (key ${String(key)} is not a string)`);
    if (typeof v !== 'object' || v === null || (v as { kind?: unknown }).kind !== 'tensor') {
      const what = v instanceof PyDict ? 'a nested dict' : typeof v;
      throw inputError(file, `not a flat state dict: "${key}" is ${what}, not a tensor`);
    }
    out.set(key, materialise(key, v as TensorRef, file));
  }
  return out;
}

function parseLegacy(bytes: Uint8Array, file: string): StateDict {
  let pos = 0;
  const next = (resolve?: (pid: PyValue) => unknown): PyValue => {
    const r = unpickle(bytes, file, resolve, pos);
    pos = r.end;
    return r.value;
  };
  if (next() !== LEGACY_MAGIC) throw inputError(file, 'invalid magic number in a legacy torch file');
  const protocol = next();
  if (protocol !== LEGACY_PROTOCOL) throw inputError(file, `unsupported legacy torch protocol version ${String(protocol)}`);
  const sysInfo = next();
  if (sysInfo instanceof PyDict && sysInfo.entries.get('little_endian') === false) {
    throw inputError(file, 'saved on a big-endian machine; big-endian torch files are not supported');
  }
  const { roots, resolve } = storageResolver(file, true);
  const obj = next(resolve);
  const keys = next();
  if (!Array.isArray(keys)) throw inputError(file, 'malformed legacy torch file (storage key list missing)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const k of keys) {
    const key = text(k) ?? String(k);
    const root = roots.get(key);
    if (root === undefined) throw inputError(file, `malformed legacy torch file (data for unknown storage "${key}")`);
    if (pos + 8 > bytes.length) throw inputError(file, `truncated file: storage "${key}" is missing`);
    const numel = Number(dv.getBigInt64(pos, true));
    const nbytes = numel * ELEMENT_SIZE[root.dtype];
    pos += 8;
    if (numel < root.numel) throw inputError(file, `storage "${key}" holds ${numel} elements, the pickle expects ${root.numel}`);
    if (pos + nbytes > bytes.length) throw inputError(file, `truncated file: storage "${key}" needs ${nbytes} bytes, ${bytes.length - pos} left`);
    root.bytes = bytes.subarray(pos, pos + nbytes);
    pos += nbytes;
  }
  return toStateDict(obj, file);
}

function parseZip(bytes: Uint8Array, file: string, torchScript = false): StateDict {
  let entries: Record<string, Uint8Array>;
  try {
    // Only the pickle, the storages and the byte-order record are decompressed.
    entries = unzipSync(bytes, { filter: (f) => /^[^/]+\/(data\.pkl|data\/[^/]+|byteorder)$/.test(f.name) });
  } catch (err) {
    throw inputError(file, `corrupt zip archive (${(err as Error).message})`);
  }
  const pkl = Object.keys(entries).find((n) => n.endsWith('/data.pkl'));
  if (pkl === undefined) throw inputError(file, 'a zip archive but not a torch checkpoint (no <name>/data.pkl entry)');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries[`${prefix}byteorder`];
  if (order !== undefined && new TextDecoder().decode(order).trim() === 'big') {
    throw inputError(file, 'saved with big-endian byte order; not supported');
  }
  const { roots, resolve } = storageResolver(file, false);
  const { value } = unpickle(entries[pkl]!, file, resolve, 0, { torchScriptObjects: torchScript });
  for (const [key, root] of roots) {
    const data = entries[`${prefix}data/${key}`];
    if (data === undefined) throw inputError(file, `storage "${key}" is missing from the archive (${prefix}data/${key})`);
    const nbytes = root.numel * ELEMENT_SIZE[root.dtype];
    if (data.length < nbytes) throw inputError(file, `storage "${key}" holds ${data.length} bytes, the pickle expects ${nbytes}`);
    root.bytes = data;
  }
  return torchScript && value instanceof PyObject ? flattenModule(value, file) : toStateDict(value, file);
}

function isTensor(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

/**
 * The tensors held by a TorchScript module tree, named by their dotted attribute path as
 * `module.state_dict()` names parameters and buffers (plain tensor attributes come along too).
 */
function flattenModule(root: PyObject, file: string): StateDict {
  const out: StateDict = new Map();
  const walk = (obj: PyObject, prefix: string): void => {
    if (!(obj.state instanceof PyDict)) return;
    for (const [key, v] of obj.state.entries) {
      if (typeof key !== 'string') continue;
      if (isTensor(v)) out.set(prefix + key, materialise(prefix + key, v, file));
      else if (v instanceof PyObject) walk(v, `${prefix}${key}.`);
    }
  };
  walk(root, '');
  return out;
}

/**
 * Parses a `torch.jit.save` archive (a TorchScript model, e.g. OpenAI's CLIP `.pt` files) or a
 * zip state dict: the module objects' code is never run, their pickled attributes are read as data.
 */
export function parseTorchScriptArchive(bytes: Uint8Array, file: string): StateDict {
  if (detectTorchFormat(bytes) !== 'zip') return parseTorchStateDict(bytes, file);
  return parseZip(bytes, file, true);
}

/**
 * Parses a torch state-dict file from bytes; `file` names it in errors. Any other content
 * (unknown format, a pickle naming a forbidden global, truncation) throws an exit-2 `inputError`.
 */
export function parseTorchStateDict(bytes: Uint8Array, file: string): StateDict {
  const format = detectTorchFormat(bytes);
  switch (format) {
    case 'zip':
      return parseZip(bytes, file);
    case 'legacy':
      return parseLegacy(bytes, file);
    case 'tar':
      throw inputError(file, 'a tar-format torch file (torch < 0.4); re-save it with a newer torch');
    case 'unknown':
      throw inputError(file, 'not a PyTorch weight file (neither the zip format nor the legacy pickle format)');
  }
}

/** Reads and parses a torch state-dict file. */
export function readTorchStateDict(path: string): StateDict {
  const bytes = readInputFile(path, 'a .pth file');
  return parseTorchStateDict(bytes, path);
}
