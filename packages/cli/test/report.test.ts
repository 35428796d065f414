/** `gen-eval report` end to end: the built CLI on small hand-written run folders and result files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ringMixture, sampleMixture, writeNpy } from '@gen-eval/metrics';
import { runPaths } from '@gen-eval/metrics/runs';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-report-');

/** A run folder in the format of docs/run-format.md: 3 evaluations, samples, summary. */
function fakeRun(path: string, model: string, opts: { corruptLine?: number; evalSamples?: number } = {}): string {
  const n = opts.evalSamples ?? 200;
  mkdirSync(join(path, 'samples'), { recursive: true });
  writeFileSync(
    join(path, 'config.json'),
    JSON.stringify({
      format: 'gen-eval-run',
      version: 1,
      model,
      title: model,
      data: { name: 'ring-easy' },
      hp: { batchSize: 64, lr: 1e-3 },
      seed: 0,
      steps: 300,
      timeBudget: null,
      evalEvery: 100,
      evalSamples: n,
      backend: { requested: 'auto', choice: 'cpu', skipped: [] },
      versions: {},
      created: '2026-01-01T00:00:00Z',
    }),
  );
  const lines: string[] = [];
  for (const step of [100, 200, 300]) {
    const pts = sampleMixture(ringMixture({ radius: 2, sigma: 0.05 }), n, step, { modes: [0, 1, 2, 3] });
    writeNpy(runPaths(path).sample(step), new Float32Array(pts.data), [n, 2]);
    for (const [metric, value] of Object.entries({ modes_covered: 4, high_quality: step / 400, sliced_w: 1 / step, g_loss: 0.7 })) {
      lines.push(JSON.stringify({ step, elapsed: step / 50, metric, value }));
    }
  }
  if (opts.corruptLine) lines[opts.corruptLine - 1] = '{"step": 100, "metric": ';
  writeFileSync(join(path, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(path, 'summary.json'),
    JSON.stringify({
      model,
      data: 'ring-easy',
      backend: 'cpu',
      steps: 300,
      wall_seconds: 6,
      steps_per_second: 50,
      eval_seconds: 1,
      metrics: { modes_covered: 4, high_quality: 0.75, sliced_w: 1 / 300, g_loss: 0.7 },
      interrupted: false,
    }),
  );
  return path;
}

function fakeResult(path: string, fid: number, extractor = 'inception'): string {
  const input = (p: string) => ({ path: p, kind: 'images', n: 500, extractor, profile: 'clean' });
  writeFileSync(path, JSON.stringify({ fid, kid_mean: 0.02, kid_std: 0.003, metrics: ['fid', 'kid'], inputs: [input('real'), input('fake')], warnings: [] }));
  return path;
}

const runs = join(dir, 'runs');
const a = fakeRun(join(runs, 'gan-a'), 'gan');
const b = fakeRun(join(runs, 'ddpm-b'), 'ddpm');
const res = fakeResult(join(dir, 'eval.json'), 20.5);

describe('gen-eval report', () => {
  it('writes the page and both CSV files from runs and a result file', () => {
    const out = join(dir, 'report.html');
    const r = cli('report', a, b, res, '-o', out, '--title', 'My runs', '--csv', join(dir, 't.csv'), '--csv-rows', join(dir, 'rows.csv'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ output: out, runs: 2, results: 1, comparable: true, warnings: [] });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>My runs</title>');
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(3 + 1 + 2 * 2);
    expect(readFileSync(join(dir, 't.csv'), 'utf8').split('\n')[1]).toMatch(/^gan-a,run,/);
    const rows = readFileSync(join(dir, 'rows.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('run,step,metric,value');
    expect(rows).toHaveLength(1 + 2 * 12 + 3); // header, 12 records per run, fid/kid_mean/kid_std of the result
  });

  it('takes a parent folder of runs and an unexpanded glob', () => {
    for (const input of [runs, join(runs, '*')]) {
      const r = cli('report', input, '-o', join(dir, 'glob.html'), '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).entries.map((e: { label: string }) => e.label)).toEqual(['ddpm-b', 'gan-a']);
    }
  });

  it('warns on stderr and on the page when results are not comparable', () => {
    const other = fakeResult(join(dir, 'dino.json'), 3.1, 'onnx@0badcafe:224x224:nchw:imagenet:features');
    const out = join(dir, 'mixed.html');
    const r = cli('report', res, other, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^gen-eval: warning: not comparable: results used different feature extractors: inception \(eval\) vs onnx@0badcafe/m);
    expect(readFileSync(out, 'utf8')).toContain('role="alert"');
  });
});

describe('gen-eval report: hostile names and misleading inputs', () => {
  it('CSV cells that would open as formulas get a leading quote, in the files and the page links', () => {
    const evil = fakeRun(join(dir, 'hostile', '=HYPERLINK("evil.example","click")'), "+cmd|'-C calc'!A0");
    writeFileSync(join(evil, 'metrics.jsonl'), `${JSON.stringify({ step: 1, elapsed: 1, metric: '=1+1', value: -3.5 })}\n`);
    const out = join(dir, 'hostile.html');
    const r = cli('report', evil, '-o', out, '--csv', join(dir, 'h.csv'), '--csv-rows', join(dir, 'h-rows.csv'));
    expect(r.code, r.stderr).toBe(0);
    const table = readFileSync(join(dir, 'h.csv'), 'utf8');
    const rows = readFileSync(join(dir, 'h-rows.csv'), 'utf8');
    expect(table.split('\n')[1]).toMatch(/^"'=HYPERLINK\(""evil\.example"",""click""\)",run,.*,'\+cmd\|'-C calc'!A0,/);
    expect(rows.split('\n')[1]).toBe(`"'=HYPERLINK(""evil.example"",""click"")",1,'=1+1,-3.5`);
    const links = [...readFileSync(out, 'utf8').matchAll(/href="data:text\/csv;charset=utf-8;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString());
    expect(links).toEqual([table, rows]);
  });

  it('results of different feature dimensions are not called comparable', () => {
    const result = (name: string, dims: number) => {
      const path = join(dir, `${name}.json`);
      const details = { fid: { method: 'cholesky-eigh', epsilon_added: 0, n1: 200, n2: 200, dims } };
      writeFileSync(
        path,
        JSON.stringify({
          fid: dims / 10,
          metrics: ['fid'],
          details,
          inputs: [
            { path: 'real.npy', kind: 'features' },
            { path: 'fake.npy', kind: 'features' },
          ],
        }),
      );
      return path;
    };
    const out = join(dir, 'dims.html');
    const r = cli('report', result('dims16', 16), result('dims8', 8), '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).comparable).toBe(false);
    expect(r.stderr).toBe('gen-eval: warning: not comparable: results used different feature dimensions: 16 (dims16) vs 8 (dims8) — fid not ranked\n');
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('✓ Comparable');
    expect(html).not.toContain('class="star"');
  });

  it("a run's summary.json is that run", () => {
    const r = cli('report', join(a, 'summary.json'), '-o', join(dir, 'summary.html'), '--csv', join(dir, 'summary.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).entries).toEqual([{ label: 'gan-a', kind: 'run', path: a, diverged: null }]);
    const header = readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n')[0]!;
    expect(header.match(/wall_seconds/g)).toHaveLength(1);
  });

  it('a diverged run is marked in --json, on stderr and on the page', () => {
    const run = fakeRun(join(dir, 'diverging', 'lr-1e6'), 'gan');
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    writeFileSync(join(run, 'summary.json'), JSON.stringify({ ...summary, diverged: { step: 200, reason: 'd_loss is NaN' } }));
    const out = join(dir, 'diverged.html');
    const r = cli('report', run, a, '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).entries[0]).toEqual({ label: 'lr-1e6', kind: 'run', path: run, diverged: { step: 200, reason: 'd_loss is NaN' } });
    expect(r.stderr).toBe('gen-eval: warning: lr-1e6 diverged at step 200 (d_loss is NaN): never ranked\n');
    expect(readFileSync(out, 'utf8')).toContain('>diverged</span>');
  });
});

describe('gen-eval report: bad input (exit 2, one line, nothing written)', () => {
  const out = join(dir, 'bad.html');

  it('a folder that is not a run', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expectInputError(cli('report', empty, '-o', out), empty, /not a gen-eval run/);
    expect(existsSync(out)).toBe(false);
  });

  it('a corrupt metrics.jsonl line names file and line; --skip-bad renders the other runs', () => {
    const bad = fakeRun(join(dir, 'corrupt', 'broken'), 'gan', { corruptLine: 2 });
    expectInputError(cli('report', bad, a, '-o', out), `${join(bad, 'metrics.jsonl')}:2`, /not a JSON object/);
    expect(existsSync(out)).toBe(false);
    const r = cli('report', bad, a, '-o', out, '--skip-bad');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`gen-eval: warning: left out: ${join(bad, 'metrics.jsonl')}:2: not a JSON object\n`);
    expect(readFileSync(out, 'utf8')).toContain('gan-a');
  });

  it('results without any metric', () => {
    const none = join(dir, 'none.json');
    writeFileSync(none, JSON.stringify({ metric: 'kid', n_real: 5, seed: 1 }));
    expectInputError(cli('report', none, '-o', join(dir, 'none.html')), none, /no metric/);
  });

  it('an output path in a missing folder', () => {
    const missing = join(dir, 'no-such-folder', 'r.html');
    expectInputError(cli('report', a, '-o', missing), missing, /folder .* does not exist/);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
