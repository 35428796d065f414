/**
 * @gen-eval/metrics/testing/expect — the assertions every gen-eval test shares: a thrown (or
 * rejected) {@link GenEvalError} with its code, path and message, and numbers equal within a
 * relative or absolute tolerance. A subpath of its own because it imports vitest, which the main
 * `/testing` entry (synthetic weights, tiny models; also used outside a test runner) must not.
 */
import { assert, expect } from 'vitest';
import { GenEvalError, type ErrorCode } from '../errors.js';

/** What {@link expectGenEvalError} checks besides the error's class and its being one line. */
export interface GenEvalErrorExpectation {
  /** The error's `code`, or the codes it may have. */
  readonly code?: ErrorCode | readonly ErrorCode[];
  /** The error's `path`. */
  readonly path?: string;
  /** The whole message (a string) or a pattern it matches. */
  readonly message?: string | RegExp;
}

function check(err: unknown, expected: GenEvalErrorExpectation): GenEvalError {
  expect(err, String(err)).toBeInstanceOf(GenEvalError);
  const e = err as GenEvalError;
  expect(e.message, 'a GenEvalError message is one line').not.toContain('\n');
  if (typeof expected.code === 'string') expect(e.code, e.message).toBe(expected.code);
  else if (expected.code !== undefined) expect(expected.code, e.message).toContain(e.code);
  if (expected.path !== undefined) expect(e.path, e.message).toBe(expected.path);
  if (typeof expected.message === 'string') expect(e.message).toBe(expected.message);
  else if (expected.message !== undefined) expect(e.message).toMatch(expected.message);
  return e;
}

function noError(): never {
  assert.fail('expected a GenEvalError, but nothing was thrown');
}

/**
 * Asserts that `fnOrPromise` fails with a one-line {@link GenEvalError} matching `expected`, and
 * returns the error. A function that throws is checked synchronously; a promise, or a function
 * returning one, is awaited (so await the result). An inline `() => { throw … }` is typed as
 * returning `never`, which TypeScript matches to the promise overload: write `(): void => { … }`.
 */
export function expectGenEvalError(fnOrPromise: PromiseLike<unknown> | (() => PromiseLike<unknown>), expected?: GenEvalErrorExpectation): Promise<GenEvalError>;
export function expectGenEvalError(fn: () => unknown, expected?: GenEvalErrorExpectation): GenEvalError;
export function expectGenEvalError(fnOrPromise: PromiseLike<unknown> | (() => unknown), expected: GenEvalErrorExpectation = {}): GenEvalError | Promise<GenEvalError> {
  let result: unknown;
  if (typeof fnOrPromise === 'function') {
    try {
      result = fnOrPromise();
    } catch (err) {
      return check(err, expected);
    }
  } else {
    result = fnOrPromise;
  }
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(result as PromiseLike<unknown>).then(noError, (err: unknown) => check(err, expected));
  }
  return noError();
}

/**
 * Tolerances of {@link expectClose}: a value passes when |actual − expected| ≤ `abs` or
 * ≤ `rel` · scale, where the scale is |expected| of the same element, or with `relTo: 'max'` the
 * largest |expected| of the array (a norm-wise comparison, for vectors and matrices with small
 * entries beside large ones).
 */
export interface Tolerance {
  readonly rel?: number;
  readonly abs?: number;
  readonly relTo?: 'element' | 'max';
}

/**
 * Asserts that `actual` equals `expected` (numbers, or arrays of the same length elementwise)
 * within `tol`; the failure names the worst index, both values and the absolute and relative error.
 */
export function expectClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, tol: Tolerance): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, 'lengths differ').toBe(e.length);
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  let scaleMax = 0;
  if (tol.relTo === 'max') for (let i = 0; i < e.length; i++) scaleMax = Math.max(scaleMax, Math.abs(e[i]!));
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Object.is(x, y) || x === y) continue;
    const diff = Math.abs(x - y);
    const bound = Math.max(abs, rel * (tol.relTo === 'max' ? scaleMax : Math.abs(y)));
    if (diff <= bound) continue;
    const excess = Number.isNaN(diff) ? Infinity : diff - bound;
    if (worst < 0 || excess > worstExcess) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return;
  const x = a[worst]!;
  const y = e[worst]!;
  const diff = Math.abs(x - y);
  const scale = tol.relTo === 'max' ? scaleMax : Math.abs(y);
  const where = typeof actual === 'number' ? '' : `[${worst}] `;
  assert.fail(
    `${where}actual ${x} vs expected ${y}: abs error ${diff} (allowed ${abs}), rel error ${diff / scale}` +
      ` (allowed ${rel}${tol.relTo === 'max' ? ' of the largest |expected|' : ''})`,
  );
}

/** The agreement with the golden references (numpy/scipy/torch): 1e-9 relative or 1e-12 absolute. */
export const GOLDEN_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-12 };

export { tempDir } from './temp-dir.js';
