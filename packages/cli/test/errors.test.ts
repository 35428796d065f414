/**
 * The CLI's error contract, end to end: every output path that cannot be written, every usage
 * error, every out-of-range or non-decimal option value and every option the chosen mode would
 * ignore gives exactly one stderr line and exit 2 (never a stack trace or exit 3); a closed or
 * full stdout ends cleanly; warnings shared by both inputs are printed once.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeLegacyPth, syntheticInceptionStateDict } from '@gen-eval/metrics/testing';
import { writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './cli-in-process.js';
import { cli, cliWith, expectInputError, specFile, tempDir } from './golden-cli.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const dir = tempDir('gen-eval-errors-');
const a = specFile(dir, 'a.npy', { seed: 1, n: 20, d: 3, scale: 1, shift: 0 });
const b = specFile(dir, 'b.npy', { seed: 2, n: 20, d: 3, scale: 1, shift: 0.5 });
const aFile = join(dir, 'plain-file');
writeFileSync(aFile, 'not a folder');
const folder = join(dir, 'out.npz');
mkdirSync(folder);
mkdirSync(join(dir, 'out.npy')); // sample -o's folder
const hist = join(dir, 'hist.npy');
writeNpy(hist, new Float64Array([1, 2, 3]), [3]);
const results = join(dir, 'results.json');
writeFileSync(results, JSON.stringify({ fid: 10, metrics: ['fid'], inputs: [], warnings: [] }));
const gates = join(dir, 'gates.json');
writeFileSync(gates, JSON.stringify({ fid: { max: 1000 } }));
/** A symlink to /dev/full: writing it fails with ENOSPC on the real write path (no mock). */
const full = join(dir, 'full.npz');
if (existsSync('/dev/full')) symlinkSync('/dev/full', full);

/** The commands that write FILE, with their other arguments. */
const writers = (file: string): [string, string[]][] => [
  ['stats -o', ['stats', a, '-o', file]],
  ['fid --save-stats', ['fid', a, file, '--save-stats']],
  ['sample -o', ['sample', join(dir, 'no-run'), '-o', file.replace(/\.npz$/, '.npy')]],
  ['report -o', ['report', results, '-o', file]],
  ['report --csv', ['report', results, '-o', join(dir, 'r.html'), '--csv', file]],
  ['check --junit', ['check', results, '--thresholds', gates, '--junit', file]],
  ['eval --junit', ['eval', a, b, '--thresholds', gates, '--junit', file]],
  ['features -o', ['features', a, '-o', file.replace(/\.npz$/, '.npy')]],
  ['features --logits', ['features', a, '-o', join(dir, 'f.npy'), '--logits', file.replace(/\.npz$/, '.npy')]],
  ['merge-stats -o', ['merge-stats', a, '-o', file]],
  ['psnr --per-image', ['psnr', join(FIXTURES, 'golden/paired/ref.npy'), join(FIXTURES, 'golden/paired/test.npy'), '--per-image', file]],
];

/**
 * The usage and output-path cases run in-process (cli-in-process.ts), without a node start each;
 * `sample` (it loads TensorFlow.js) and the tests of real file descriptors and devices spawn.
 */
const run = async (args: string[]) => (args[0] === 'sample' ? cli(...args) : cliInProcess(...args));

describe('output paths: one line naming the path, exit 2, nothing written', () => {
  it.each(writers(folder))('%s to a folder', async (_, args) => {
    const path = args.find((x) => /\/out\.np[yz]$/.test(x))!;
    expectInputError(await run(args), path, /cannot write: it is a folder/);
  });

  it.each(writers(join(aFile, 'x.npz')))('%s under a file', async (_, args) => {
    const path = args.find((x) => x.startsWith(aFile))!;
    expectInputError(await run(args), path, /cannot write: .*plain-file is a file, not a folder/);
  });

  it.each(writers(join(dir, 'missing', 'x.npz')))('%s into a missing folder (not created, as numpy and pytorch-fid)', async (_, args) => {
    const path = args.find((x) => x.includes('missing'))!;
    expectInputError(await run(args), path, /cannot write: the folder .*missing does not exist/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('into a read-only folder (skipped as root, who may write anyway)', (ctx) => {
    if (process.getuid?.() === 0) return ctx.skip();
    const ro = join(dir, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      expectInputError(cli('stats', a, '-o', join(ro, 'x.npz')), join(ro, 'x.npz'), /cannot write: the folder .*read-only is not writable/);
    } finally {
      chmodSync(ro, 0o755);
    }
  });

  it('train --out under a file; a missing parent of a run folder is created', () => {
    expectInputError(cli('train', '--model', 'gan', '--steps', '1', '--out', join(aFile, 'run')), join(aFile, 'run'), /plain-file is a file, not a folder/);
  });

  it('a full disk (ENOSPC while writing): stats -o, check --junit, report -o', (ctx) => {
    if (!existsSync(full)) return ctx.skip();
    expectInputError(cli('stats', a, '-o', full), full, /cannot write: no space left on device \(ENOSPC\)$/);
    expectInputError(cli('check', results, '--thresholds', gates, '--junit', full), full, /no space left on device/);
    expectInputError(cli('report', results, '-o', full), full, /no space left on device/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('stdout', () => {
  it('full (> /dev/full): one line, exit 2, no stack trace', (ctx) => {
    if (!existsSync('/dev/full')) return ctx.skip();
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'fid', a, b, '--json'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      const errors = r.stderr.split('\n').filter((l) => !l.startsWith('gen-eval: warning: ') && l !== '');
      expect(errors).toEqual(['gen-eval: stdout: cannot write: no space left on device (ENOSPC)']);
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  });

  it("closed by the reader (| head -c0, EPIPE): no message, the command's own exit code", () => {
    // head exits at once, long before node writes its result, so the write meets a closed pipe.
    const script = `"$0" "$1" fid "$2" "$3" --json | head -c0; exit "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script, process.execPath, CLI, a, b], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error|node:| {4}at /);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('gen-eval: warning: '))).toEqual([]);
    expect(r.status).toBe(0);
  });
});

describe('usage errors: exactly one line, exit 2', () => {
  it.each([
    ['unknown option with a suggestion', ['fid', a, b, '--bacth-size', '3'], /unknown option '--bacth-size' \(Did you mean --batch-size\?\) \(see --help\)$/],
    ['unknown command with a suggestion', ['fidd'], /unknown command 'fidd' \(Did you mean fid\?\)/],
    ['unknown option', ['fid', a, b, '--bogus'], /unknown option '--bogus'/],
    ['missing argument', ['fid', a], /missing required argument 'b'/],
    ['missing required option', ['stats', a], /required option '-o, --output <file>' not specified/],
    ['missing option value', ['fid', a, b, '--batch-size'], /option '--batch-size <n>' argument missing/],
    ['invalid option choice', ['fid', a, b, '--dims', '7'], /Allowed choices are 64, 192, 768, 2048/],
    ['invalid argument choice', ['divergence', 'foo', a, b], /Allowed choices are knn-kl/],
    ['excess arguments', ['fid', a, b, a], /too many arguments for 'fid'/],
    ['option value with =', ['fid', a, b, '--json=3'], /unknown option '--json=3' \(Did you mean --json\?\)/],
  ])('%s', async (_, args, problem) => expectInputError(await run(args), null, problem));
});

describe('option values: plain decimal integers within a bound, decimal numbers', () => {
  it.each([
    [['modes', 'grid', a, '--grid-size', '100000'], '--grid-size', 1, 100],
    [['modes', 'ring', a, '--modes', '1000000'], '--modes', 1, 10000],
    [['modes', 'classes', a, '--classes', '10000000'], '--classes', 1, 1000000],
    [['is', a, '--splits', '0x10'], '--splits', 1, 10000],
    [['is', a, '--shuffle-seed', '4294967296'], '--shuffle-seed', 0, 4294967295],
    [['kid', a, b, '--subsets', '1e3'], '--subsets', 1, 100000],
    [['kid', a, b, '--subset-size', '+5'], '--subset-size', 2, 1000000],
    [['pr', a, b, '--k', ' 5'], '--k', 1, 1000],
    [['prdc', a, b, '--k', '5.0'], '--k', 1, 1000],
    [['eval', a, b, '--metrics', 'pr', '--pr-k', '100000'], '--pr-k', 1, 1000],
    [['divergence', 'sliced-w', a, b, '--projections', '1000000'], '--projections', 1, 10000],
    [['divergence', 'sinkhorn', a, b, '--max-iterations', '1e9'], '--max-iterations', 1, 10000000],
    [['divergence', 'knn-kl', a, b, '--k', '-1'], '--k', 1, 1000],
    [['ndb', a, b, '--bins', '100000'], '--bins', 2, 10000],
    [['train', '--model', 'gan', '--steps', '1e3'], '--steps', 1, 100000000],
    [['train', '--model', 'gan', '--batch-size', '10000000'], '--batch-size', 1, 65536],
    [['train', '--model', 'gan', '--eval-samples', '1000000'], '--eval-samples', 2, 100000],
    [['sample', dir, '-n', '0x10', '-o', 'x.npy'], '-n', 1, 10000000],
    [['fid', a, b, '--batch-size', '5000'], '--batch-size', 1, 1024],
    [['fid', a, b, '--workers', '1000'], '--workers', 0, 256],
    [['fid', a, b, '--threads', '0x2'], '--threads', 1, 256],
    [['fid', a, b, '--input-size', '100000'], '--input-size', 1, 4096],
  ])('%j', async (args, name, min, max) => {
    expectInputError(await run(args), null, new RegExp(`^gen-eval: ${name} must be an integer from ${min} to ${max}, got ".*" \\(see --help\\)$`));
  });

  it.each([
    [['divergence', 'mmd', a, b, '--sigma', '0x10'], /--sigma must be a number > 0, got "0x10"/],
    [['divergence', 'sinkhorn', a, b, '--epsilon', ' 1'], /--epsilon must be a number > 0, got " 1"/],
    [['divergence', 'kl', hist, hist, '--smoothing', ''], /--smoothing must be a number ≥ 0, got ""/],
    [['train', '--model', 'gan', '--lr', '0x1'], /--lr must be a number > 0, got "0x1"/],
    [['train', '--model', 'gan', '--time-budget', 'Infinity'], /--time-budget must be a number > 0 and ≤ 10000000/],
  ])('%j', async (args, problem) => expectInputError(await run(args), null, problem));

  it('in range and decimal: accepted (leading zeros and exponents in numbers are decimal)', async () => {
    const r = await cliInProcess('divergence', 'sliced-w', a, b, '--projections', '010', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).projections).toBe(10);
    expect((await cliInProcess('divergence', 'mmd', a, b, '--sigma', '1e0')).code).toBe(0);
  });
});

describe('options the chosen estimator, protocol or metric would ignore are refused', () => {
  it.each([
    [['divergence', 'mmd', a, b, '--kernel', 'polynomial', '--sigma', '2'], /^gen-eval: --sigma does not apply to mmd --kernel polynomial; it takes --kernel$/],
    [['divergence', 'knn-kl', a, b, '--sigma', '2'], /^gen-eval: --sigma does not apply to knn-kl; it takes --k$/],
    [['divergence', 'sinkhorn', a, b, '--projections', '5'], /--projections does not apply to sinkhorn; it takes --epsilon, --p, --tolerance, --max-iterations/],
    [['divergence', 'w1', a, b, '--k', '3', '--seed', '1'], /--k, --seed do not apply to w1; it takes --p-weights, --q-weights/],
    [['modes', 'ring', a, '--grid-size', '3'], /--grid-size does not apply to modes ring/],
    [['modes', 'classes', a, '--classes', '3', '--sigma', '1'], /--sigma does not apply to modes classes; it takes --classes/],
    [['eval', a, b, '--pr-k', '3'], /--pr-k configures the pr metric, which --metrics fid leaves out/],
    [['eval', a, b, '--metrics', 'fid,pr', '--splits', '3'], /--splits configures the is metric/],
  ])('%j', async (args, problem) => expectInputError(await run(args), null, problem));

  it('the options an estimator uses are accepted, given or not', async () => {
    expect((await cliInProcess('divergence', 'mmd', a, b, '--kernel', 'gaussian', '--sigma', '2', '--json')).code).toBe(0);
    expect((await cliInProcess('divergence', 'sliced-w', a, b, '--p', '1', '--seed', '3', '--projections', '7')).code).toBe(0);
    expect((await cliInProcess('eval', a, b, '--metrics', 'fid,pr', '--pr-k', '2', '--json')).code).toBe(0);
  });
});

describe('image folders (synthetic Inception weights)', () => {
  const weights = join(dir, 'synthetic.pth');
  writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(7)));
  const A = join(FIXTURES, 'e2e-images/a');
  const B = join(FIXTURES, 'e2e-images/b');
  const run = (...args: string[]) => cliWith({ env: { GEN_EVAL_CACHE: join(dir, 'cache') }, timeout: 120_000 }, ...args, '--weights', weights, '--quiet');

  it("eval prints the weights' SHA-256 warning once, on stderr and in --json", () => {
    const r = run('eval', A, B, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/SHA-256/g)).toHaveLength(1);
    expect(JSON.parse(r.stdout).warnings.filter((w: string) => w.includes('SHA-256'))).toHaveLength(1);
  });

  it('--device cuda without the CUDA provider: one clear line, exit 2 (skipped where CUDA works)', (ctx) => {
    const r = run('fid', A, B, '--device', 'cuda', '--no-cache');
    if (r.code === 0) return ctx.skip();
    expectInputError(r, null, /the CUDA execution provider is not available .*; use the CPU, or install the provider \(README, "GPU"\)$/);
  });
});
