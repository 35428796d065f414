/**
 * `gen-eval train` on numbers it cannot train with: a run that diverges stops and exits 1, and
 * hyper-parameters outside their declared ranges (image batches over 1024 included) are one-line
 * usage errors that create no run folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-train-num-');
const tiny = ['--hp', 'hidden=8', '--hp', 'latentDim=4', '--batch-size', '16', '--eval-every', '4', '--eval-samples', '64', '--backend', 'wasm'];

describe('gen-eval train: divergence and hyper-parameter ranges', () => {
  it('a diverging run (--lr 1e6) stops at its first non-finite loss, says so on stderr and in summary.json, exit 1', () => {
    const out = join(dir, 'diverged');
    const r = cli('train', '--model', 'ns-gan', '--steps', '40', '--lr', '1e6', '--out', out, '--json', ...tiny);
    expect(r.code, r.stderr).toBe(1);
    const warning = `${out} diverged at step`;
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^gen-eval: warning: ${warning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d+ \\(\\w+_loss = (NaN|-?Infinity)\\)`)),
    ]);
    const json = JSON.parse(r.stdout) as { diverged: { step: number; reason: string }; warnings: string[]; steps: number };
    expect(json.warnings).toEqual([expect.stringContaining(warning)]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { diverged: { step: number; reason: string }; steps: number };
    expect(summary.diverged).toEqual(json.diverged);
    expect(summary.steps).toBe(summary.diverged.step - 1);
  });

  it('refuses out-of-range and wrong-type hyper-parameters with one line, creating no run folder', () => {
    const never = join(dir, 'never');
    const cases: [string[], RegExp][] = [
      [['--model', 'gan', '--hp', 'latentDim=0'], /latentDim must be an integer from 1 to 4096, got "0"/],
      [['--model', 'gan', '--hp', 'hidden=100000000'], /hidden must be an integer from 1 to 4096, got "100000000"/],
      [['--model', 'gan', '--hp', 'beta1=5'], /beta1 must be a number in \[0, 1\), got "5"/],
      [['--model', 'gan', '--hp', 'dSteps=1000000'], /dSteps must be an integer from 1 to 20, got "1000000"/],
      [['--model', 'gan', '--hp', 'batchSize=1e9'], /batchSize must be an integer from 1 to 65536, got "1e9"/],
      [['--model', 'ddpm', '--hp', 'betaStart=2'], /betaStart must be a number in \(0, 1\), got "2"/],
      [['--model', 'infogan', '--hp', 'gLr=-1'], /gLr must be a number ≥ 0, got "-1"/],
      [['--model', 'cyclegan', '--hp', 'lambdaCycle=-5'], /lambdaCycle must be a number in \[0, 1000\], got "-5"/],
      [['--model', 'flow', '--hp', 'temperature=-1'], /temperature must be a number in \(0, 100\], got "-1"/],
      [['--model', 'flow', '--hp', 'bits=0'], /bits must be an integer from 1 to 8, got "0"/],
      [['--model', 'sngan', '--hp', 'powerIterations=0'], /powerIterations must be an integer from 1 to 20, got "0"/],
      [['--model', 'gan', '--hp', 'instanceNoise=-1'], /instanceNoise must be a number in \[0, 100\], got "-1"/],
      [['--model', 'wgan', '--hp', 'dSteps=2.5'], /dSteps must be an integer from 1 to 20, got "2\.5"/],
      [['--model', 'wgan', '--hp', 'nCritic=5'], /wgan has no hyper-parameter "nCritic": it is called dSteps now/],
      [['--model', 'sngan', '--hp', 'nDis=1'], /sngan has no hyper-parameter "nDis": it is called dSteps now/],
      [['--model', 'cyclegan', '--hp', 'dataB='], /dataB must be a data set name, FILE\.npy or a folder of images, got ""/],
      [['--model', 'ns-gan', '--data', 'mnist', '--hp', 'hidden=257'], /hidden must be an integer from 1 to 256 on image data, got "257"/],
    ];
    for (const [args, problem] of cases) {
      expectInputError(cli('train', ...args, '--steps', '2', '--out', never), null, problem);
      expect(existsSync(never), args.join(' ')).toBe(false);
    }
  });

  it('refuses training data with zero spread or values beyond 1e20, naming the file', () => {
    const never = join(dir, 'never-data');
    const same = join(dir, 'const.npy');
    writeNpy(same, new Float64Array(8).fill(3), [4, 2]);
    expectInputError(cli('train', '--model', 'gan', '--data', same, '--steps', '2', '--out', never), same, /has zero spread: all 4 points are \(3, 3\)/);
    const huge = join(dir, 'huge.npy');
    writeNpy(huge, new Float64Array([0, 0, 1e30, 1, 2, 2]), [3, 2]);
    expectInputError(
      cli('train', '--model', 'gan', '--data', huge, '--steps', '2', '--out', never),
      huge,
      /values overflow: \|x\| = 1\.000e\+30 at row 1, column 0 exceeds 1e\+20/,
    );
    expect(existsSync(never)).toBe(false);
  });

  it('train --list --json gives every hyper-parameter of every family its type, range or choices, defaults per data kind and help', () => {
    type Hp = { type: string; min?: number; max?: number; choices?: string[]; default: Record<string, unknown>; help: string };
    const list = JSON.parse(cli('train', '--list', '--json').stdout) as {
      models: { name: string; hyperParams: Record<string, Hp>; defaults: Record<string, Record<string, unknown>> }[];
    };
    for (const m of list.models) {
      for (const kind of ['points', 'images'])
        for (const [k, v] of Object.entries(m.defaults[kind]!)) expect(m.hyperParams[k]?.default[kind], `${m.name}.${k} (${kind})`).toEqual(v);
      for (const [k, hp] of Object.entries(m.hyperParams)) {
        const what = `${m.name}.${k}`;
        expect(hp.type, what).toMatch(/^(int|real|enum|bool|data)$/);
        if (hp.type === 'int') expect([hp.min, hp.max].every(Number.isFinite), what).toBe(true);
        if (hp.type === 'enum') expect(hp.choices?.length, what).toBeGreaterThan(0);
        expect(hp.help.length, what).toBeGreaterThan(0);
        expect(Object.keys(hp.default).length, what).toBeGreaterThan(0);
      }
    }
    expect(list.models.find((m) => m.name === 'gan')!.hyperParams.batchSize).toEqual({
      type: 'int',
      min: 1,
      max: 65536,
      imageMax: 1024,
      default: { points: 256, images: 64 },
      help: 'samples per batch',
    });
    expect(list.models.find((m) => m.name === 'wgan')!.hyperParams.dSteps).toMatchObject({ default: { points: 5, images: 2 }, formerly: ['nCritic'] });
  });

  it('train --help names every hyper-parameter of every model, from the schemas', () => {
    const r = cli('train', '--help');
    expect(r.code).toBe(0);
    const list = JSON.parse(cli('train', '--list', '--json').stdout) as { models: { name: string; hyperParams: Record<string, unknown> }[] };
    for (const m of list.models) expect(r.stdout).toContain(`  ${m.name.padEnd(8)}  ${Object.keys(m.hyperParams).join(', ')}\n`);
  });

  it('caps image batches at 1024, from --batch-size and --hp batchSize alike', () => {
    const never = join(dir, 'never-images');
    for (const args of [
      ['--batch-size', '1025'],
      ['--hp', 'batchSize=5000'],
    ]) {
      expectInputError(
        cli('train', '--model', 'ns-gan', '--data', 'mnist', '--steps', '1', '--out', never, ...args),
        null,
        /batchSize must be an integer from 1 to 1024 on image data, got "(1025|5000)"/,
      );
      expect(existsSync(never)).toBe(false);
    }
  });
});
