import { describe, expect, it } from 'vitest';
import { GenEvalError, inputError } from '../errors.js';
import { expectClose, expectGenEvalError, GOLDEN_TOLERANCE } from './expect.js';

describe('expectGenEvalError', () => {
  it('returns the error thrown by a function or rejected by a promise', async () => {
    const e = expectGenEvalError(
      (): void => {
        throw inputError('a.npy', 'bad');
      },
      { code: 'bad_input', path: 'a.npy', message: 'a.npy: bad' },
    );
    expect(e.path).toBe('a.npy');
    const r = await expectGenEvalError(Promise.reject(new GenEvalError('x', { code: 'usage' })), { code: ['usage', 'io'], message: /^x$/ });
    expect(r.code).toBe('usage');
    await expectGenEvalError(async () => {
      throw new GenEvalError('y');
    });
  });

  it('fails on no error, another class, another code, path or message, and a multi-line message', async () => {
    expect(() => expectGenEvalError(() => 1)).toThrow(/nothing was thrown/);
    await expect(expectGenEvalError(Promise.resolve(1))).rejects.toThrow(/nothing was thrown/);
    expect(() =>
      expectGenEvalError(() => {
        throw new Error('plain');
      }),
    ).toThrow(/GenEvalError/);
    const err = new GenEvalError('f: two\nlines', { code: 'io', path: 'f' });
    expect(() =>
      expectGenEvalError(() => {
        throw err;
      }),
    ).toThrow(/one line/);
    const one = new GenEvalError('f: one', { code: 'io', path: 'f' });
    expect(() =>
      expectGenEvalError(
        () => {
          throw one;
        },
        { code: 'usage' },
      ),
    ).toThrow();
    expect(() =>
      expectGenEvalError(
        () => {
          throw one;
        },
        { code: ['usage', 'bad_input'] },
      ),
    ).toThrow();
    expect(() =>
      expectGenEvalError(
        () => {
          throw one;
        },
        { path: 'g' },
      ),
    ).toThrow();
    expect(() =>
      expectGenEvalError(
        () => {
          throw one;
        },
        { message: 'f: on' },
      ),
    ).toThrow();
    expect(() =>
      expectGenEvalError(
        () => {
          throw one;
        },
        { message: /two/ },
      ),
    ).toThrow();
  });
});

describe('expectClose', () => {
  it('passes within rel or abs, elementwise or relative to the largest |expected|', () => {
    expectClose(1 + 1e-10, 1, GOLDEN_TOLERANCE);
    expectClose(1e-13, 0, GOLDEN_TOLERANCE);
    expectClose([1, 100], [1.01, 100], { rel: 0.01 });
    expectClose([0.001, 100], [0.002, 100], { rel: 1e-5, relTo: 'max' });
    expectClose([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY], { rel: 0 });
  });

  it('fails naming the worst index, both values and both errors', () => {
    expect(() => expectClose([1, 2, 3], [1, 2.5, 3.1], { rel: 0.01 })).toThrow(/^\[1\] actual 2 vs expected 2\.5: abs error 0\.5 \(allowed 0\), rel error 0\.2 \(allowed 0\.01\)$/);
    expect(() => expectClose(1.1, 1, { abs: 0.01 })).toThrow(/^actual 1\.1 vs expected 1: abs error 0\.1\d* \(allowed 0\.01\)/);
    expect(() => expectClose([0.001, 100], [0.002, 100], { rel: 1e-6, relTo: 'max' })).toThrow(/of the largest \|expected\|/);
    expect(() => expectClose([Number.NaN], [1], { rel: 1 })).toThrow(/actual NaN/);
    expect(() => expectClose([1, 2], [1], { rel: 1 })).toThrow(/lengths differ/);
  });
});
