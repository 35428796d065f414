/**
 * End-to-end tests of `gen-eval train` and `gen-eval sample`: every family trains, the run folder
 * is complete, signals leave a resumable run, and bad input fails with one line and writes nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-train-');
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** The families that train on 2-D points (every one but the image-only paired translators). */
const FAMILIES = ['gan', 'ns-gan', 'wgan', 'wgan-gp', 'sngan', 'vae', 'ddpm', 'flow', 'cgan', 'infogan', 'cyclegan'];
const MODELS = [...FAMILIES, 'pix2pix', 'srgan', 'gan-cls', 'stackgan'];
const small = ['--eval-samples', '64', '--backend', 'wasm'];
const lossLines = (run: string) =>
  readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; metric: string; value: number })
    .filter((r) => r.metric.endsWith('loss'));

describe('gen-eval train', () => {
  it('--list names every model and data set with their defaults', () => {
    const r = cli('train', '--list', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { models: { name: string; defaults: Record<'points' | 'images', Record<string, unknown>> }[]; datasets: { name: string }[] };
    expect(list.models.map((m) => m.name)).toEqual(MODELS);
    for (const m of list.models) for (const kind of ['points', 'images'] as const) expect(m.defaults[kind]).toHaveProperty('batchSize');
    expect(list.datasets.map((d) => d.name)).toEqual([
      'ring',
      'ring-easy',
      'ring-easy-rot',
      'grid',
      'spiral',
      'mnist',
      'mnist-inverted',
      'fashion-mnist',
      'stacked-mnist',
      'edges2fashion',
      'edges2shoes',
      'edges2digits',
      'captioned-mnist',
      'captioned-fashion',
    ]);
    const text = cli('train', '--list').stdout;
    expect(text).toMatch(/wgan-gp .*\n(.*\n)*? +lambda=0\.1 \(images: 10\) +a number in \[0, 1000\]; gradient penalty weight λ\n/);
    expect(text).toMatch(/fashion-mnist .*unless --data-dir names another folder/); // the flag, not the library's `dataDir`
  });

  it.each(FAMILIES)('--model %s --steps 5 trains, evaluates and writes a complete run', (model) => {
    const out = join(dir, `five-${model}`);
    const r = cli('train', '--model', model, '--steps', '5', '--out', out, '--json', ...small);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // --json: silent
    const summary = JSON.parse(r.stdout) as { run: string; steps: number; metrics: Record<string, number> };
    expect(summary).toMatchObject({ run: out, steps: 5, interrupted: false, backend: 'wasm' });
    expect(Object.keys(summary.metrics)).toContain('sliced_w');
    for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'samples/step-0000005.npy', 'checkpoints/latest.json']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('logs one plain line per evaluation when stderr is not a terminal', () => {
    const out = join(dir, 'log');
    const r = cli('train', '--model', 'ns-gan', '--steps', '6', '--eval-every', '3', '--out', out, ...small);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^training ns-gan on ring-easy \(wasm backend, seed 0\)$/);
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toMatch(/^step 3 \([\d.]+ s\): modes \d, hq [\d.]+%, d_loss/);
    expect(r.stdout).toMatch(new RegExp(`^${out}: 6 steps in`));
  });

  it('sample draws points from the latest checkpoint; cgan --label, infogan --code and cyclegan --from/--input', () => {
    const ns = join(dir, 'five-ns-gan');
    const o = join(dir, 'ns.npy');
    const r = cli('sample', ns, '-n', '300', '--seed', '4', '-o', o, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 300, dims: 2, step: 5, seed: 4 });
    expect(readNpy(o).shape).toEqual([300, 2]);
    // Same seed, same points; another seed, other points.
    cli('sample', ns, '-n', '300', '--seed', '4', '-o', join(dir, 'ns2.npy'));
    cli('sample', ns, '-n', '300', '--seed', '5', '-o', join(dir, 'ns3.npy'));
    expect(readNpy(join(dir, 'ns2.npy')).data).toEqual(readNpy(o).data);
    expect(readNpy(join(dir, 'ns3.npy')).data).not.toEqual(readNpy(o).data);

    expect(cli('sample', join(dir, 'five-cgan'), '-n', '50', '--label', '3', '-o', join(dir, 'c3.npy')).code).toBe(0);
    expect(cli('sample', join(dir, 'five-cgan'), '-n', '50', '--label', '0', '-o', join(dir, 'c0.npy')).code).toBe(0);
    expect(readNpy(join(dir, 'c3.npy')).data).not.toEqual(readNpy(join(dir, 'c0.npy')).data);
    const bad = cli('sample', join(dir, 'five-cgan'), '--label', '8', '-o', join(dir, 'c8.npy'));
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', 'gen-eval: --label must be an integer from 0 to 7 (the modes of ring-easy), got "8"\n']);
    expect(existsSync(join(dir, 'c8.npy'))).toBe(false);

    // Options follow the run's declared condition: infogan takes --code, not --label.
    expect(cli('sample', join(dir, 'five-infogan'), '-n', '50', '--code', '3', '-o', join(dir, 'i3.npy')).code).toBe(0);
    expect(cli('sample', join(dir, 'five-infogan'), '-n', '50', '--code', '0', '-o', join(dir, 'i0.npy')).code).toBe(0);
    expect(readNpy(join(dir, 'i3.npy')).data).not.toEqual(readNpy(join(dir, 'i0.npy')).data);
    const info = join(dir, 'five-infogan');
    const wrong = cli('sample', info, '--label', '3', '-o', join(dir, 'i-label.npy'));
    expect([wrong.code, wrong.stdout, wrong.stderr]).toEqual([
      2,
      '',
      `gen-eval: --label applies to models conditioned on a class label (cgan); ${info} is a run of infogan, conditioned on a latent code (it takes --code)\n`,
    ]);
    const plain = cli('sample', join(dir, 'five-ns-gan'), '--from', 'b', '-o', join(dir, 'ns-from.npy'));
    expect([plain.code, plain.stderr]).toEqual([
      2,
      `gen-eval: --from applies to models conditioned on a source-domain sample (cyclegan, pix2pix, srgan); ${join(dir, 'five-ns-gan')} is a run of ns-gan, conditioned on noise alone\n`,
    ]);
    expect(readdirSync(dir).filter((f) => /^(i-label|ns-from)/.test(f))).toEqual([]);

    const input = join(dir, 'pts.npy');
    writeNpy(input, new Float32Array([2, 0, 0, 2, -2, 0]), [3, 2]);
    const t = cli('sample', join(dir, 'five-cyclegan'), '--from', 'b', '--input', input, '-o', join(dir, 'ab.npy'), '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(readNpy(join(dir, 'ab.npy')).shape).toEqual([3, 2]);
  });

  it('SIGINT stops with a checkpoint; --resume then matches the uninterrupted run', async () => {
    const whole = join(dir, 'whole');
    expect(cli('train', '--model', 'ns-gan', '--steps', '400', '--eval-every', '100', '--out', whole, ...small).code).toBe(0);
    const split = join(dir, 'split');
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'ns-gan', '--steps', '400', '--eval-every', '100', '--out', split, ...small]);
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/step 100 /.test(stderr)) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, stderr).toBe(130);
    const summary = JSON.parse(readFileSync(join(split, 'summary.json'), 'utf8')) as { steps: number; interrupted: boolean };
    expect(summary.interrupted).toBe(true);
    expect(summary.steps).toBeLessThan(400);
    const r = cli('train', '--resume', split, ...small.slice(0, 0));
    expect(r.code, r.stderr).toBe(0);
    expect(lossLines(split).map((l) => [l.step, l.metric, l.value])).toEqual(lossLines(whole).map((l) => [l.step, l.metric, l.value]));
    expect(readNpy(join(split, 'samples/step-0000400.npy')).data).toEqual(readNpy(join(whole, 'samples/step-0000400.npy')).data);
    // Three trainings of a few hundred steps in a row: 82 s once on the 2 shared cores under heavy load.
  }, 180_000);

  it('SIGTERM stops after the current step with a checkpoint there (exit 143)', async () => {
    const out = join(dir, 'terminated');
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'ns-gan', '--steps', '100000', '--eval-every', '25', '--out', out, ...small]);
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stderr.on('data', (d: Buffer) => {
        if (!sent && /^step \d+/m.test(d.toString())) {
          sent = true;
          child.kill('SIGTERM');
        }
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(143);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { steps: number; interrupted: boolean };
    expect(summary.interrupted).toBe(true);
    const latest = JSON.parse(readFileSync(join(out, 'checkpoints/latest.json'), 'utf8')) as { step: number };
    expect(latest.step).toBe(summary.steps);
  });

  it('kill -9 leaves only complete files, and the run resumes', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'ns-gan', '--steps', '100000', '--eval-every', '20', '--out', out, ...small]);
    await new Promise<void>((resolve) => {
      let seen = 0;
      child.stderr.on('data', (d: Buffer) => {
        seen += (d.toString().match(/^step \d+/gm) ?? []).length;
        if (seen >= 3) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.on('exit', r));
    JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    for (const line of readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')) JSON.parse(line);
    const latest = JSON.parse(readFileSync(join(out, 'checkpoints/latest.json'), 'utf8')) as { step: number };
    expect(latest.step).toBeGreaterThanOrEqual(40);
    expect(readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const r = cli('train', '--resume', out, '--steps', String(latest.step + 20), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: latest.step + 20 });
  });

  describe('bad input: exit 2, one line, nothing written', () => {
    const never = join(dir, 'never');
    const usage = (r: ReturnType<typeof cli>, problem: RegExp) => {
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(problem);
      expect(r.code).toBe(2);
      expect(existsSync(never)).toBe(false);
    };
    it('unknown model or data set lists the valid ones', () => {
      usage(
        cli('train', '--model', 'bigggan', '--out', never),
        /unknown model "bigggan"; expected one of gan, ns-gan, wgan, wgan-gp, sngan, vae, ddpm, flow, cgan, infogan, cyclegan/,
      );
      expectInputError(
        cli('train', '--model', 'gan', '--data', 'moons', '--out', never),
        'moons',
        /unknown data set; expected one of ring, ring-easy, ring-easy-rot, grid, spiral, mnist, mnist-inverted, fashion-mnist, stacked-mnist, edges2fashion, edges2shoes, edges2digits, (captioned-[a-z-]+, )+a .npy file \(N×2\) or a folder of images/,
      );
      expect(existsSync(never)).toBe(false);
    });
    it('invalid numbers', () => {
      usage(cli('train', '--model', 'gan', '--steps', '0', '--out', never), /--steps must be an integer from 1 to 100000000, got "0"/);
      usage(cli('train', '--model', 'gan', '--lr', '-1', '--out', never), /--lr must be a number > 0, got "-1"/);
      usage(cli('train', '--model', 'gan', '--time-budget', 'soon', '--out', never), /--time-budget must be a number > 0/);
      usage(cli('train', '--model', 'gan', '--hp', 'hidden=wide', '--out', never), /hidden must be an integer from 1 to 4096, got "wide"/);
      usage(cli('train', '--model', 'gan', '--hp', 'depth=3', '--out', never), /gan has no hyper-parameter "depth"/);
    });
    it('an existing run without --resume or --force', () => {
      const run = join(dir, 'five-gan');
      const before = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
      expectInputError(cli('train', '--model', 'gan', '--out', run), run, /already exists; pass --resume to continue that run or --force to replace it/);
      expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(before);
    });
    it('--resume with options that contradict the run', () => {
      const run = join(dir, 'five-gan');
      expectInputError(cli('train', '--resume', run, '--steps', '9', '--lr', '0.5'), run, /--lr 0.5 contradicts the run's config \(0.001\)/);
      expectInputError(cli('train', '--resume', run, '--steps', '9', '--model', 'wgan'), run, /--model wgan contradicts/);
      expectInputError(cli('train', '--resume', run), run, /already at step 5; pass --steps N with N > 5/);
    });
    it('a --data file of the wrong shape or with NaN', () => {
      const wide = join(dir, 'wide.npy');
      writeNpy(wide, new Float64Array(12), [4, 3]);
      expectInputError(cli('train', '--model', 'gan', '--data', wide, '--out', never), wide, /expected an N×2 array of points, got shape \(4, 3\)/);
      const nan = join(dir, 'nan.npy');
      writeNpy(nan, new Float64Array([0, 0, 1, NaN, 2, 2]), [3, 2]);
      expectInputError(cli('train', '--model', 'gan', '--data', nan, '--out', never), nan, /row 1 is not finite/);
      expect(existsSync(never)).toBe(false);
    });
    it('sample on a folder that is not a run, or with a corrupt checkpoint', () => {
      // Outside the folders read: -o inside an input is refused before the input is read.
      const o = join(tempDir('gen-eval-sample-out-'), 'never.npy');
      expectInputError(cli('sample', dir, '-o', o), dir, /not a gen-eval run \(no config.json\)/);
      const run = join(dir, 'five-flow');
      const latest = JSON.parse(readFileSync(join(run, 'checkpoints/latest.json'), 'utf8')) as { state: string };
      const npz = join(run, 'checkpoints', latest.state.replace('.json', '.npz'));
      writeFileSync(npz, readFileSync(npz).subarray(0, 100));
      expectInputError(cli('sample', run, '-o', o), npz, /not a valid .npz file/);
      expect(existsSync(o)).toBe(false);
    });
  });
});
