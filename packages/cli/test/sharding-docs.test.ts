/**
 * The sharding examples of docs/ (a GitHub Actions matrix and a Kubernetes Indexed Job) parse, and
 * their shell lines really work: each is run by `sh` as the runner would (GitHub's `${{ }}`
 * expressions substituted, JOB_COMPLETION_INDEX set per pod, the shared volume mapped to a temp
 * folder), with `gen-eval` resolving to the built CLI on a tiny ONNX extractor instead of
 * Inception; the merged statistics must equal the single-machine ones.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStatsNpz } from '@gen-eval/metrics';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './golden-cli.js';
import { tinyExtractorArgs } from './tiny-extractor.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = tempDir('gen-eval-sharding-docs-');
const cache = join(dir, 'cache');
const tiny = tinyExtractorArgs(join(dir, 'model'));

/**
 * A bin folder where `gen-eval` (and `npx gen-eval`) run the built CLI; image commands get the
 * tiny extractor, so `--weights FILE` (Inception's) is dropped.
 */
function shimBin(): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'gen-eval'),
    `#!${process.execPath}
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
const w = args.indexOf('--weights');
if (w >= 0) args.splice(w, 2);
if (args[0] === 'stats') args.push(...${JSON.stringify(tiny)});
const r = spawnSync(process.execPath, [${JSON.stringify(CLI)}, ...args], { stdio: 'inherit' });
if (r.status === null) process.stderr.write('shim: gen-eval ended by ' + (r.signal ?? r.error) + '\\n');
process.exit(r.status ?? 3);
`,
  );
  writeFileSync(join(bin, 'npx'), '#!/bin/sh\n[ "$1" = gen-eval ] || exit 127\nshift\nexec gen-eval "$@"\n');
  for (const f of ['gen-eval', 'npx']) chmodSync(join(bin, f), 0o755);
  return bin;
}
const bin = shimBin();

/** Runs a shell line as a CI runner / pod would, with the shim first on PATH. */
function sh(line: string, cwd: string, env: Record<string, string>) {
  const r = spawnSync('sh', ['-c', line], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}`, GEN_EVAL_CACHE: cache },
  });
  expect(r.status, `${line}\n${r.stderr}`).toBe(0);
  return r;
}

/** Statistics of `folder` in one process, the reference for every merge. */
function singleStats(folder: string) {
  const out = join(dir, `single-${readdirSync(dir).length}.npz`);
  const r = cliWith({ env: { GEN_EVAL_CACHE: cache } }, 'stats', folder, '-o', out, ...tiny);
  expect(r.code, r.stderr).toBe(0);
  return readStatsNpz(out);
}

function expectSameStats(file: string, ref: ReturnType<typeof readStatsNpz>) {
  const m = readStatsNpz(file);
  expect(m.n).toBe(ref.n);
  const rel = (a: Float64Array, b: Float64Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));
  expect(rel(m.mu, ref.mu)).toBeLessThan(1e-12);
  expect(rel(m.sigma, ref.sigma)).toBeLessThan(1e-12);
}

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

describe('docs/examples/sharded-stats.yml (GitHub Actions matrix)', () => {
  const wf = parseYaml(readFileSync(join(ROOT, 'docs/examples/sharded-stats.yml'), 'utf8')) as Workflow;
  const shardJob = wf.jobs.shard!;
  const mergeJob = wf.jobs.merge!;
  const shards = shardJob.strategy!.matrix.shard;

  it('has a matrix of shard indices 0 … n−1, uploads each part, and merges after downloading them', () => {
    expect(shards).toEqual(shards.map((_, i) => i));
    expect(mergeJob.needs).toBe('shard');
    const upload = shardJob.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toBe('part-${{ matrix.shard }}.npz');
    const download = mergeJob.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with).toMatchObject({ pattern: 'stats-part-*', 'merge-multiple': true, path: 'parts' });
    expect(existsSync(join(ROOT, wf.env.IMAGES!))).toBe(true);
  });

  it('its run lines compute the shards and merge them to the single-machine statistics', () => {
    const images = join(ROOT, wf.env.IMAGES!);
    const gen = (s: Step) => s.run !== undefined && /gen-eval/.test(s.run);
    const [shardLine] = shardJob.steps.filter(gen).map((s) => s.run!);
    const [mergeLine] = mergeJob.steps.filter(gen).map((s) => s.run!);
    const parts = join(dir, 'gha-merge', 'parts');
    mkdirSync(parts, { recursive: true });
    for (const i of shards) {
      // Each runner: its own workspace, GitHub's expressions substituted before the shell runs.
      const ws = join(dir, `gha-runner-${i}`);
      mkdirSync(ws);
      const line = shardLine!.replaceAll('${{ matrix.shard }}', String(i)).replaceAll('${{ strategy.job-total }}', String(shards.length));
      expect(line).not.toContain('${{');
      sh(line, ws, { IMAGES: images });
      cpSync(join(ws, `part-${i}.npz`), join(parts, `part-${i}.npz`)); // upload-artifact → download-artifact
    }
    sh(mergeLine!, join(dir, 'gha-merge'), {});
    expectSameStats(join(dir, 'gha-merge', 'stats.npz'), singleStats(images));
  });
});

interface Container {
  name: string;
  env?: { name: string; value: string }[];
  command: string[];
  args: string[];
}
interface JobSpec {
  metadata: { name: string };
  spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { initContainers?: Container[]; containers: Container[] } } };
}

describe('docs/examples/sharded-stats-job.yaml (Kubernetes Indexed Job)', () => {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'docs/examples/sharded-stats-job.yaml'), 'utf8')).map((d) => d.toJS() as JobSpec);
  const indexed = docs.find((d) => d.spec.completionMode === 'Indexed')!;
  const merge = docs.find((d) => d !== indexed)!;
  const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  const shardC = indexed.spec.template.spec.containers[0]!;
  const count = indexed.spec.completions!;

  it('is an Indexed Job whose SHARDS equals its completions, plus a merge Job that waits for them', () => {
    expect(docs).toHaveLength(2);
    expect(indexed.spec.parallelism).toBe(count);
    expect(envOf(shardC).SHARDS).toBe(String(count));
    expect(shardC.args.join(' ')).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
    expect(envOf(merge.spec.template.spec.initContainers![0]!).SHARDS).toBe(String(count));
  });

  it('its pods compute the shards on the shared volume and the merge Job merges them exactly', () => {
    // The shared volume (/data) becomes a temp folder holding the images.
    const data = join(dir, 'k8s-data');
    cpSync(join(ROOT, 'fixtures/e2e-images'), join(data, 'images'), { recursive: true });
    const onVolume = (c: Container) => c.args.join(' ').replaceAll('/data/', `${data}/`);
    expect(shardC.command).toEqual(['sh', '-c']);
    for (let i = 0; i < count; i++) sh(onVolume(shardC), dir, { ...envOf(shardC), JOB_COMPLETION_INDEX: String(i) });
    expect(readdirSync(join(data, 'parts')).sort()).toEqual(Array.from({ length: count }, (_, i) => `part-${i}.npz`));
    const wait = merge.spec.template.spec.initContainers![0]!;
    sh(onVolume(wait), dir, envOf(wait)); // returns at once: every part is there
    sh(onVolume(merge.spec.template.spec.containers[0]!), dir, {});
    expectSameStats(join(data, 'stats.npz'), singleStats(join(data, 'images')));
  });
});
