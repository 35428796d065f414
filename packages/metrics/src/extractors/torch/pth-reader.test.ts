import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../../testing/expect.js';
import { detectTorchFormat, parseTorchStateDict, readTorchStateDict } from './pth-reader.js';

const GOLDEN = new URL('../../../../../fixtures/golden/inception/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(GOLDEN, 'small-expected.json'), 'utf8')) as Record<string, { shape: number[]; dtype: string; values: number[] }>;

/** A pickle: PROTO 2, the given body, STOP. */
const pickle = (...parts: (number[] | string)[]) => Uint8Array.from([0x80, 2, ...parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)), 0x2e]);

describe('torch state-dict reader', () => {
  it.each(['small-legacy.pth', 'small-zip.pth'])('reads %s exactly as torch saved it (dtypes, shared storages, offsets, strides)', (name) => {
    const sd = readTorchStateDict(join(GOLDEN, name));
    expect([...sd.keys()]).toEqual(Object.keys(expected));
    for (const [key, e] of Object.entries(expected)) {
      const t = sd.get(key)!;
      expect(t.shape, key).toEqual(e.shape);
      expect(t.dtype, key).toBe(e.dtype);
      expect(Array.from(t.data), key).toEqual(e.values);
    }
  });

  it('detects the formats from the first bytes', () => {
    expect(detectTorchFormat(readFileSync(join(GOLDEN, 'small-legacy.pth')))).toBe('legacy');
    expect(detectTorchFormat(readFileSync(join(GOLDEN, 'small-zip.pth')))).toBe('zip');
    expect(detectTorchFormat(new Uint8Array([1, 2, 3]))).toBe('unknown');
  });

  it.each(['forbidden-legacy.pth', 'forbidden-zip.pth'])('refuses %s, whose pickle calls os.system, without running it', (name) => {
    expectGenEvalError(() => readTorchStateDict(join(GOLDEN, name)), { code: 'bad_input', message: /forbidden-(legacy|zip)\.pth: refusing to load "(posix|os)\.system"/ });
  });

  it('rejects unknown formats, tar files and missing files with one clear line', () => {
    expectGenEvalError(() => parseTorchStateDict(new TextEncoder().encode('GIF89a not weights'), 'w.pth'), { code: 'bad_input', message: /^w\.pth: not a PyTorch weight file/ });
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    expectGenEvalError(() => parseTorchStateDict(tar, 'old.pth'), { code: 'bad_input', message: /^old\.pth: a tar-format torch file/ });
    expectGenEvalError(() => readTorchStateDict(join(GOLDEN, 'nope.pth')), { code: 'bad_input', message: /nope\.pth: no such file/ });
  });

  it('rejects a truncated legacy file and a zip that is not a checkpoint', () => {
    const legacy = readFileSync(join(GOLDEN, 'small-legacy.pth'));
    expectGenEvalError(() => parseTorchStateDict(legacy.subarray(0, legacy.length - 3), 'cut.pth'), { code: 'bad_input', message: /^cut\.pth: truncated file: storage/ });
    expectGenEvalError(() => parseTorchStateDict(legacy.subarray(0, 200), 'cut.pth'), { code: 'bad_input', message: /^cut\.pth: truncated or corrupt pickle/ });
    const other = zipSync({ 'readme.txt': new TextEncoder().encode('hello') });
    expectGenEvalError(() => parseTorchStateDict(other, 'a.zip'), { code: 'bad_input', message: /^a\.zip: a zip archive but not a torch checkpoint/ });
  });

  it('rejects a zip checkpoint with a missing or short storage record', () => {
    const zip = readFileSync(join(GOLDEN, 'small-zip.pth'));
    const entries = unzipSync(zip);
    const without = { ...entries };
    delete without['small-zip/data/0'];
    expectGenEvalError(() => parseTorchStateDict(zipSync(without), 'm.pth'), { code: 'bad_input', message: /^m\.pth: storage "0" is missing from the archive/ });
    const short = { ...entries, 'small-zip/data/0': entries['small-zip/data/0']!.subarray(0, 8) };
    expectGenEvalError(() => parseTorchStateDict(zipSync(short), 's.pth'), { code: 'bad_input', message: /^s\.pth: storage "0" holds 8 bytes, the pickle expects 96/ });
  });

  it('rejects a tensor that reaches past its storage and a top level that is not a dict of tensors', () => {
    // A zip checkpoint whose only tensor claims 3 floats from a 2-float storage.
    // prettier-ignore
    const pkl = pickle(
      '}', 'X', [1, 0, 0, 0], 'w', 'ctorch._utils\n_rebuild_tensor_v2\n', '(',
      '(', 'X', [7, 0, 0, 0], 'storage', 'ctorch\nFloatStorage\n', 'X', [1, 0, 0, 0], '0', 'X', [3, 0, 0, 0], 'cpu', 'K', [2], 't', 'Q',
      'K', [0], 'K', [3], [0x85], 'K', [1], [0x85], [0x89], '}', 't', 'R', 's',
    );
    const bad = zipSync({ 'a/data.pkl': pkl, 'a/data/0': new Uint8Array(8) }, { level: 0 });
    expectGenEvalError(() => parseTorchStateDict(bad, 'past.pth'), {
      code: 'bad_input',
      message: /^past\.pth: tensor "w" \(shape \[3\], offset 0\) reaches past the end of its storage of 2 elements/,
    });
    const list = zipSync({ 'a/data.pkl': pickle(']') }, { level: 0 });
    expectGenEvalError(() => parseTorchStateDict(list, 'l.pth'), { code: 'bad_input', message: /^l\.pth: not a state dict/ });
    const nested = zipSync({ 'a/data.pkl': pickle('}', 'X', [5, 0, 0, 0], 'model', '}', 's') }, { level: 0 });
    expectGenEvalError(() => parseTorchStateDict(nested, 'n.pth'), { code: 'bad_input', message: /^n\.pth: not a flat state dict: "model" is a nested dict, not a tensor/ });
  });

  it('follows legacy storage views (view_metadata from torch < 0.4 files)', () => {
    // Legacy file: one 6-float root storage; the tensor uses a view of elements 2..5 at offset 1.
    const header = [pickle([0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]), pickle('M', [0xe9, 0x03]), pickle('}')];
    // prettier-ignore
    const body = pickle(
      'ccollections\nOrderedDict\n', ')', 'R', 'X', [1, 0, 0, 0], 'v', 'ctorch._utils\n_rebuild_tensor_v2\n', '(',
      '(', 'X', [7, 0, 0, 0], 'storage', 'ctorch\nFloatStorage\n', 'X', [4, 0, 0, 0], 'root', 'X', [3, 0, 0, 0], 'cpu', 'K', [6],
      '(', 'X', [4, 0, 0, 0], 'view', 'K', [2], 'K', [4], 't', 't', 'Q',
      'K', [1], 'K', [2], [0x85], 'K', [1], [0x85], [0x89], 'ccollections\nOrderedDict\n', ')', 'R', 't', 'R', 's',
    );
    const keys = pickle(']', 'X', [4, 0, 0, 0], 'root', 'a');
    const count = new Uint8Array(8);
    count[0] = 6;
    const data = new Uint8Array(Float32Array.of(0, 1, 2, 3, 4, 5).buffer);
    const bytes = Buffer.concat([...header, body, keys, count, data]);
    const sd = parseTorchStateDict(bytes, 'view.pth');
    expect(Array.from(sd.get('v')!.data)).toEqual([3, 4]);
  });
});
