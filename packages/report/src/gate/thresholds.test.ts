import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GenEvalError } from '@gen-eval/metrics/errors';
import { loadThresholds, parseThresholds } from './thresholds.js';

/** The one-line error message of `f`. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GenEvalError);
    expect((err as GenEvalError).code).toBe('bad_input');
    const m = (err as Error).message;
    expect(m.includes('\n'), m).toBe(false);
    return m;
  }
  throw new Error('expected an error');
}

describe('parseThresholds', () => {
  it('reads JSON: numbers, expressions and warn bounds, in file order', () => {
    const t = parseThresholds('{"fid": {"max": "baseline.fid * 1.05", "warn": {"max": 40}}, "is_mean": {"min": 2.0}}', 'gates.json');
    expect(t.metrics).toEqual(['fid', 'is_mean']);
    expect(t.bounds.map((b) => [b.key, b.level, b.kind, b.text, b.number])).toEqual([
      ['fid.max', 'error', 'max', 'baseline.fid * 1.05', undefined],
      ['fid.warn.max', 'warn', 'max', '40', 40],
      ['is_mean.min', 'error', 'min', '2', 2],
    ]);
    expect(t.bounds[0]!.expression?.baselineKeys).toEqual(['fid']);
  });

  it('reads YAML, including unquoted expressions and warn-only metrics', () => {
    const t = parseThresholds('fid:\n  max: baseline.fid * 1.05\n  warn:\n    max: 40\nkid_mean:\n  warn: {max: 0.01}\n', 'gates.yaml');
    expect(t.bounds.map((b) => b.key)).toEqual(['fid.max', 'fid.warn.max', 'kid_mean.warn.max']);
    expect(t.bounds[0]!.text).toBe('baseline.fid * 1.05');
  });

  it('rejects files that are neither JSON nor YAML, naming the file and where', () => {
    expect(errorOf(() => parseThresholds('{"fid": {"max": 3,}}', 'g.json'))).toMatch(/^g\.json: not valid JSON: /);
    expect(errorOf(() => parseThresholds('fid: {max: 3', 'g.yaml'))).toMatch(/^g\.yaml: not valid YAML: line 1, column 13: Flow map/);
    expect(errorOf(() => parseThresholds('fid: {max: 1}\nfid: {max: 2}\n', 'g.yml'))).toMatch(/line 2, column 1: Map keys must be unique/);
    expect(errorOf(() => parseThresholds('\u0000\u0001PK', 'g.txt'))).toBe('g.txt: neither JSON nor YAML (binary data)');
    expect(errorOf(() => parseThresholds('fid < 40', 'g.yaml'))).toMatch(/expected a mapping of metric → bounds.*got "fid < 40"/);
    expect(errorOf(() => parseThresholds('', 'g.yaml'))).toMatch(/^g\.yaml: is empty/);
    expect(errorOf(() => parseThresholds('{}', 'g.json'))).toMatch(/has no bound/);
    expect(errorOf(() => parseThresholds('[1]', 'g.json'))).toMatch(/got a list/);
  });

  it('says which key is wrong and why', () => {
    const cases: [string, RegExp][] = [
      ['{"fid": 40}', /^g\.json: "fid": expected a mapping with "min", "max" and\/or "warn", got 40$/],
      ['{"fid": {}}', /^g\.json: "fid": a bound needs "min" or "max"/],
      ['{"fid": {"mx": 40}}', /^g\.json: "fid\.mx": unknown key; a bound may have min, max, warn$/],
      ['{"fid": {"max": 40, "warn": {}}}', /^g\.json: "fid\.warn": a bound needs "min" or "max"$/],
      ['{"fid": {"warn": {"max": 1, "warn": {}}}}', /"fid\.warn\.warn": unknown key \(warn bounds cannot nest\)/],
      ['{"fid": {"warn": 3}}', /"fid\.warn": expected a mapping/],
      ['{"fid": {"max": true}}', /"fid\.max": must be a number or an expression string such as "baseline\.fid \* 1\.05", got true/],
      ['{"fid": {"max": null}}', /"fid\.max": must be a number or an expression.*got null/],
      ['{"fid": {"max": "baseline.fid *"}}', /"fid\.max": expression "baseline\.fid \*" does not parse: /],
      ['{"fid": {"warn": {"min": "fid"}}}', /"fid\.warn\.min": expression "fid" unknown name "fid"/],
    ];
    for (const [text, want] of cases) expect(errorOf(() => parseThresholds(text, 'g.json')), text).toMatch(want);
  });

  it('loads files; a missing one is a one-line error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-th-'));
    const f = join(dir, 'gates.yaml');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(f, '\uFEFFfid: {max: 40}\n');
    expect(loadThresholds(f).bounds).toHaveLength(1);
    expect(errorOf(() => loadThresholds(join(dir, 'none.json')))).toMatch(/none\.json: no such file$/);
    expect(errorOf(() => loadThresholds(dir))).toMatch(/is a folder/);
  });
});
