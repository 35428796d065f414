/**
 * A CI job that only gates (`gen-eval check`) or draws a report needs no TensorFlow: those two
 * commands never import @gen-eval/models (which brings TensorFlow.js) beyond its TensorFlow-free
 * catalog of names — statically, through their lazily imported command modules, and at run time,
 * in a node where the rest of the package and TensorFlow are made absent.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ringMixture, sampleMixture, writeNpy } from '@gen-eval/metrics';
import { runPaths } from '@gen-eval/metrics/runs';
import { forbidModulesOption } from '@gen-eval/metrics/testing';
import { describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './golden-cli.js';
import { importGraph, reachable } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = tempDir('gen-eval-no-tf-');
// The CLI's option choices come from @gen-eval/models/catalog, a TensorFlow-free list of names.
const without = {
  NODE_OPTIONS: forbidModulesOption(/@gen-eval\/models(?!\/catalog)|@tensorflow\/|[\\/]node_modules[\\/]@tensorflow[\\/]/),
  GITHUB_ACTIONS: '',
  GITHUB_STEP_SUMMARY: '',
};

/** A small finished run of the ring-easy mixture (docs/run-format.md), as `gen-eval train` leaves it. */
function run(path: string): string {
  const paths = runPaths(path);
  mkdirSync(paths.samples, { recursive: true });
  const config = { format: 'gen-eval-run', version: 1, model: 'gan', title: 'gan', data: { name: 'ring-easy' }, hp: { batchSize: 64, lr: 1e-3 }, seed: 0, steps: 200 };
  writeFileSync(
    paths.config,
    JSON.stringify({
      ...config,
      timeBudget: null,
      evalEvery: 100,
      evalSamples: 100,
      backend: { requested: 'auto', choice: 'cpu', skipped: [] },
      versions: {},
      created: '2026-01-01T00:00:00Z',
    }),
  );
  const lines: string[] = [];
  for (const step of [100, 200]) {
    writeNpy(paths.sample(step), new Float32Array(sampleMixture(ringMixture({ radius: 2, sigma: 0.05 }), 100, step).data), [100, 2]);
    lines.push(JSON.stringify({ step, elapsed: step / 50, metric: 'modes_covered', value: 8 }));
  }
  writeFileSync(paths.metrics, `${lines.join('\n')}\n`);
  const metrics = { modes_covered: 8 };
  writeFileSync(
    paths.summary,
    JSON.stringify({ model: 'gan', data: 'ring-easy', backend: 'cpu', steps: 200, wall_seconds: 4, steps_per_second: 50, eval_seconds: 1, metrics, interrupted: false }),
  );
  return path;
}

describe('check and report run without TensorFlow', () => {
  it('their command modules cannot reach @gen-eval/models', () => {
    const graph = importGraph(ROOT);
    const cli = join('packages', 'cli', 'src', 'cli.ts');
    const commands = join('packages', 'cli', 'src', 'commands');
    // cli.ts imports every command module lazily (import() in its action), and nothing else of them.
    expect(readFileSync(join(ROOT, cli), 'utf8')).not.toMatch(/^import[^;]*from '\.\/commands\//m);
    const eager = graph.get(cli)!.files.filter((f) => !f.startsWith(commands));
    const { files, external } = reachable(graph, [...eager, join(commands, 'check.ts'), join(commands, 'report.ts')]);
    expect(files.has(join('packages', 'report', 'src', 'read-run.ts'))).toBe(true);
    // Of the models package, only the catalog (names for the options' choices and help) and what it needs.
    const catalog = reachable(graph, [join('packages', 'models', 'src', 'catalog.ts')]).files;
    expect([...files].filter((f) => f.startsWith(join('packages', 'models')) && !catalog.has(f))).toEqual([]);
    expect([...external].filter((e) => e.startsWith('@gen-eval/'))).toEqual([]);
    // The control: train's command module does reach it.
    expect([...reachable(graph, [join('packages', 'cli', 'src', 'commands', 'train.ts')]).files].some((f) => f.startsWith(join('packages', 'models')))).toBe(true);
  });

  it('gen-eval check gates a run, and gen-eval report draws it, with @gen-eval/models and TensorFlow absent', () => {
    const r1 = run(join(dir, 'run'));
    const gates = join(dir, 'gates.json');
    writeFileSync(gates, JSON.stringify({ modes_covered: { min: 8 } }));
    const check = cliWith({ env: without }, 'check', r1, '--thresholds', gates);
    expect(check.stderr).not.toMatch(/forbidden module/);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/modes_covered\s+8\s+≥ 8\s+pass/);
    const out = join(dir, 'report.html');
    const report = cliWith({ env: without }, 'report', r1, '-o', out);
    expect(report.stderr).not.toMatch(/forbidden module/);
    expect(report.code, report.stderr).toBe(0);
  });

  it('(control) a command that trains fails there', () => {
    const r = cliWith({ env: without }, 'train', '--list');
    expect(r.stderr).toMatch(/forbidden module: @gen-eval\/models/);
    expect(r.code).not.toBe(0);
  });
});
