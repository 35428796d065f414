/**
 * `gen-eval train` and its run folder: what --force may replace, the lock that keeps one writer per
 * run, where a run may be created, --resume's options and messages, and how a stopped run reads.
 * Runs are tiny (a few steps, 64 evaluation samples) so that the file stays fast.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir, type CliRun } from './golden-cli.js';

const dir = tempDir('gen-eval-train-folder-');
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const small = ['--eval-samples', '64', '--backend', 'wasm'];
const LOCK = '.gen-eval.lock';

/** Runs the CLI in another working folder. */
function cliIn(cwd: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with a deadline enforced by SIGKILL (a command that hangs may ignore SIGTERM). */
function cliKilledAfter(ms: number, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ...(r.error ? { error: r.error } : {}) };
}

/** A finished two-step run. */
function tinyRun(name: string, ...extra: string[]): string {
  const out = join(dir, name);
  const r = cli('train', '--model', 'ns-gan', '--steps', '2', '--out', out, ...small, ...extra);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

const files = (d: string) => readdirSync(d, { recursive: true }).map(String).sort();

describe('gen-eval train: the run folder', () => {
  it('--force replaces only a gen-eval run: any other folder is refused and left as it was', () => {
    const mine = join(dir, 'mine');
    mkdirSync(join(mine, 'sub'), { recursive: true });
    writeFileSync(join(mine, 'sub', 'thesis.txt'), 'keep');
    expectInputError(
      cli('train', '--model', 'ns-gan', '--steps', '2', '--out', mine, '--force', ...small),
      mine,
      /is not a gen-eval run \(no config.json of one\): --force replaces only runs; choose another folder$/,
    );
    expect(readFileSync(join(mine, 'sub', 'thesis.txt'), 'utf8')).toBe('keep');
    expect(files(mine)).toEqual(['sub', 'sub/thesis.txt']);
    expectInputError(cli('train', '--model', 'ns-gan', '--out', mine), mine, /already exists and is not a gen-eval run: choose another folder$/);
  });

  it('never the current folder (nor a folder holding it), not even when it is a run; nor an empty --out', () => {
    const run = tinyRun('here');
    const before = files(run);
    expectInputError(cliIn(run, 'train', '--model', 'ns-gan', '--steps', '2', '--out', run, '--force'), run, /is the current folder; a run needs a folder of its own/);
    expectInputError(cliIn(run, 'train', '--model', 'ns-gan', '--steps', '2', '--out', '.', '--force'), '.', /is the current folder/);
    expectInputError(cliIn(join(run, 'samples'), 'train', '--model', 'ns-gan', '--out', '..', '--force'), '..', /contains the current folder/);
    expect(files(run)).toEqual(before);
    const empty = join(dir, 'empty-cwd');
    mkdirSync(empty);
    expectInputError(cliIn(empty, 'train', '--model', 'ns-gan', '--steps', '2', '--out', ''), null, /^gen-eval: --out is empty; name the run folder$/);
    expectInputError(cliIn(empty, 'train', '--resume', ''), null, /^gen-eval: --resume is empty; name the run folder$/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self'))('a run under /proc is refused at once instead of spinning in mkdir', () => {
    const r = cliKilledAfter(30_000, 'train', '--model', 'ns-gan', '--steps', '2', '--out', '/proc/genevalrun');
    expect(r.error).toBeUndefined();
    expectInputError(r, '/proc/genevalrun', /cannot write a run under \/proc: it is the kernel's proc file system/);
  });

  it('an empty existing folder is used without --force', () => {
    const empty = join(dir, 'made-empty');
    mkdirSync(empty);
    const r = cli('train', '--model', 'ns-gan', '--steps', '2', '--out', empty, ...small);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(empty)).toContain('config.json');
    expect(readdirSync(empty)).not.toContain(LOCK);
  });

  it('one writer per run: a second train, --force or --resume is refused naming the holder; sample still reads; SIGHUP stops with a checkpoint', async () => {
    const out = join(dir, 'locked');
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'ns-gan', '--steps', '100000', '--eval-every', '20', '--out', out, ...small]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    try {
      await new Promise<void>((resolve) => {
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/^step 20 /m.test(stderr)) resolve();
        });
      });
      const holder = new RegExp(`is in use by another gen-eval train \\(pid ${child.pid} on .*\\); wait for it to end, or delete .*${LOCK} if that process is gone$`);
      expectInputError(cli('train', '--model', 'vae', '--steps', '2', '--out', out, '--force', ...small), out, holder);
      expectInputError(cli('train', '--resume', out, '--steps', '50'), out, holder);
      const sampled = cli('sample', out, '-n', '10', '-o', join(dir, 'while-training.npy'));
      expect(sampled.code, sampled.stderr).toBe(0);
      await new Promise((r) => setTimeout(r, 300)); // a few steps past the evaluation
      child.kill('SIGHUP');
      expect(await exited).toBe(129);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { steps: number; interrupted: boolean; model: string };
      expect(summary).toMatchObject({ interrupted: true, model: 'ns-gan' });
      expect((JSON.parse(readFileSync(join(out, 'checkpoints/latest.json'), 'utf8')) as { step: number }).step).toBe(summary.steps);
      expect(existsSync(join(out, LOCK))).toBe(false);
      // The metrics shown are the last evaluation's: the line says which step they are from
      // (unless the signal landed on an evaluation step, about one time in twenty).
      const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
      const evaluated = (JSON.parse(records[records.length - 1]!) as { step: number }).step;
      const shown = evaluated === summary.steps ? '' : `metrics at step ${evaluated}: `;
      expect(stdout).toMatch(new RegExp(`stopped by SIGHUP at step ${summary.steps} .*\\n  ${shown}modes`));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); // a failed assertion must not leave it training
    }
  });

  it('--resume refuses --out and --force instead of ignoring them', () => {
    const run = tinyRun('resume-opts');
    const before = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
    expectInputError(cli('train', '--resume', run, '--steps', '4', '--out', join(dir, 'elsewhere')), null, /--resume continues the run in .* itself; drop --out/);
    expectInputError(cli('train', '--resume', run, '--steps', '4', '--force'), null, /--resume continues the run in .* itself; drop --force/);
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
  });

  it('an option given twice is refused, not silently resolved', () => {
    const never = join(dir, 'never');
    expectInputError(cli('train', '--model', 'ns-gan', '--model', 'wgan', '--out', never), null, /^gen-eval: --model is given twice; give it once \(see --help\)$/);
    expectInputError(cli('train', '--model', 'ns-gan', '--hp', 'lr=0.1', '--lr', '0.2', '--out', never), null, /--hp lr=0.1 and --lr 0.2 both set lr; give one/);
    expectInputError(cli('train', '--model', 'ns-gan', '--hp', 'lr=0.1', '--hp', 'lr=0.2', '--out', never), null, /--hp lr is given twice \(lr=0.1 and lr=0.2\); give it once/);
    expectInputError(cli('train', '--model', 'ns-gan', '--hp', 'batchSize=8', '--batch-size', '16', '--out', never), null, /both set batchSize/);
    expect(existsSync(never)).toBe(false);
    expectInputError(cli('kid', 'a.npy', 'b.npy', '--seed', '1', '--seed', '2'), null, /--seed is given twice/);
  });

  it('records data files by absolute path, so a run resumes from another folder', () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    const pts = new Float32Array(64 * 2).map((_, i) => Math.sin(i * 0.7) * 2);
    writeNpy(join(work, 'pts.npy'), pts, [64, 2]);
    const r = cliIn(work, 'train', '--model', 'ns-gan', '--data', 'pts.npy', '--steps', '2', '--out', 'run', ...small);
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(work, 'run', 'config.json'), 'utf8')) as { data: { name: string } };
    expect(config.data.name).toBe(join(work, 'pts.npy'));
    const resumed = cliIn(dir, 'train', '--resume', join(work, 'run'), '--steps', '3', ...small.slice(0, 2));
    expect(resumed.code, resumed.stderr).toBe(0);
    // The name as first given still agrees with the run.
    expect(cliIn(work, 'train', '--resume', 'run', '--steps', '4', '--data', 'pts.npy').code).toBe(0);
  });

  it('a run inside its own data (--data, --hp dataB, --data-dir), or holding it, is refused before anything is written', () => {
    const E2E = fileURLToPath(new URL('../../../fixtures/e2e-images/a/', import.meta.url));
    const imagesAt = (name: string) => {
      const d = join(dir, name);
      mkdirSync(d);
      for (const f of ['a0-rgb-64.png', 'a1-photo-160x120.jpg']) copyFileSync(join(E2E, f), join(d, f));
      return d;
    };
    const a = imagesAt('data-a');
    const b = imagesAt('data-b');
    const before = [files(a), files(b)];
    const inside =
      /cannot write the run: --out lies inside the data folder .* \((--data|hyper-parameter dataB)\): the run's sample images would change the data and its SHA-256, so the run could not be resumed; write the run elsewhere/;
    const img = ['--model', 'ns-gan', '--steps', '1', '--image-size', '28', '--eval-samples', '16', '--backend', 'wasm'];
    expectInputError(cli('train', ...img, '--data', a, '--out', join(a, 'run')), join(a, 'run'), inside);
    expectInputError(cli('train', ...img, '--data', a, '--out', join(a, 'sub', 'run')), join(a, 'sub', 'run'), inside);
    expectInputError(cliIn(a, 'train', ...img, '--data', '.', '--out', 'run'), 'run', inside);
    const cyc = ['--model', 'cyclegan', '--steps', '1', '--image-size', '28', '--eval-samples', '16', '--backend', 'wasm'];
    expectInputError(cli('train', ...cyc, '--data', a, '--hp', `dataB=${b}`, '--out', join(b, 'run')), join(b, 'run'), inside);
    expectInputError(cli('train', ...img, '--data', 'fashion-mnist', '--data-dir', a, '--out', join(a, 'run')), join(a, 'run'), /lies inside the data folder .* \(--data-dir\)/);
    expect([files(a), files(b)]).toEqual(before);
    // A data file inside the run it would replace: --force must not delete it.
    const holder = tinyRun('holder');
    const pts = join(holder, 'pts.npy');
    writeNpy(
      pts,
      new Float32Array(64 * 2).map((_, i) => Math.sin(i * 0.7) * 2),
      [64, 2],
    );
    const held = files(holder);
    expectInputError(
      cli('train', '--model', 'ns-gan', '--steps', '1', '--data', pts, '--out', holder, '--force', ...small),
      holder,
      /cannot write the run: --out holds the data .*pts\.npy \(--data\), which replacing the run would delete; write the run elsewhere/,
    );
    expect(files(holder)).toEqual(held);
  });

  it('resume messages name real options and values; an edited config.json is blamed, not the checkpoint', () => {
    const run = tinyRun('messages');
    const latent = cli('train', '--resume', run, '--steps', '9', '--hp', 'latentDim=8');
    expectInputError(latent, run, /--hp latentDim=8 contradicts the run's config \(latentDim=64\); drop it, or start a new run$/);
    const size = cli('train', '--resume', run, '--steps', '9', '--image-size', '28');
    expectInputError(size, run, /--image-size 28 contradicts the run's config \(not set\)/);
    const configPath = join(run, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { hp: Record<string, number> };
    writeFileSync(configPath, JSON.stringify({ ...config, hp: { ...config.hp, hidden: 256 } }));
    const edited = /does not describe the model of the checkpoint \("var\/.*" has shape .*\) \(was config.json edited\? gen-eval train writes it\)$/;
    expectInputError(cli('train', '--resume', run, '--steps', '9'), configPath, edited);
    expectInputError(cli('sample', run, '-o', join(dir, 'edited.npy')), configPath, edited);
    writeFileSync(configPath, JSON.stringify({ ...config, hp: { ...config.hp, hidden: 'wide' } }));
    expectInputError(cli('train', '--resume', run, '--steps', '9'), configPath, /hidden must be an integer from 1 to 4096, got "wide"/);
    const { seed: _seed, ...noSeed } = config as unknown as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify(noSeed));
    expectInputError(cli('train', '--resume', run, '--steps', '9'), configPath, /"seed" is missing/);
  });

  it('--backend cpu prints no TensorFlow.js banner', () => {
    const r = cli('train', '--model', 'ns-gan', '--steps', '1', '--eval-samples', '16', '--backend', 'cpu', '--out', join(dir, 'cpu'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Hi, looks like you are running TensorFlow.js/);
    expect(r.stderr).toMatch(/^training ns-gan on ring-easy \(cpu backend, seed 0\)\n/);
  });
});
