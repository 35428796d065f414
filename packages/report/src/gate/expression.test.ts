import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError, parseBoundExpression } from './expression.js';

const base = (o: Record<string, number>) => new Map(Object.entries(o));

describe('parseBoundExpression', () => {
  it('evaluates arithmetic over baseline keys, by dot or bracket', () => {
    const e = parseBoundExpression('baseline.fid * 1.05');
    expect(e.baselineKeys).toEqual(['fid']);
    expect(e.evaluate(base({ fid: 40 }))).toBeCloseTo(42, 12);
    expect(parseBoundExpression('baseline["kid_mean"] + 2 * baseline.kid_std').evaluate(base({ kid_mean: 0.01, kid_std: 0.002 }))).toBeCloseTo(0.014, 15);
    expect(parseBoundExpression('max(baseline.is_mean - 0.1, 2)').evaluate(base({ is_mean: 1.5 }))).toBe(2);
    expect(parseBoundExpression('-(2^2) + abs(-3) + sqrt(16) + floor(1.7)').evaluate(base({}))).toBe(4);
    expect(parseBoundExpression('baseline.a + baseline.b + baseline.a').baselineKeys).toEqual(['a', 'b']);
  });

  it('reports what does not parse', () => {
    expect(() => parseBoundExpression('baseline.fid *')).toThrow(/does not parse: Unexpected end of expression/);
    expect(() => parseBoundExpression('   ')).toThrow(/is empty/);
  });

  it('refuses brackets nested deeper than 64 with its own message (mathjs would exhaust the stack)', () => {
    const nested = (n: number) => `${'('.repeat(n)}baseline.fid${')'.repeat(n)}`;
    expect(parseBoundExpression(nested(64)).evaluate(base({ fid: 3 }))).toBe(3);
    expect(() => parseBoundExpression(nested(65))).toThrow(/nests brackets 65 deep; a bound expression may nest at most 64/);
    expect(() => parseBoundExpression(nested(490))).toThrow(/nests brackets 490 deep/);
    expect(() => parseBoundExpression(`${'abs('.repeat(70)}1${')'.repeat(70)}`)).toThrow(/nests brackets 70 deep/);
  });

  it('refuses everything outside the whitelist: no import, assignment, units, strings or other names', () => {
    for (const [text, why] of [
      ['import({x: 1})', /function "import" is not allowed/],
      ['evaluate("1")', /function "evaluate" is not allowed/],
      ['createUnit("foo")', /function "createUnit" is not allowed/],
      ['a = 3', /assignment .* is not allowed/],
      ['f(x) = x', /functionassignment .* is not allowed/],
      ['2 cm', /unknown name "cm"/],
      ['fid * 1.05', /unknown name "fid" \(did you mean baseline\.fid\?\)/],
      ['baseline', /use baseline\.<metric>/],
      ['"a"', /is not a number/],
      ['[1, 2]', /array .* is not allowed/],
      ['baseline.fid > 3', /operator ">" is not allowed/],
      ['x.fid', /only baseline\.<metric>/],
      ['baseline.fid.x', /only baseline\.<metric>/],
      ['baseline[1]', /baseline must be followed by/],
      ['cos(1)', /function "cos" is not allowed/],
    ] as const) {
      expect(() => parseBoundExpression(text), text).toThrow(ExpressionError);
      expect(() => parseBoundExpression(text), text).toThrow(why);
    }
  });

  it('fails on results that are not finite numbers', () => {
    expect(() => parseBoundExpression('baseline.fid / 0').evaluate(base({ fid: 1 }))).toThrow(/gives Infinity, not a finite number/);
    expect(() => parseBoundExpression('sqrt(baseline.x)').evaluate(base({ x: -1 }))).toThrow(/gives NaN, not a finite number/);
    // mathjs refuses prototype keys on plain objects.
    expect(() => parseBoundExpression('baseline.constructor').evaluate(base({ constructor: 1 }))).toThrow(/failed: No access/);
  });

  it('a linear expression equals its JavaScript value (property)', () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(finite, finite, finite, (x, a, b) => {
        const got = parseBoundExpression(`baseline.m * (${a}) + (${b})`).evaluate(base({ m: x }));
        // + 0 because the expression's text cannot carry the sign of -0.
        expect(got + 0).toBe(x * a + b + 0);
      }),
    );
  });
});
