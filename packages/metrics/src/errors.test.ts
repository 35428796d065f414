import { describe, expect, it } from 'vitest';
import { badInputError, ERROR_CODES, GenEvalError, inputError, internalError, ioError, isUserError, orList, unsupportedError, usageError } from './errors.js';
import { RandomState } from './random.js';

describe('GenEvalError', () => {
  it('carries a code (bad_input by default), an optional path and the standard cause', () => {
    const plain = new GenEvalError('no path here');
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('GenEvalError');
    expect(plain.code).toBe('bad_input');
    expect(plain.path).toBeUndefined();
    expect('cause' in plain).toBe(false);

    const root = new Error('EACCES');
    const e = new GenEvalError('x.npy: cannot read', { code: 'io', path: 'x.npy', cause: root });
    expect([e.code, e.path, e.cause]).toEqual(['io', 'x.npy', root]);
    expect(e.message).toBe('x.npy: cannot read');
  });

  it('helpers set the code and, for files, the path', () => {
    const cause = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    expect(inputError('a.npz', 'not a .npz file')).toMatchObject({ message: 'a.npz: not a .npz file', code: 'bad_input', path: 'a.npz' });
    expect(inputError('a.npz', 'bad', { cause }).cause).toBe(cause);
    expect(ioError('out.npz', 'cannot write', cause)).toMatchObject({ message: 'out.npz: cannot write', code: 'io', path: 'out.npz', cause });
    expect(badInputError('dims differ')).toMatchObject({ code: 'bad_input', path: undefined });
    expect(usageError('k must be a positive integer')).toMatchObject({ code: 'usage' });
    expect(unsupportedError('BMP compression 4')).toMatchObject({ code: 'unsupported' });
    expect(internalError('invariant')).toMatchObject({ code: 'internal' });
  });

  it('isUserError: every code but internal (what --skip-bad may skip), and no other error', () => {
    for (const code of ERROR_CODES) expect(isUserError(new GenEvalError('m', { code }))).toBe(code !== 'internal');
    expect(isUserError(new RangeError('m'))).toBe(false);
    expect(isUserError(undefined)).toBe(false);
  });
});

describe('library validation throws typed errors', () => {
  it("RandomState refuses a seed outside numpy's range itself, as a usage error", () => {
    for (const seed of [-1, 2 ** 32, 1.5]) {
      expect(() => new RandomState(seed)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    }
    expect(() => new RandomState(0xffffffff)).not.toThrow();
  });
});

describe('orList', () => {
  it('lists choices as a message says them', () => {
    expect(orList([])).toBe('');
    expect(orList([28])).toBe('28');
    expect(orList(['a', 'b'])).toBe('a or b');
    expect(orList([28, 32, 64])).toBe('28, 32 or 64');
  });
});
