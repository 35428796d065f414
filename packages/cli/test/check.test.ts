/**
 * End-to-end tests of the CI quality gate: `gen-eval check` and `gen-eval eval --thresholds` —
 * exit codes, warnings, baseline expressions, YAML, the GitHub step summary and annotations, JUnit
 * XML, run directories — and the documented GitHub Actions workflow.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cliInProcess as cli, cliInProcessWith } from './cli-in-process.js';
import { cliWith, expectInputError, specFile, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-check-');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Writes `content` (JSON-encoded unless a string) to `name` in the temp folder; returns the path. */
function put(name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** JUnit counts, read with regular expressions: enough for the flat file the gate writes. */
function junitCounts(xml: string) {
  return {
    testcases: xml.match(/<testcase /g)?.length ?? 0,
    failures: xml.match(/<failure /g)?.length ?? 0,
    warnings: xml.match(/<system-out>WARNING: /g)?.length ?? 0,
    suite: /<testsuite [^>]*tests="(\d+)" failures="(\d+)"/.exec(xml)?.slice(1).map(Number),
  };
}

// An eval --json style result, with context keys that are not metrics.
const results = put('results.json', {
  fid: 31.5,
  kid_mean: 0.0125,
  kid_std: 0.002,
  is_mean: 2.3,
  precision: 0.61,
  metrics: ['fid', 'kid', 'is', 'pr'],
  details: { fid: { n1: 10 } },
  inputs: [],
  warnings: [],
});
const baseline = put('baseline.json', { fid: 30, kid_mean: 0.012, kid_std: 0.001, is_mean: 2.4 });
// GitHub Actions' variables must not leak in from a CI that runs these tests.
const noGithub = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };
// In-process (cli-in-process.ts): the gate's many cases without a node start each; the spawned
// smoke tests are the first verdict below, the first eval --thresholds case and the workflow's gate step.
const check = (...args: string[]) => cliInProcessWith({ env: noGithub }, 'check', ...args);

describe('gen-eval check: verdicts and exit codes', () => {
  it('exit 0 and a table when every bound holds (spawned)', () => {
    const gates = put('pass.json', { fid: { max: 40 }, is_mean: { min: 2.0 }, precision: { min: 0.5, max: 1 } });
    const r = cliWith({ env: noGithub }, 'check', results, '--thresholds', gates);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^metric\s+value\s+bound\s+result$/);
    expect(lines.slice(1, 5)).toEqual([
      expect.stringMatching(/^fid\s+31\.5\s+≤ 40\s+pass$/),
      expect.stringMatching(/^is_mean\s+2\.3\s+≥ 2\s+pass$/),
      expect.stringMatching(/^precision\s+0\.61\s+≥ 0\.5\s+pass$/),
      expect.stringMatching(/^precision\s+0\.61\s+≤ 1\s+pass$/),
    ]);
    expect(lines.at(-1)).toBe('gate passed: 4 bounds, 4 pass, 0 warn, 0 fail');
  });

  it('exit 1 when a bound fails, after printing the whole table', async () => {
    const gates = put('fail.json', { fid: { max: 30 }, is_mean: { min: 2.0 } });
    const r = await check(results, '--thresholds', gates);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fid\s+31\.5\s+≤ 30\s+fail$/m);
    expect(r.stdout).toMatch(/^is_mean\s+2\.3\s+≥ 2\s+pass$/m);
    expect(r.stdout).toMatch(/gate FAILED: 2 bounds, 1 pass, 0 warn, 1 fail/);
  });

  it('warn-only failures report but exit 0', async () => {
    const gates = put('warn.json', { fid: { max: 40, warn: { max: 31 } }, kid_mean: { warn: { max: 0.01 } } });
    const r = await check(results, '--thresholds', gates);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fid\s+31\.5\s+≤ 31 \(warn\)\s+warn$/m);
    expect(r.stdout).toMatch(/^kid_mean\s+0\.0125\s+≤ 0\.01 \(warn\)\s+warn$/m);
    expect(r.stdout).toMatch(/gate passed with warnings: 3 bounds, 1 pass, 2 warn, 0 fail/);
  });

  it('evaluates baseline expressions with mathjs', async () => {
    const gates = put('expr.json', {
      fid: { max: 'baseline.fid * 1.05', warn: { max: 'baseline.fid * 1.02' } }, // 31.5 vs 31.5 (pass) and 30.6 (warn)
      kid_mean: { max: 'baseline.kid_mean + 2 * baseline.kid_std' }, // 0.014: pass
      is_mean: { min: 'max(baseline.is_mean - 0.05, 2)' }, // 2.35: fail
    });
    const r = await check(results, '--thresholds', gates, '--baseline', baseline, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      status: string;
      passed: boolean;
      baseline: string;
      bounds: { key: string; limit: number; value: number; status: string; bound: string; level: string }[];
    };
    expect(out).toMatchObject({ status: 'fail', passed: false, baseline, counts: { pass: 2, warn: 1, fail: 1 } });
    expect(out.bounds.map((b) => [b.key, b.status])).toEqual([
      ['fid.max', 'pass'],
      ['fid.warn.max', 'warn'],
      ['kid_mean.max', 'pass'],
      ['is_mean.min', 'fail'],
    ]);
    expect(out.bounds[0]).toMatchObject({ bound: 'baseline.fid * 1.05', limit: 31.5, value: 31.5, level: 'error' });
    expect(out.bounds[1]!.level).toBe('warn');
    expect(out.bounds[3]!.limit).toBeCloseTo(2.35, 12);
  });

  it('reads YAML thresholds', async () => {
    const gates = put('gates.yaml', '# comment\nfid:\n  max: baseline.fid * 1.1\n  warn: {max: 32}\nis_mean:\n  min: 2\n');
    const r = await check(results, '--thresholds', gates, '--baseline', baseline);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fid\s+31\.5\s+≤ 33 = baseline\.fid \* 1\.1\s+pass$/m);
  });

  it('gates a run directory written by gen-eval train (its summary.json)', async () => {
    const run = join(dir, 'runs', 'ns-gan-ring-seed0');
    put('runs/ns-gan-ring-seed0/config.json', { format: 'gen-eval-run', version: 1, model: 'ns-gan', data: { name: 'ring' }, seed: 0 });
    put('runs/ns-gan-ring-seed0/summary.json', {
      model: 'ns-gan',
      data: { name: 'ring' },
      steps: 500,
      wall_seconds: 3,
      metrics: { modes_covered: 7, high_quality: 0.9, reverse_kl: null, sliced_w: 0.05 },
    });
    const gates = put('run-gates.yaml', 'modes_covered: {min: 8, warn: {min: 8}}\nsliced_w: {max: 0.1}\n');
    const r = await check(run, '--thresholds', gates);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^modes_covered\s+7\s+≥ 8\s+fail$/m);
    expect(r.stdout).toMatch(/^sliced_w\s+0\.05\s+≤ 0\.1\s+pass$/m);
    // A run directory works as the baseline too, and so does a summary.json itself.
    const rel = put('rel.yaml', 'modes_covered: {min: baseline.modes_covered - 1}\n');
    expect((await check(join(run, 'summary.json'), '--thresholds', rel, '--baseline', run)).code).toBe(0);
    // A null metric is fine until a bound needs it.
    expectInputError(await check(run, '--thresholds', put('rkl.json', { reverse_kl: { max: 1 } })), join(run, 'summary.json'), /"reverse_kl" is not a finite number \(null\)$/);
  });
});

describe('gen-eval check: invalid input is exit 2 with one line', () => {
  const gates = put('ok.json', { fid: { max: 40 } });

  const cases: [string, string, RegExp][] = [
    ['unknown-key.json', '{"fid": {"max": 40, "mx": 3}}', /"fid\.mx": unknown key; a bound may have min, max, warn$/],
    ['no-bound.json', '{"fid": {}}', /"fid": a bound needs "min" or "max"/],
    ['no-parse.json', '{"fid": {"max": "baseline.fid *"}}', /"fid\.max": expression "baseline\.fid \*" does not parse: /],
    ['not-number.json', '{"fid": {"max": [40]}}', /"fid\.max": must be a number or an expression string/],
    ['code.json', '{"fid": {"max": "import({x: 1})"}}', /"fid\.max": expression .* function "import" is not allowed/],
    ['not-json.json', '{"fid": {"max": 40,}', /not valid JSON: /],
    ['not-yaml.yaml', 'fid: {max: 40\n', /not valid YAML: line \d+, column \d+: Flow map/],
    ['binary.yml', '\u0000\u0001\u0002', /neither JSON nor YAML \(binary data\)$/],
    ['scalar.yaml', 'just words\n', /expected a mapping of metric → bounds/],
    ['min-max.json', '{"fid": {"min": 50, "max": 40}}', /"fid": min 50 is above max 40, so no value can pass$/],
    [
      'missing-metric.json',
      '{"coverage": {"min": 0.5}}',
      /"coverage\.min": the results \(.*results\.json\) have no metric "coverage"; they have fid, kid_mean, kid_std, is_mean, precision$/,
    ],
  ];
  // One test per case: a slow machine should not time out the lot.
  it.each(cases)('names the thresholds file, the key and the problem: %s', async (name, text, problem) => {
    const file = put(name, text);
    expectInputError(await check(results, '--thresholds', file), file, problem);
  });

  it('names unknown or missing baseline keys', async () => {
    const file = put('typo.json', { fid: { max: 'baseline.fdi * 1.05' } });
    expectInputError(
      await check(results, '--thresholds', file, '--baseline', baseline),
      file,
      /^gen-eval: .*typo\.json: "fid\.max": expression "baseline\.fdi \* 1\.05" names unknown baseline key "fdi"/,
    );
    expectInputError(await check(results, '--thresholds', file), file, /uses baseline\.fdi, but no baseline was given \(--baseline FILE\)$/);
  });

  it('names results without any metric, or with a non-finite one', async () => {
    const noMetric = put('no-metric.json', { details: {}, warnings: [] });
    expectInputError(await check(noMetric, '--thresholds', gates), noMetric, /no metric found/);
    expectInputError(await check(results, '--thresholds', gates, '--baseline', noMetric), noMetric, /no metric found/);
    const notFinite = put('null-fid.json', { fid: null, kid_mean: 1 });
    expectInputError(await check(notFinite, '--thresholds', gates), notFinite, /"fid" is not a finite number \(null\)$/);
  });

  it('names results that cannot be read', async () => {
    const broken = put('broken.json', '{"fid": ');
    expectInputError(await check(broken, '--thresholds', gates), broken, /not JSON: /);
    expectInputError(await check(join(dir, 'nope.json'), '--thresholds', gates), join(dir, 'nope.json'), /no such file or folder$/);
    mkdirSync(join(dir, 'not-a-run'), { recursive: true });
    expectInputError(await check(join(dir, 'not-a-run'), '--thresholds', gates), join(dir, 'not-a-run'), /not a run directory \(no summary\.json\)/);
    expectInputError(await check(results, '--thresholds', join(dir, 'none.yaml')), join(dir, 'none.yaml'), /no such file$/);
  });

  it('refuses ambiguous or mistyped results, a warn bound that could never show, and a YAML alias bomb', async () => {
    const ambiguous = put('ambiguous.json', { fid: 100, metrics: { fid: 1 } });
    expectInputError(
      await check(ambiguous, '--thresholds', gates),
      ambiguous,
      /"fid" is both a top-level key \(100\) and a key of "metrics" \(1\): which one is the metric is ambiguous/,
    );
    const stringly = put('string-fid.json', { fid: '2.0', kid_mean: 1 });
    expectInputError(await check(stringly, '--thresholds', gates), stringly, /"fid" is a string \("2\.0"\), not a number$/);
    const loose = put('loose-warn.json', { fid: { max: 10, warn: { max: 20 } } });
    expectInputError(await check(results, '--thresholds', loose), loose, /"fid\.warn\.max": 20 is above "fid\.max" 10, so the warning can never show/);
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
          .fill(`*${'abcdefghi'[i - 1]}`)
          .join(', ')}]`,
      );
    const bomb = put('bomb.yaml', `${levels.join('\n')}\nfid: {max: 40}\n`);
    expectInputError(await check(results, '--thresholds', bomb), bomb, /not valid YAML: its aliases expand too far/);
  });

  it('refuses a JUnit path in a missing folder before doing anything', async () => {
    const out = join(dir, 'missing', 'junit.xml');
    expectInputError(await check(results, '--thresholds', gates, '--junit', out), out, /the folder .*missing does not exist$/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('gen-eval check: CI outputs', () => {
  const gates = put('ci.json', { fid: { max: 30, warn: { max: 29 } }, is_mean: { min: 2 }, kid_mean: { warn: { max: 0.01 } } });

  it('appends a Markdown table to GITHUB_STEP_SUMMARY', async () => {
    const summary = put('step-summary.md', '## earlier step\n\n');
    const r = await cliInProcessWith({ env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: '' } }, 'check', results, '--thresholds', gates);
    expect(r.code).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('## earlier step\n\n### gen-eval quality gate: ❌ failed\n')).toBe(true);
    expect(md).toContain('| Metric | Value | Bound | Result |');
    expect(md).toContain('| `fid` | 31.5 | ≤ 30 | ❌ fail |');
    expect(md).toContain('| `fid` | 31.5 | ≤ 29 (warn) | ⚠️ warn |');
    expect(md).toContain('| `is_mean` | 2.3 | ≥ 2 | ✅ pass |');
    expect(md.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(4);
    // A second gate appends, it does not replace.
    await cliInProcessWith({ env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: '' } }, 'check', results, '--thresholds', gates);
    expect(readFileSync(summary, 'utf8').match(/### gen-eval quality gate/g)).toHaveLength(2);
  });

  it('prints an annotation per failed or warned bound when GITHUB_ACTIONS=true', async () => {
    const r = await cliInProcessWith({ env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' } }, 'check', results, '--thresholds', gates);
    expect(r.code).toBe(1);
    const cmds = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(cmds).toHaveLength(3);
    expect(cmds[0]).toMatch(/^::error title=gen-eval gate%3A fid\.max::fid = 31\.5 is above the max 30 \[fid\.max\] in .*results\.json \(thresholds: .*ci\.json\)$/);
    expect(cmds[1]).toMatch(/^::warning title=gen-eval gate%3A fid\.warn\.max::fid = 31\.5 is above the warn-level max 29 /);
    expect(cmds[2]).toMatch(/^::warning title=gen-eval gate%3A kid_mean\.warn\.max::/);
    // Not under GitHub Actions: no workflow commands.
    expect((await check(results, '--thresholds', gates)).stdout).not.toMatch(/^::/m);
  });

  it('escapes % and newlines in annotations, as GitHub requires', async () => {
    const odd = put('odd%\nname.json', { fid: 99 });
    const r = await cliInProcessWith({ env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' } }, 'check', odd, '--thresholds', put('odd-gates.json', { fid: { max: 1 } }));
    const cmd = r.stdout.split('\n').find((l) => l.startsWith('::error'))!;
    expect(cmd).toContain('odd%25%0Aname.json');
  });

  it('with --json, keeps stdout one JSON object and moves annotations to stderr', async () => {
    const r = await cliInProcessWith({ env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' } }, 'check', results, '--thresholds', gates, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { bounds: unknown[]; warnings: unknown[] };
    expect(out.bounds).toHaveLength(4);
    expect(r.stderr.split('\n').filter((l) => /^::(error|warning) /.test(l))).toHaveLength(3);
  });

  // What GitHub's runner executes: a line (split at CR or LF, as it reads them) starting with `::`
  // after blanks, or holding the legacy `##[` anywhere.
  const runnerLines = (text: string) => text.split(/\r\n|\r|\n/);
  const commandsIn = (text: string) => runnerLines(text).filter((l) => /^\s*::/.test(l) || l.includes('##['));
  // eslint-disable-next-line no-control-regex -- what must not reach the log raw
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const hostileNames = ['fid\n::error::INJECTED', 'x\r::stop-commands::tok', '\u001b[31mred\u2028::error::LS', 'j ##[error]J'];

  it('under GitHub Actions, names and expressions from the files forge no workflow command (table, annotations, --json)', async () => {
    const hostile = put('hostile-results.json', { fid: 1, ...Object.fromEntries(hostileNames.map((n) => [n, 5])) });
    const hostileGates = put('hostile-gates.json', {
      fid: { max: '40 # \r::warning::EXPR' }, // a mathjs comment
      ...Object.fromEntries(hostileNames.map((n, i) => [n, i % 2 === 0 ? { max: 1 } : { warn: { max: 1 } }])),
    });
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' };
    const r = await cliInProcessWith({ env }, 'check', hostile, '--thresholds', hostileGates);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^fid\\n::error::INJECTED +5 /m);
    expect(r.stdout).toContain('40 # \\r::warning::EXPR');
    // The only workflow commands are the gate's own annotations: two errors, two warnings.
    const cmds = commandsIn(r.stdout + r.stderr);
    expect(cmds.map((c) => /^::(error|warning) title=gen-eval gate%3A /.exec(c)?.[1])).toEqual(['error', 'warning', 'error', 'warning']);
    for (const c of cmds) expect(c.slice(2)).not.toContain('##[');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    // --json: the same names come back intact from valid JSON, on a line no runner executes.
    const j = await cliInProcessWith({ env }, 'check', hostile, '--thresholds', hostileGates, '--json');
    expect(commandsIn(j.stdout)).toEqual([]);
    expect(j.stdout).not.toMatch(RAW_CONTROL);
    const out = JSON.parse(j.stdout) as { bounds: { metric: string; bound: string }[] };
    expect(out.bounds.map((b) => b.metric)).toEqual(['fid', ...hostileNames]);
    expect(out.bounds[0]!.bound).toBe('40 # \r::warning::EXPR');
  });

  it('errors echo names escaped and long input cut, on one line', async () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' };
    const missing = put('hostile-missing.json', { 'nope\r\n::error::E': { max: 1 } });
    const r = await cliInProcessWith({ env }, 'check', results, '--thresholds', missing);
    expectInputError(r, missing, /^gen-eval: .*: "nope\\r\\n::error::E\.max": the results .* have no metric "nope\\r\\n::error::E"; they have /);
    expect(commandsIn(r.stderr)).toEqual([]);
    const long = put('long-expr.json', { fid: { max: `${'1 + '.repeat(50_000)}1` } });
    const l = await check(results, '--thresholds', long);
    expectInputError(l, long, /: "fid\.max": expression "1 \+ 1 \+ [ +1]*…" \(200001 characters\) is 200001 characters long; a bound expression may have at most 1000$/);
    expect(l.stderr.length).toBeLessThan(400);
    // Commander's usage errors quote the argument too.
    const u = await cliInProcessWith({ env }, 'check', results, '--thresholds', missing, '--x\r::error::C\u001b[2J');
    expectInputError(u, null, /unknown option '--x\\r::error::C\\x1b\[2J'/);
    expect(commandsIn(u.stderr)).toEqual([]);
  });

  it('writes JUnit XML: one test case per bound, a failure per failed one', async () => {
    const junit = join(dir, 'junit.xml');
    const r = await check(results, '--thresholds', gates, '--junit', junit);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(junitCounts(xml)).toEqual({ testcases: 4, failures: 1, warnings: 2, suite: [4, 1] });
    expect(xml).toContain('<testcase classname="gen-eval.gate.fid" name="fid.max" time="0">\n      <failure type="threshold" message="fid = 31.5 is above the max 30 [fid.max]">');
    // Passing gate: no failure, and the file is replaced whole.
    expect((await check(results, '--thresholds', put('junit-pass.json', { fid: { max: 40 } }), '--junit', junit)).code).toBe(0);
    expect(junitCounts(readFileSync(junit, 'utf8'))).toEqual({ testcases: 1, failures: 0, warnings: 0, suite: [1, 0] });
  });
});

describe('gen-eval eval --thresholds', () => {
  const real = specFile(dir, 'real.npy', { seed: 1, n: 300, d: 8, scale: 1, shift: 0 });
  const fake = specFile(dir, 'fake.npy', { seed: 2, n: 300, d: 8, scale: 1.2, shift: 0.3 });

  it('prints the result, then the gate table, and exits 1 when a bound fails (spawned)', async () => {
    const plain = JSON.parse((await cli('eval', real, fake, '--metrics', 'fid,pr', '--json')).stdout) as { fid: number; precision: number };
    const gates = put('eval-gates.json', { fid: { max: plain.fid / 2 }, precision: { min: 0 } });
    const junit = join(dir, 'eval-junit.xml');
    const r = cliWith({ env: noGithub }, 'eval', real, fake, '--metrics', 'fid,pr', '--thresholds', gates, '--junit', junit);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fid: \d+\.\d{6}\nprecision: .*\nrecall: .*\n\nmetric\s+value\s+bound\s+result\nfid\s/);
    expect(r.stdout).toMatch(/^fid\s+\S+\s+≤ \S+\s+fail$/m);
    expect(junitCounts(readFileSync(junit, 'utf8'))).toMatchObject({ testcases: 2, failures: 1 });
  });

  it('with --json, one object with the result and a gate key; a baseline works as in check', async () => {
    const base = put('eval-base.json', (await cli('eval', real, fake, '--metrics', 'fid', '--json')).stdout);
    const gates = put('eval-rel.yaml', 'fid:\n  max: baseline.fid * 1.05\n  warn: {max: baseline.fid * 0.5}\n');
    const r = await cliInProcessWith({ env: noGithub }, 'eval', real, fake, '--metrics', 'fid', '--thresholds', gates, '--baseline', base, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { fid: number; metrics: string[]; gate: { status: string; passed: boolean; bounds: { key: string; status: string }[] } };
    expect(out.metrics).toEqual(['fid']);
    expect(out.gate).toMatchObject({ status: 'warn', passed: true });
    expect(out.gate.bounds.map((b) => `${b.key}:${b.status}`)).toEqual(['fid.max:pass', 'fid.warn.max:warn']);
  });

  it('rejects a bad thresholds file before computing, and a bound on a metric not computed', async () => {
    const typo = put('eval-typo.json', { fid: { max: 'baseline.fdi' } });
    expectInputError(await cli('eval', real, fake, '--thresholds', typo, '--baseline', put('eval-b.json', { fid: 1 })), typo, /names unknown baseline key "fdi"/);
    const other = put('eval-other.json', { kid_mean: { max: 1 } });
    expectInputError(
      await cli('eval', real, fake, '--metrics', 'fid', '--thresholds', other),
      other,
      /"kid_mean\.max": the results \(the eval result\) have no metric "kid_mean"; they have fid$/,
    );
    const r = await cli('eval', real, fake, '--junit', join(dir, 'x.xml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need --thresholds/);
  });
});

describe('the GitHub Actions example (docs/)', () => {
  const workflowText = readFileSync(join(ROOT, 'docs/examples/quality-gate.yml'), 'utf8');
  const workflow = parseYaml(workflowText) as { on: unknown; jobs: Record<string, { 'runs-on': string; steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const runs = steps.flatMap((s) => (s.run ? [s.run] : []));

  /** Each `gen-eval …` invocation in the run lines, as its words up to a shell operator. */
  const invocations = runs.flatMap((r) => [...r.matchAll(/gen-eval\s+([^\n|;&>]*)/g)].map((m) => m[1]!.trim().split(/\s+/)));

  it('is the same text as the yaml block of docs/github-actions.md', () => {
    const md = readFileSync(join(ROOT, 'docs/github-actions.md'), 'utf8');
    const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(workflowText);
  });

  it('installs, runs gen-eval with --thresholds and --json, and uploads the reports', () => {
    expect(workflow.on).toBeTruthy();
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(true);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /npx gen-eval eval .*--thresholds .*--json/s.test(r))).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toMatch(/gen-eval-junit\.xml/);
  });

  it('uses only real gen-eval commands and options, and names files that exist', async () => {
    expect(invocations.length).toBeGreaterThan(0);
    for (const [cmd, ...args] of invocations) {
      const help = await cli(cmd!, '--help');
      expect(help.code, `gen-eval ${cmd} --help`).toBe(0);
      for (const opt of args.filter((a) => a.startsWith('--'))) expect(help.stdout, `gen-eval ${cmd} ${opt}`).toContain(opt.split('=')[0]);
      for (const opt of ['--thresholds', '--baseline']) {
        const i = args.indexOf(opt);
        if (i < 0) continue;
        const file = args[i + 1]!;
        if (opt === '--thresholds') expect(file.startsWith('docs/examples/'), file).toBe(true);
        expect(existsSync(join(ROOT, file)), file).toBe(true);
      }
    }
  });

  it('its gate step passes on the files it names', () => {
    for (const [cmd, ...args] of invocations) {
      if (cmd !== 'eval' && cmd !== 'check') continue;
      // Run from the repository root, as the workflow does; the JUnit file goes to the temp folder.
      const i = args.indexOf('--junit');
      if (i >= 0) args[i + 1] = join(dir, 'workflow-junit.xml');
      const r = spawnSync(process.execPath, [CLI, cmd, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...noGithub } });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { gate: { passed: boolean; bounds: unknown[] } };
      expect(out.gate.passed).toBe(true);
      expect(junitCounts(readFileSync(join(dir, 'workflow-junit.xml'), 'utf8')).testcases).toBe(out.gate.bounds.length);
    }
  }, 180_000); // the real feature files: KID's 100 subsets take a while on a busy 2-core machine
});
