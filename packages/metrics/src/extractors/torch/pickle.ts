/**
 * A restricted Python unpickler: just the opcodes and globals a PyTorch state dict uses
 * (protocols 0–5 framing, dicts/OrderedDicts, tuples, lists, numbers, strings, persistent ids,
 * `torch._utils._rebuild_tensor_v2` and the `torch.*Storage` types). It never executes anything:
 * globals are looked up in a fixed allow-list and every other name is refused with a clear error,
 * which is the whole point of not using a general unpickler on files from the internet.
 */
import { inputError } from '../../errors.js';

/** A `module.name` the pickle referred to (an allow-listed class or function). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * An instance of a TorchScript class (`__torch__.*`, as in the `data.pkl` of a `torch.jit.save`
 * archive): created by NEWOBJ without running anything; BUILD stores its attribute dict in `state`.
 */
export class PyObject {
  state: PyValue = null;
  constructor(readonly cls: PyGlobal) {}
}

/** A Python tuple (kept distinct from lists, which are plain arrays). */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A dict or OrderedDict; insertion order is kept, as Python does. */
export class PyDict {
  readonly entries = new Map<PyKey, PyValue>();
  constructor(readonly ordered: boolean) {}
}

/** The result of `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`. */
export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: unknown;
  readonly offset: number;
  readonly size: readonly number[];
  readonly stride: readonly number[];
}

export type PyKey = string | number | bigint | boolean | null;
export type PyValue = PyKey | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | PyObject | TensorRef | { readonly kind: 'persistent'; readonly value: unknown };

/** The dotted names a state dict may refer to; anything else is refused. */
export const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_parameter',
  ...['Float', 'Double', 'Half', 'BFloat16', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Bool', 'Untyped'].map((t) => `torch.${t}Storage`),
]);

/**
 * Called for each persistent id (torch's `('storage', StorageType, key, location, numel, ...)`
 * tuples); returns the object that stands for it in the result.
 */
export type PersistentLoad = (pid: PyValue) => unknown;

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

function isTensorRef(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

/** Converts a pickled integer to a JS number, refusing values a size/offset cannot have. */
export function toInt(v: unknown, what: string, file: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw inputError(file, `malformed pickle: ${what} is not an integer`);
}

function intList(v: unknown, what: string, file: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null) throw inputError(file, `malformed pickle: ${what} is not a tuple`);
  return items.map((x) => toInt(x, what, file));
}

/** Applies an allow-listed callable (REDUCE). */
function call(fn: PyValue, args: PyValue, file: string): PyValue {
  if (!(fn instanceof PyGlobal)) throw inputError(file, 'malformed pickle: REDUCE on a value that is not a global');
  const a = args instanceof PyTuple ? args.items : null;
  if (a === null) throw inputError(file, `malformed pickle: arguments of ${fn.qualified} are not a tuple`);
  switch (fn.qualified) {
    case 'collections.OrderedDict': {
      const d = new PyDict(true);
      // OrderedDict(iterable of pairs) appears in protocol-0/1 pickles.
      const init = a[0];
      if (Array.isArray(init)) {
        for (const pair of init) {
          if (!(pair instanceof PyTuple) && !Array.isArray(pair)) throw inputError(file, 'malformed pickle: OrderedDict item is not a pair');
          const [k, v] = pair instanceof PyTuple ? pair.items : pair;
          d.entries.set(k as PyKey, v as PyValue);
        }
      }
      return d;
    }
    case 'torch._utils._rebuild_tensor':
    case 'torch._utils._rebuild_tensor_v2': {
      if (a.length < 4) throw inputError(file, `malformed pickle: ${fn.qualified} takes at least 4 arguments`);
      const storage = a[0] as { kind?: string; value?: unknown } | undefined;
      if (storage?.kind !== 'persistent') throw inputError(file, 'malformed pickle: tensor storage is not a persistent id');
      return {
        kind: 'tensor',
        storage: storage.value,
        offset: toInt(a[1], 'storage offset', file),
        size: intList(a[2], 'tensor size', file),
        stride: intList(a[3], 'tensor stride', file),
      };
    }
    case 'torch._utils._rebuild_parameter': {
      if (!isTensorRef(a[0])) throw inputError(file, 'malformed pickle: parameter data is not a tensor');
      return a[0];
    }
    default:
      throw inputError(file, `refusing to call ${fn.qualified} from the pickle (it is not a constructor a state dict needs)`);
  }
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /**
   * Accept TorchScript module classes (`__torch__.*`) as plain attribute holders ({@link PyObject}):
   * the `data.pkl` of a `torch.jit.save` archive. Their code is never looked at, let alone run.
   */
  readonly torchScriptObjects?: boolean;
}

/**
 * Unpickles `bytes[start..]` up to the STOP opcode. Returns the value and the offset after STOP
 * (the legacy torch format concatenates several pickles and raw data).
 */
export function unpickle(
  bytes: Uint8Array,
  file: string,
  persistentLoad: PersistentLoad = () => {
    throw inputError(file, 'malformed pickle: unexpected persistent id');
  },
  start = 0,
  options: UnpickleOptions = {},
): { value: PyValue; end: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  let pos = start;

  const truncated = () => inputError(file, `truncated or corrupt pickle (ran past the end at byte ${pos})`);
  const need = (n: number): void => {
    if (pos + n > bytes.length) throw truncated();
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++]!;
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u32 = (): number => {
    need(4);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw truncated();
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const unsupported = (op: number, at: number) =>
    inputError(file, `unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} (not something a state dict contains)`);
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw inputError(file, `malformed pickle: stack underflow at byte ${pos}`);
    return v;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw inputError(file, `malformed pickle: stack underflow at byte ${pos}`);
    return v;
  };
  const popMark = (): PyValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw inputError(file, `malformed pickle: missing MARK at byte ${pos}`);
    const items = stack.splice(i) as PyValue[];
    items.shift();
    return items;
  };
  const global = (module: string, name: string): PyGlobal => {
    const q = `${module}.${name}`;
    const scripted = options.torchScriptObjects === true && (module === '__torch__' || module.startsWith('__torch__.'));
    if (!scripted && !ALLOWED_GLOBALS.has(q)) {
      throw inputError(file, `refusing to load "${q}" from the pickle: only the types a state dict needs are allowed (never executes pickled code)`);
    }
    return new PyGlobal(module, name);
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!(target instanceof PyDict)) throw inputError(file, 'malformed pickle: SETITEM(S) on a value that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) target.entries.set(items[i] as PyKey, items[i + 1]!);
  };
  const longBytes = (b: Uint8Array): bigint | number => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b.length > 0 && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        take(8);
        break; // FRAME: a size hint only
      case 0x2e:
        return { value: pop(), end: pos }; // STOP
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x29:
        stack.push(new PyTuple([]));
        break; // EMPTY_TUPLE
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x7d:
        stack.push(new PyDict(false));
        break; // EMPTY_DICT
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4a:
        need(4);
        stack.push(dv.getInt32(pos, true));
        pos += 4;
        break; // BININT
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        need(2);
        stack.push(dv.getUint16(pos, true));
        pos += 2;
        break; // BININT2
      case 0x8a:
        stack.push(longBytes(take(u8())));
        break; // LONG1
      case 0x8b:
        stack.push(longBytes(take(u32())));
        break; // LONG4
      case 0x49: {
        // INT (protocol 0; "I01"/"I00" are booleans)
        const s = line();
        if (!/^-?\d+$/.test(s)) throw inputError(file, `malformed pickle: bad INT "${s}"`);
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4c: {
        // LONG (protocol 0 text)
        const text = line().replace(/L$/, '');
        if (!/^-?\d+$/.test(text)) throw inputError(file, `malformed pickle: bad LONG "${text}"`);
        const v = BigInt(text);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47:
        need(8);
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break; // BINFLOAT (big-endian)
      case 0x46:
        stack.push(Number.parseFloat(line()));
        break; // FLOAT
      case 0x58:
        stack.push(utf8.decode(take(u32())));
        break; // BINUNICODE
      case 0x8c:
        stack.push(utf8.decode(take(u8())));
        break; // SHORT_BINUNICODE
      case 0x8d: {
        // BINUNICODE8
        need(8);
        const n = Number(dv.getBigUint64(pos, true));
        pos += 8;
        stack.push(utf8.decode(take(n)));
        break;
      }
      case 0x54:
        stack.push(latin1.decode(take(u32())));
        break; // BINSTRING (Python 2 str)
      case 0x55:
        stack.push(latin1.decode(take(u8())));
        break; // SHORT_BINSTRING
      case 0x42:
        stack.push(take(u32()).slice());
        break; // BINBYTES
      case 0x43:
        stack.push(take(u8()).slice());
        break; // SHORT_BINBYTES
      case 0x74:
        stack.push(new PyTuple(popMark()));
        break; // TUPLE
      case 0x85:
        stack.push(new PyTuple([pop()]));
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b]));
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b, c]));
        break;
      } // TUPLE3
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x64: {
        const d = new PyDict(false);
        setItems(d, popMark());
        stack.push(d);
        break;
      } // DICT
      case 0x61: {
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) throw inputError(file, 'malformed pickle: APPEND to a non-list');
        l.push(v);
        break;
      }
      case 0x65: {
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) throw inputError(file, 'malformed pickle: APPENDS to a non-list');
        l.push(...items);
        break;
      }
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x63: {
        const module = line();
        const name = line();
        stack.push(global(module, name));
        break;
      } // GLOBAL
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw inputError(file, 'malformed pickle: STACK_GLOBAL needs two strings');
        stack.push(global(module, name));
        break;
      }
      case 0x52: {
        const args = pop();
        const fn = pop();
        stack.push(call(fn, args, file));
        break;
      } // REDUCE
      case 0x62: {
        // BUILD: only OrderedDict state (torch's `_metadata`) and tensor state occur; both are ignorable
        const state = pop();
        const t = top();
        if (t instanceof PyObject) t.state = state;
        else if (!(t instanceof PyDict) && !isTensorRef(t)) throw inputError(file, 'malformed pickle: BUILD on an unexpected object');
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls), allowed only for TorchScript classes (see UnpickleOptions)
        if (options.torchScriptObjects !== true) throw unsupported(op, at);
        pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !cls.module.startsWith('__torch__')) throw inputError(file, 'malformed pickle: NEWOBJ on a class that is not a TorchScript module');
        stack.push(new PyObject(cls));
        break;
      }
      case 0x51:
        stack.push({ kind: 'persistent', value: persistentLoad(pop()) });
        break; // BINPERSID
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x70:
        memo.set(Number.parseInt(line(), 10), top());
        break; // PUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x68:
      case 0x6a:
      case 0x67: {
        // BINGET, LONG_BINGET, GET
        const idx = op === 0x68 ? u8() : op === 0x6a ? u32() : Number.parseInt(line(), 10);
        if (!memo.has(idx)) throw inputError(file, `malformed pickle: memo entry ${idx} is missing`);
        stack.push(memo.get(idx)!);
        break;
      }
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      default:
        throw unsupported(op, at);
    }
  }
}
