import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../../testing/expect.js';
import { PyDict, PyObject, PyTuple, unpickle, type PyValue } from './pickle.js';

const bytesOf = (...parts: (number[] | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const load = (...parts: (number[] | string)[]) => unpickle(bytesOf(...parts), 'p.pkl').value;

/** LONG1: minimal little-endian two's complement, as CPython writes it. */
function long1(v: bigint): number[] {
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const sign = (out[out.length - 1]! & 0x80) !== 0;
    if ((x === 0n && !sign) || (x === -1n && sign)) break;
  }
  return [0x8a, out.length, ...out];
}

describe('restricted unpickler', () => {
  it('decodes the protocol-2 values a state dict uses, with the memo', () => {
    // {'a': (1, -2, 70000, 2.5, None, True), 'b': [ 'x', 'x' (memo) ]}
    const v = load(
      [0x80, 2],
      '}',
      'q',
      [0],
      '(',
      'X',
      [1, 0, 0, 0],
      'a',
      '(',
      'K',
      [1],
      'J',
      [0xfe, 0xff, 0xff, 0xff],
      'J',
      [0x70, 0x11, 0x01, 0x00],
      'G',
      [0x40, 0x04, 0, 0, 0, 0, 0, 0],
      'N',
      [0x88],
      't',
      'X',
      [1, 0, 0, 0],
      'b',
      ']',
      '(',
      'X',
      [1, 0, 0, 0],
      'x',
      'q',
      [1],
      'h',
      [1],
      'e',
      'u',
      '.',
    );
    expect(v).toBeInstanceOf(PyDict);
    const d = v as PyDict;
    expect((d.entries.get('a') as PyTuple).items).toEqual([1, -2, 70000, 2.5, null, true]);
    expect(d.entries.get('b')).toEqual(['x', 'x']);
  });

  it('reads protocol-0 text opcodes and Python 2 strings', () => {
    const v = load('(dp0\n', 'U', [1], 'k', 'I42\n', 's', 'U', [1], 'm', 'L-5L\n', 's', 'U', [1], 'f', 'F0.25\n', 's', 'U', [1], 'b', 'I01\n', 's', '.');
    const d = v as PyDict;
    expect(Object.fromEntries(d.entries)).toEqual({ k: 42, m: -5, f: 0.25, b: true });
  });

  it('accepts protocol-4 framing, MEMOIZE and STACK_GLOBAL for allowed names', () => {
    const v = load([0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0], [0x8c, 11], 'collections', [0x94], [0x8c, 11], 'OrderedDict', [0x94], [0x93], ')', 'R', '.');
    expect(v).toBeInstanceOf(PyDict);
    expect((v as PyDict).ordered).toBe(true);
  });

  it('refuses forbidden globals whichever opcode names them, before anything runs', () => {
    expectGenEvalError(() => load([0x80, 2], 'cos\nsystem\n', '.'), { message: /^p\.pkl: refusing to load "os\.system"/ });
    expectGenEvalError(() => load([0x80, 2], 'cbuiltins\neval\n', '.'), { message: /refusing to load "builtins\.eval"/ });
    expectGenEvalError(() => load([0x80, 4], [0x8c, 5], 'torch', [0x8c, 4], 'load', [0x93], '.'), { message: /refusing to load "torch\.load"/ });
    // An allowed name that is not callable in a state dict (a storage type) cannot be REDUCEd either.
    expectGenEvalError(() => load([0x80, 2], 'ctorch\nFloatStorage\n', ')', 'R', '.'), { message: /refusing to call torch\.FloatStorage/ });
  });

  it('reads TorchScript module objects as attribute holders only when asked to', () => {
    const bytes = bytesOf([0x80, 2], 'c__torch__.clip\nCLIP\n', ')', [0x81], '}', 'X', [1, 0, 0, 0], 'aK', [7], 's', 'b', '.');
    expectGenEvalError(() => unpickle(bytes, 'm.pkl'), { message: /refusing to load "__torch__\.clip\.CLIP"/ });
    const obj = unpickle(bytes, 'm.pkl', undefined, 0, { torchScriptObjects: true }).value;
    expect(obj).toBeInstanceOf(PyObject);
    expect((obj as PyObject).cls.qualified).toBe('__torch__.clip.CLIP');
    expect([...((obj as PyObject).state as PyDict).entries]).toEqual([['a', 7]]);
    const notScript = bytesOf([0x80, 2], 'ccollections\nOrderedDict\n', ')', [0x81], '.');
    expectGenEvalError(() => unpickle(notScript, 'm.pkl', undefined, 0, { torchScriptObjects: true }), { message: /NEWOBJ on a class that is not a TorchScript module/ });
  });

  it('rejects opcodes a state dict never contains and malformed streams', () => {
    expectGenEvalError(() => load([0x80, 2], 'ccollections\nOrderedDict\n', ')', [0x81], '.'), { message: /unsupported pickle opcode 0x81 at byte \d+/ });
    expectGenEvalError(() => load([0x80, 2], 'X', [9, 0, 0, 0], 'ab'), { message: /truncated or corrupt pickle/ });
    expectGenEvalError(() => load([0x80, 2], 'h', [3], '.'), { message: /memo entry 3 is missing/ });
    expectGenEvalError(() => load([0x80, 2], 't', '.'), { message: /missing MARK/ });
    expectGenEvalError(() => load([0x80, 2], '.'), { message: /stack underflow/ });
  });

  it('decodes any integer CPython writes as LONG1 and any string as BINUNICODE (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 100n), max: 1n << 100n }), fc.string({ unit: 'grapheme' }), (n, s) => {
        const utf8 = [...new TextEncoder().encode(s)];
        const len = [utf8.length & 0xff, (utf8.length >> 8) & 0xff, (utf8.length >> 16) & 0xff, 0];
        const v = load([0x80, 2], long1(n), 'X', len, utf8, [0x86], '.') as PyTuple;
        const [num, str] = v.items as [PyValue, PyValue];
        expect(BigInt(num as number | bigint)).toBe(n);
        expect(typeof num === 'number' ? Number.isSafeInteger(num) : true).toBe(true);
        expect(str).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
