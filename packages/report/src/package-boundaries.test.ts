/**
 * The report and the gate need no TensorFlow: a CI job that only gates (`gen-eval check`) or draws
 * a report must install and run without @gen-eval/models (which brings TensorFlow.js). Checked
 * three ways: package.json declares neither, no source file imports either, and the built entries
 * load in a node where both are made absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { forbidModulesOption } from '@gen-eval/metrics/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun } from './fake-runs.test-helper.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'report-boundaries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const HEAVY = /^(@gen-eval\/models|@tensorflow\/)/;
const FORBID = forbidModulesOption(/@gen-eval\/models|@tensorflow\/|[\\/]node_modules[\\/]@tensorflow[\\/]/);

/** Every module specifier a TypeScript file imports, re-exports or `import()`s. */
const importsOf = (file: string) => ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);

/** Runs an ES module body in a fresh node inside the package folder, with the heavy modules made absent. */
function runWithout(body: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', body], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: FORBID },
  });
}

describe('@gen-eval/report does not depend on @gen-eval/models or TensorFlow', () => {
  it('package.json declares neither', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}));
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => HEAVY.test(name))).toEqual([]);
  });

  it('no file under src imports either', () => {
    const files = readdirSync(join(PACKAGE_DIR, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const imports = files.flatMap((f) => importsOf(join(PACKAGE_DIR, 'src', f)).map((spec) => `${f}: ${spec}`));
    expect(imports.some((line) => line.endsWith(': @gen-eval/metrics/runs'))).toBe(true);
    expect(imports.filter((line) => HEAVY.test(line.split(': ')[1]!))).toEqual([]);
  });

  it('the built entries load, and read a run, with both absent', () => {
    const run = writeFakeRun(join(root, 'run'), { model: 'gan' });
    const r = runWithout(`
      const report = await import('@gen-eval/report');
      await import('@gen-eval/report/gate');
      const loaded = await report.loadInputs([${JSON.stringify(run)}]);
      process.stdout.write(JSON.stringify(loaded.entries.map((e) => [e.kind, e.points.histogram.length])));`);
    expect(r.stderr).not.toMatch(/forbidden module/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['run', 4]]);
  });

  it('(control) the same node cannot load @gen-eval/models or TensorFlow', () => {
    for (const entry of ['@gen-eval/models', '@tensorflow/tfjs-core']) {
      const r = runWithout(`await import(${JSON.stringify(entry)});`);
      expect(r.status, entry).not.toBe(0);
      expect(r.stderr).toContain(`forbidden module: ${entry}`);
    }
    const required = runWithout(`import { createRequire } from 'node:module'; createRequire(import.meta.url)('@tensorflow/tfjs-core');`);
    expect(required.stderr).toContain('forbidden module: @tensorflow/tfjs-core');
  });
});
