import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliWith, tempDir } from './golden-cli.js';

const MODELS = ['gan', 'ns-gan', 'wgan-gp', 'ddpm'];

describe('gen-eval demo --quick', () => {
  it('evaluates the shipped features, trains four generators, gates them and writes a report (JSON)', () => {
    const out = tempDir('gen-eval-demo-json-');
    const r = cliWith({ timeout: 170_000 }, 'demo', '--quick', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // --json: no progress
    const res = JSON.parse(r.stdout) as {
      features: Record<string, number>;
      runs: { model: string; dir: string; steps: number; metrics: Record<string, number> }[];
      gates: { model: string; gate: { status: string; bounds: unknown[] } }[];
      report: string;
      warnings: string[];
    };
    // The generated feature set keeps 7 of 10 classes, so the IS sits just under 7, and it is
    // noisier, so FID is far from 0 and recall/coverage fall short of the kept share.
    expect(res.features.is_mean).toBeGreaterThan(6);
    expect(res.features.is_mean).toBeLessThan(7);
    expect(res.features.fid).toBeGreaterThan(10);
    expect(res.features.kid_mean).toBeGreaterThan(0);
    expect(res.features.recall).toBeLessThan(0.75);
    expect(res.features.coverage).toBeLessThan(0.75);
    expect(res.warnings).toEqual([]);
    expect(res.runs.map((x) => x.model)).toEqual(MODELS);
    for (const run of res.runs) {
      expect(run.steps).toBeGreaterThan(0);
      expect(run.dir).toBe(join(out, 'runs', run.model));
      for (const k of ['modes_covered', 'high_quality', 'sliced_w', 'mmd']) expect(run.metrics).toHaveProperty(k);
      expect(existsSync(join(run.dir, 'summary.json'))).toBe(true);
    }
    expect(res.gates.map((g) => g.model)).toEqual(MODELS);
    for (const g of res.gates) {
      expect(['pass', 'warn', 'fail']).toContain(g.gate.status);
      expect(g.gate.bounds.length).toBeGreaterThanOrEqual(3);
    }
    expect(res.report).toBe(join(out, 'report.html'));
    const html = readFileSync(res.report, 'utf8');
    expect(html).toContain('<svg');
    for (const m of MODELS) expect(html).toContain(m);
  }, 180_000);

  it('shows progress on stderr and says where the runs and the report are', () => {
    const out = tempDir('gen-eval-demo-human-');
    const r = cliWith({ timeout: 170_000 }, 'demo', '--quick', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\/4 metrics on shipped features: .*real\.npy vs fake\.npy/);
    expect(r.stdout).toMatch(/FID: +\d+\.\d{4}\n +IS: +\d/);
    expect(r.stdout).toMatch(/3\/4 quality gate .*gates\.yaml/);
    for (const m of MODELS) expect(r.stdout).toMatch(new RegExp(`\\n    ${m} +(PASS|WARN|FAIL) `));
    expect(r.stdout).toContain(`report: ${join(out, 'report.html')}`);
    expect(r.stdout).toMatch(/open it in any browser \(works offline\): file:\/\//);
    for (const m of MODELS) expect(r.stderr).toContain(`training ${m} on ring-easy (`);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 180_000);

  it('refuses an --out that is not an existing folder, writing nothing', () => {
    const r = cli('demo', '--quick', '--out', '/nonexistent/demo');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\/nonexistent\/demo: cannot write the demo there: not an existing folder/);
  });
});
