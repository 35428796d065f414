import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { loadThresholds, parseThresholds } from './thresholds.js';

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
    expect(expectGenEvalError(() => parseThresholds('{"fid": {"max": 3,}}', 'g.json'), { code: 'bad_input' }).message).toMatch(/^g\.json: not valid JSON: /);
    expect(expectGenEvalError(() => parseThresholds('fid: {max: 3', 'g.yaml'), { code: 'bad_input' }).message).toMatch(/^g\.yaml: not valid YAML: line 1, column 13: Flow map/);
    expect(expectGenEvalError(() => parseThresholds('fid: {max: 1}\nfid: {max: 2}\n', 'g.yml'), { code: 'bad_input' }).message).toMatch(
      /line 2, column 1: Map keys must be unique/,
    );
    expect(expectGenEvalError(() => parseThresholds('\u0000\u0001PK', 'g.txt'), { code: 'bad_input' }).message).toBe('g.txt: neither JSON nor YAML (binary data)');
    expect(expectGenEvalError(() => parseThresholds('fid < 40', 'g.yaml'), { code: 'bad_input' }).message).toMatch(/expected a mapping of metric → bounds.*got "fid < 40"/);
    expect(expectGenEvalError(() => parseThresholds('', 'g.yaml'), { code: 'bad_input' }).message).toMatch(/^g\.yaml: is empty/);
    expect(expectGenEvalError(() => parseThresholds('{}', 'g.json'), { code: 'bad_input' }).message).toMatch(/has no bound/);
    expect(expectGenEvalError(() => parseThresholds('[1]', 'g.json'), { code: 'bad_input' }).message).toMatch(/got a list/);
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
    for (const [text, want] of cases) expect(expectGenEvalError(() => parseThresholds(text, 'g.json'), { code: 'bad_input' }).message, text).toMatch(want);
  });

  it('refuses a YAML alias bomb as bad input naming the file, not as an internal error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
          .fill(`*${'abcdefghi'[i - 1]}`)
          .join(', ')}]`,
      );
    const bomb = `${levels.join('\n')}\nfid: {max: 40}\n`;
    expect(expectGenEvalError(() => parseThresholds(bomb, 'bomb.yaml'), { code: 'bad_input' }).message).toBe(
      'bomb.yaml: not valid YAML: its aliases expand too far (a "billion laughs" document?); write the bounds out',
    );
  });

  it('loads files; a missing one is a one-line error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-th-'));
    const f = join(dir, 'gates.yaml');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(f, '\uFEFFfid: {max: 40}\n');
    expect(loadThresholds(f).bounds).toHaveLength(1);
    expect(expectGenEvalError(() => loadThresholds(join(dir, 'none.json')), { code: 'bad_input' }).message).toMatch(/none\.json: no such file$/);
    expect(expectGenEvalError(() => loadThresholds(dir), { code: 'bad_input' }).message).toMatch(/is a folder/);
  });
});
