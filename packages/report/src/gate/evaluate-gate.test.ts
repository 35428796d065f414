import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { applyGate, evaluateGate, boundHolds, prepareGate } from './evaluate-gate.js';
import { metricsFromObject } from './results.js';
import { parseThresholds } from './thresholds.js';

const results = (o: Record<string, unknown>, source = 'results.json') => metricsFromObject(o, source);
const gates = (o: unknown, file = 'gates.json') => parseThresholds(JSON.stringify(o), file);

describe('evaluateGate', () => {
  it('passes, warns and fails per bound; warnings do not fail the gate', () => {
    const t = gates({ fid: { max: 40, warn: { max: 'baseline.fid * 1.02' } }, is_mean: { min: 2 } });
    const g = evaluateGate(t, results({ fid: 30.9, is_mean: 2.5 }), results({ fid: 30 }, 'base.json'));
    expect(g.outcomes.map((o) => [o.key, o.limit, o.status])).toEqual([
      ['fid.max', 40, 'pass'],
      ['fid.warn.max', 30 * 1.02, 'warn'],
      ['is_mean.min', 2, 'pass'],
    ]);
    expect([g.status, g.passed, g.counts]).toEqual(['warn', true, { pass: 2, warn: 1, fail: 0 }]);
    expect(g.baseline).toBe('base.json');
    const bad = evaluateGate(t, results({ fid: 41, is_mean: 1.9 }), results({ fid: 30 }));
    expect([bad.status, bad.passed, bad.counts]).toEqual(['fail', false, { pass: 0, warn: 1, fail: 2 }]);
  });

  it('bounds are inclusive', () => {
    const g = evaluateGate(gates({ a: { min: 1, max: 1 } }), results({ a: 1 }));
    expect(g.status).toBe('pass');
  });

  it('a numeric bound passes iff the value is within it (property)', () => {
    const x = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(x, x, fc.constantFrom('min', 'max'), fc.boolean(), (value, limit, kind, warn) => {
        const spec = warn ? { warn: { [kind]: limit } } : { [kind]: limit };
        const g = evaluateGate(gates({ m: spec }), results({ m: value }));
        const within = kind === 'min' ? value >= limit : value <= limit;
        expect(g.outcomes[0]!.held).toBe(within);
        expect(g.passed).toBe(within || warn);
        expect(g.outcomes[0]!.status).toBe(within ? 'pass' : warn ? 'warn' : 'fail');
      }),
    );
  });

  it('the gate fails iff some error-level bound fails (property)', () => {
    const x = fc.double({ min: -100, max: 100, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(x, x, x, x), { minLength: 1, maxLength: 5 }), (rows) => {
        const spec: Record<string, unknown> = {};
        const vals: Record<string, number> = {};
        rows.forEach(([v, a, b, w], i) => {
          // A warn max looser than the max is refused (it could never show).
          spec[`m${i}`] = { min: Math.min(a, b), max: Math.max(a, b), warn: { max: Math.min(w, a, b) } };
          vals[`m${i}`] = v;
        });
        const g = evaluateGate(gates(spec), results(vals));
        const fails = rows.some(([v, a, b]) => !boundHolds('min', v, Math.min(a, b)) || !boundHolds('max', v, Math.max(a, b)));
        expect(g.passed).toBe(!fails);
        expect(g.outcomes).toHaveLength(rows.length * 3);
      }),
    );
  });

  it('exit-2 errors for expressions over a missing or incomplete baseline', () => {
    const t = gates({ fid: { max: 'baseline.fdi * 1.05' } });
    expect(expectGenEvalError(() => prepareGate(t, results({ fid: 30, kid_mean: 1 }, 'base.json'))).message).toBe(
      'gates.json: "fid.max": expression "baseline.fdi * 1.05" names unknown baseline key "fdi" (base.json has fid, kid_mean)',
    );
    expect(expectGenEvalError(() => prepareGate(t)).message).toMatch(/^gates\.json: "fid\.max": expression .* uses baseline\.fdi, but no baseline was given \(`baseline`\)$/);
    expect(expectGenEvalError(() => prepareGate(gates({ x: { max: 'baseline.r' } }), results({ fid: 1, r: null }, 'base.json'))).message).toBe(
      'base.json: "r" is not a finite number (null), but gates.json "x.max" uses it',
    );
    expect(expectGenEvalError(() => prepareGate(gates({ x: { max: 'baseline.fid / 0' } }), results({ fid: 1 }))).message).toMatch(
      /"x\.max": expression "baseline\.fid \/ 0" gives Infinity, not a finite number/,
    );
  });

  it('rejects a min above its max at the same level', () => {
    expect(expectGenEvalError(() => prepareGate(gates({ a: { min: 2, max: 1 } }))).message).toBe('gates.json: "a": min 2 is above max 1, so no value can pass');
    expect(expectGenEvalError(() => prepareGate(gates({ a: { warn: { min: 'baseline.a + 1', max: 'baseline.a' } } }), results({ a: 1 }))).message).toMatch(
      /"a\.warn": min 2 is above max 1/,
    );
    // Different levels may disagree: a warn band inside or outside the error band is legitimate.
    expect(() => prepareGate(gates({ a: { min: 2, warn: { max: 1 } } }))).not.toThrow();
  });

  it('refuses a warn bound looser than the bound that fails, which could never show', () => {
    expect(expectGenEvalError(() => prepareGate(gates({ fid: { max: 10, warn: { max: 20 } } }))).message).toBe(
      'gates.json: "fid.warn.max": 20 is above "fid.max" 10, so the warning can never show (a value past it fails first); a warn bound must be stricter than the bound that fails',
    );
    expect(expectGenEvalError(() => prepareGate(gates({ is_mean: { min: 'baseline.is_mean', warn: { min: 2 } } }), results({ is_mean: 3 }))).message).toMatch(
      /^gates\.json: "is_mean\.warn\.min": 2 is below "is_mean\.min" 3, so the warning can never show/,
    );
    // Stricter, equal, or on the other side: the warning can show (or is merely redundant).
    for (const spec of [
      { max: 10, warn: { max: 5 } },
      { max: 10, warn: { max: 10 } },
      { max: 10, warn: { min: 20 } },
      { min: 1, warn: { min: 2 } },
    ]) {
      expect(() => prepareGate(gates({ fid: spec }))).not.toThrow();
    }
  });

  it('exit-2 errors for a bounded metric missing from the results or not finite', () => {
    const g = prepareGate(gates({ is_mean: { min: 2 } }));
    expect(expectGenEvalError(() => applyGate(g, results({ fid: 1, kid_mean: 2 }))).message).toBe(
      'gates.json: "is_mean.min": the results (results.json) have no metric "is_mean"; they have fid, kid_mean',
    );
    expect(expectGenEvalError(() => applyGate(g, results({ fid: 1, is_mean: null }))).message).toBe('results.json: "is_mean" is not a finite number (null)');
    // A number written as a string is named as such, not as a missing metric.
    expect(expectGenEvalError(() => applyGate(g, results({ fid: 1, is_mean: '2.0' }))).message).toBe('results.json: "is_mean" is a string ("2.0"), not a number');
    expect(expectGenEvalError(() => metricsFromObject({ fid: '2.0' }, 'r.json')).message).toMatch(
      /^r\.json: no metric found \(no top-level number; "fid" is a string \("2\.0"\), not a number;/,
    );
  });

  it('refuses a result with a metric both at its top level and in "metrics", naming both', () => {
    expect(expectGenEvalError(() => metricsFromObject({ fid: 100, metrics: { fid: 1 } }, 'r.json')).message).toBe(
      'r.json: "fid" is both a top-level key (100) and a key of "metrics" (1): which one is the metric is ambiguous; keep only one',
    );
    // Before, the nested 1 silently won and a `fid ≤ 10` gate passed.
    expect(() => evaluateGate(gates({ fid: { max: 10 } }), results({ fid: 100, metrics: { fid: 1 } }))).toThrow(/ambiguous/);
  });

  it('shortens echoed input: a 200 KB expression or metric name stays a short line', () => {
    const long = `${'1 + '.repeat(50_000)}1`;
    const message = expectGenEvalError(() => gates({ fid: { max: long } })).message;
    expect(message).toMatch(/^gates\.json: "fid\.max": expression "1 \+ 1 \+ .*…" \(200001 characters\) is 200001 characters long; a bound expression may have at most 1000$/);
    expect(message.length).toBeLessThan(300);
    const name = 'm'.repeat(200_000);
    const missing = expectGenEvalError(() => applyGate(prepareGate(gates({ [name]: { max: 1 } })), results({ [`${name}x`]: 1 }))).message;
    expect(missing.length).toBeLessThan(400);
    expect(missing).toMatch(
      /^gates\.json: "m{100}…" \(200004 characters\): the results \(results\.json\) have no metric "m{100}…" \(200000 characters\); they have "m{40}…" \(200001 characters\)$/,
    );
  });
});
