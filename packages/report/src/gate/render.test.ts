import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from './evaluate-gate.js';
import {
  escapeCommandData,
  escapeCommandProperty,
  escapeXml,
  formatGateNumber,
  gateToJson,
  githubAnnotations,
  renderGateMarkdown,
  renderGateTable,
  renderJunit,
} from './render.js';
import { metricsFromObject } from './results.js';
import { parseThresholds } from './thresholds.js';

const gate = () =>
  evaluateGate(
    parseThresholds(JSON.stringify({ fid: { max: 40, warn: { max: 'baseline.fid * 1.02' } }, is_mean: { min: 2 }, kid_mean: { max: 0.01 } }), 'gates.json'),
    metricsFromObject({ fid: 31.5, is_mean: 2.25, kid_mean: 0.0125 }, 'results.json'),
    metricsFromObject({ fid: 30 }, 'base.json'),
  );

describe('gate renderings', () => {
  it('formats numbers compactly', () => {
    expect([formatGateNumber(40), formatGateNumber(30.6), formatGateNumber(0.0123456789), formatGateNumber(1 / 3), formatGateNumber(1.5e-9)]).toEqual([
      '40',
      '30.6',
      '0.0123457',
      '0.333333',
      '1.5e-9',
    ]);
  });

  it('shows full digits when rounding would hide why a bound failed', () => {
    const g = evaluateGate(parseThresholds('{"a": {"max": 40}}', 'g.json'), metricsFromObject({ a: 40.0000001 }, 'r.json'));
    expect(renderGateTable(g)).toContain('40.0000001');
  });

  it('prints a table of metric, value, bound and result with a summary line', () => {
    const lines = renderGateTable(gate()).split('\n');
    expect(lines[0]).toMatch(/^metric\s+value\s+bound\s+result$/);
    expect(lines[1]).toMatch(/^fid\s+31\.5\s+≤ 40\s+pass$/);
    expect(lines[2]).toMatch(/^fid\s+31\.5\s+≤ 30\.6 = baseline\.fid \* 1\.02 \(warn\)\s+warn$/);
    expect(lines[3]).toMatch(/^is_mean\s+2\.25\s+≥ 2\s+pass$/);
    expect(lines[4]).toMatch(/^kid_mean\s+0\.0125\s+≤ 0\.01\s+fail$/);
    expect(lines.at(-1)).toBe('gate FAILED: 4 bounds, 2 pass, 1 warn, 1 fail');
  });

  it('writes a Markdown table for the step summary', () => {
    const md = renderGateMarkdown(gate());
    expect(md).toContain('### gen-eval quality gate: ❌ failed');
    expect(md).toContain('| `fid` | 31.5 | ≤ 30.6 = `baseline.fid * 1.02` (warn) | ⚠️ warn |');
    expect(md).toContain('| `kid_mean` | 0.0125 | ≤ 0.01 | ❌ fail |');
    expect(md.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(4);
    const odd = evaluateGate(parseThresholds('{"a|b": {"max": 1}}', 'g.json'), metricsFromObject({ 'a|b': 0 }, 'r.json'));
    expect(renderGateMarkdown(odd)).toContain('| `a\\|b` |');
  });

  it('emits one annotation per failed or warned bound, escaped for GitHub', () => {
    const a = githubAnnotations(gate());
    expect(a).toHaveLength(2);
    expect(a[0]).toBe(
      '::warning title=gen-eval gate%3A fid.warn.max::fid = 31.5 is above the warn-level max 30.6 (baseline.fid * 1.02) [fid.warn.max] in results.json (thresholds: gates.json)',
    );
    expect(a[1]).toMatch(/^::error title=gen-eval gate%3A kid_mean\.max::kid_mean = 0\.0125 is above the max 0\.01 \[kid_mean\.max\]/);
    expect(escapeCommandData('50%\r\nx')).toBe('50%25%0D%0Ax');
    expect(escapeCommandProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeCommandProperty(s);
        expect(e).not.toMatch(/[\r\n:,]/);
        expect(decodeURIComponent(e.replace(/%(?![0-9A-F]{2})/g, '%25'))).toBe(s);
      }),
    );
  });

  // What GitHub's runner would execute: a line (split at CR or LF) starting with `::` after
  // blanks, or holding the legacy `##[` anywhere.
  const runnerLines = (text: string) => text.split(/\r\n|\r|\n/);
  const isCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[');
  // eslint-disable-next-line no-control-regex -- what must not reach a terminal raw
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('shows newlines, CR and ESC in names and expressions escaped, so no table line is a workflow command', () => {
    const g = evaluateGate(
      parseThresholds(
        JSON.stringify({
          'fid\n::error::INJECTED': { max: 1 },
          fid: { max: '40 # \r::stop-commands::tok' },
          '\u001b[31mred ##[error]x': { min: 5 },
          '::warning::lead': { max: 9 },
        }),
        'g.json',
      ),
      metricsFromObject({ 'fid\n::error::INJECTED': 5, fid: 1, '\u001b[31mred ##[error]x': 3, '::warning::lead': 1 }, 'r.json'),
    );
    const table = renderGateTable(g);
    expect(table).toMatch(/^fid\\n::error::INJECTED {5}5 /m);
    expect(table).toContain('≤ 40 = 40 # \\r::stop-commands::tok');
    expect(table).toContain('\\x1b[31mred ##\\x5berror]x  3 ');
    expect(table).toMatch(/^\\x3a:warning::lead {9}1 /m);
    for (const line of runnerLines(table)) {
      expect(isCommand(line), line).toBe(false);
      expect(line).not.toMatch(RAW_CONTROL);
    }
    const annotations = githubAnnotations(g);
    expect(annotations).toHaveLength(2);
    for (const a of annotations) {
      expect(runnerLines(a)).toEqual([a]);
      expect(a).toMatch(/^::(error|warning) title=gen-eval gate%3A [^:]*::/);
      expect(a).not.toContain('##[');
      expect(a).not.toMatch(RAW_CONTROL);
    }
  });

  it('no line of the table is a workflow command or holds a raw control character, whatever the names (property)', () => {
    const piece = fc.oneof(fc.constantFrom('\n', '\r', '\u001b', '\u009b', '\u2028', '\u202e', '::', ' ::', '##[', 'error', 'fid'), fc.string({ maxLength: 6 }));
    const name = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(name, fc.double({ noNaN: true, noDefaultInfinity: true }), (n, v) => {
        let g;
        try {
          g = evaluateGate(parseThresholds(JSON.stringify({ [n]: { max: 0 } }), 'g.json'), metricsFromObject({ [n]: v }, 'r.json'));
        } catch {
          return; // A name the thresholds refuse (e.g. "FID") never reaches a table.
        }
        for (const line of runnerLines(renderGateTable(g))) {
          expect(isCommand(line), line).toBe(false);
          expect(line).not.toMatch(RAW_CONTROL);
        }
        for (const a of githubAnnotations(g)) {
          expect(runnerLines(a)).toHaveLength(1);
          expect(a).not.toContain('##[');
        }
      }),
    );
  });

  it('writes JUnit XML: a test case per bound, failures for failed ones, warnings as passed with output', () => {
    const xml = renderJunit(gate());
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('<testsuite name="gen-eval quality gate" tests="4" failures="1" errors="0" skipped="0" time="0">');
    expect(xml).toContain('<testcase classname="gen-eval.gate.fid" name="fid.warn.max" time="0">\n      <system-out>WARNING: fid = 31.5 is above the warn-level max 30.6');
    expect(xml).not.toContain('<skipped');
    // It is well-formed: the yaml package is no XML parser, so check tags balance instead.
    const opens = (xml.match(/<(testsuites|testsuite|testcase|failure|system-out|properties)[ >]/g) ?? []).length;
    const closes = (xml.match(/<\/(testsuites|testsuite|testcase|failure|system-out|properties)>/g) ?? []).length;
    expect(opens).toBe(closes);
  });

  it('escapes XML so no user text breaks the document (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeXml(s)).not.toMatch(/[<>"'\n]|&(?!(amp|lt|gt|quot|apos|#10|#13);)/);
      }),
    );
  });

  it("gives a JSON object with every bound's outcome", () => {
    const j = gateToJson(gate()) as { bounds: { key: string; status: string }[] };
    expect(j).toMatchObject({ status: 'fail', passed: false, counts: { pass: 2, warn: 1, fail: 1 }, baseline: 'base.json', thresholds: 'gates.json' });
    expect(j.bounds.map((b) => `${b.key}:${b.status}`)).toEqual(['fid.max:pass', 'fid.warn.max:warn', 'is_mean.min:pass', 'kid_mean.max:fail']);
    expect(parseDocument(JSON.stringify(j)).errors).toHaveLength(0);
  });
});
