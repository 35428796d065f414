/**
 * `gen-eval` on image folders, end to end through the built CLI: two small folders
 * (fixtures/e2e-images/a, b) and seeded synthetic Inception weights (written here as a legacy
 * .pth) against fixtures/scripts/gen_e2e.py's independent PyTorch pipeline; bad inputs of every
 * kind give one line naming the file and exit code 2. Every process gets its own cache folder.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, encodeModel } from '@gen-eval/metrics/extract';
import { encodeLegacyPth, syntheticInceptionStateDict } from '@gen-eval/metrics/testing';
import { RandomState, readStatsNpz } from '@gen-eval/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/e2e/reference.json' with { type: 'json' };
import { cliWith, expectInputError } from './golden-cli.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const A = join(FIXTURES, 'e2e-images/a');
const B = join(FIXTURES, 'e2e-images/b');
const dir = mkdtempSync(join(tmpdir(), 'gen-eval-images-'));
const cache = join(dir, 'cache');
const weights = join(dir, 'synthetic.pth');

beforeAll(() => {
  mkdirSync(cache);
  writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(golden.weights_seed)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built CLI with this file's cache folder (or another) and a generous timeout. */
const cli = (args: string[], opts: { cache?: string; timeout?: number } = {}) =>
  cliWith({ env: { GEN_EVAL_CACHE: opts.cache ?? cache }, timeout: opts.timeout ?? 120_000 }, ...args);
const withWeights = (...args: string[]) => cli([...args, '--weights', weights, '--quiet']);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('gen-eval on image folders (synthetic Inception weights)', () => {
  let fidAB: number | undefined;

  it("fid A/ B/ equals the PyTorch reference and warns that the weights are not pytorch-fid's", () => {
    const r = withWeights('fid', A, B, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    fidAB = out.fid;
    expect(rel(out.fid, golden.profiles['pytorch-fid'].fid)).toBeLessThan(1e-4);
    expect(out.warnings.some((w: string) => w.includes(weights) && /not pytorch-fid's/.test(w))).toBe(true);
    const human = cli(['fid', A, B, '--weights', weights]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^FID: {2}\d+\.\d+\n$/);
    expect(rel(Number(human.stdout.slice(5)), golden.profiles['pytorch-fid'].fid)).toBeLessThan(1e-4);
    expect(human.stderr).toMatch(/warning: .*synthetic\.pth: SHA-256 [0-9a-f]{8}… is not pytorch-fid's/);
  });

  it('the clean profile gives its own reference FID', () => {
    const r = withWeights('fid', A, B, '--profile', 'clean', '--json');
    expect(r.code).toBe(0);
    expect(rel(JSON.parse(r.stdout).fid, golden.profiles.clean.fid)).toBeLessThan(1e-4);
  });

  it('stats A/ -o a.npz, then fid a.npz B/, gives the same FID', () => {
    const npz = join(dir, 'a.npz');
    const s = withWeights('stats', A, '-o', npz, '--json');
    expect(s.code).toBe(0);
    const stats = readStatsNpz(npz);
    expect(stats.mu).toHaveLength(2048);
    expect(JSON.parse(s.stdout)).toMatchObject({ n: 6, dims: 2048 });
    const r = withWeights('fid', npz, B, '--json');
    expect(r.code).toBe(0);
    fidAB ??= JSON.parse(withWeights('fid', A, B, '--json').stdout).fid as number;
    expect(rel(JSON.parse(r.stdout).fid, fidAB)).toBeLessThan(1e-9);
    expect(rel(JSON.parse(r.stdout).fid, golden.profiles['pytorch-fid'].fid)).toBeLessThan(1e-4);
  });

  it('eval A B --metrics fid,is,kid,pr,prdc matches the reference metrics', () => {
    const m = golden.metrics;
    const r = withWeights('eval', A, B, '--metrics', 'fid,is,kid,pr,prdc', '--splits', String(m.is.splits), '--subsets', '5', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(rel(out.fid, m.fid)).toBeLessThan(1e-4);
    expect(Math.abs(out.is_mean - m.is.mean)).toBeLessThan(1e-6);
    expect(Math.abs(out.is_std - m.is.std)).toBeLessThan(1e-6);
    expect(rel(out.kid_mean, m.kid.mean)).toBeLessThan(1e-4); // subsets shrink to 6 = the whole sets
    expect([out.precision, out.recall]).toEqual([m.pr.precision, m.pr.recall]);
    expect([out.prdc_precision, out.prdc_recall, out.coverage]).toEqual([m.prdc.precision, m.prdc.recall, m.prdc.coverage]);
    expect(Math.abs(out.density - m.prdc.density)).toBeLessThan(1e-12);
    expect(out.inputs).toMatchObject([
      { kind: 'images', n: 6, profile: 'pytorch-fid' },
      { kind: 'images', n: 6 },
    ]);
    expect(out.warnings.some((w: string) => /KID subset size shrunk from 1000 to 6/.test(w))).toBe(true);
  });

  // Every command reads its inputs through the same loader; `eval --metrics fid` stands for all.
  describe('bad input: one line naming the file, exit code 2', () => {
    const evalFid = (...args: string[]) => cli(['eval', ...args, '--metrics', 'fid', '--quiet']);
    it('an empty folder, a folder without images, a missing path', () => {
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      expectInputError(evalFid(empty, B, '--weights', weights), empty, /no files|empty/i);
      const texts = join(dir, 'texts');
      mkdirSync(texts);
      writeFileSync(join(texts, 'notes.txt'), 'not an image');
      expectInputError(evalFid(A, texts, '--weights', weights), texts, /no images|not.*image/i);
      const missing = join(dir, 'no-such-folder');
      expectInputError(evalFid(missing, B, '--weights', weights), missing, /no such file or folder/);
    });

    it('a corrupt image stops the run naming it; --skip-bad skips and reports it', () => {
      const mixed = join(dir, 'mixed');
      cpSync(A, mixed, { recursive: true });
      const bad = join(mixed, 'a9-truncated.png');
      copyFileSync(join(FIXTURES, 'images-bad/truncated.png'), bad);
      expectInputError(evalFid(mixed, B, '--weights', weights), bad, /cannot decode image/);
      const r = evalFid(mixed, B, '--weights', weights, '--skip-bad', '--json');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      // The six good images are a/'s: the reference FID.
      expect(rel(out.fid, golden.profiles['pytorch-fid'].fid)).toBeLessThan(1e-4);
      expect(out.inputs[0]).toMatchObject({ path: mixed, n: 6, from_cache: false });
      expect(out.warnings.some((w: string) => w.includes(mixed) && /skipped 1 image/.test(w) && w.includes('a9-truncated.png'))).toBe(true);
    });

    it('weights of an unknown format, or a state dict with missing keys', () => {
      const junk = join(dir, 'junk.pth');
      writeFileSync(junk, Buffer.from('this is not a torch file at all, just text\n'));
      const r = evalFid(A, B, '--weights', junk);
      expectInputError(r, junk, /torch|pickle|format|not/i);
      const sd = syntheticInceptionStateDict(golden.weights_seed);
      sd.delete('Mixed_7c.branch_pool.conv.weight');
      const partial = join(dir, 'partial.pth');
      writeFileSync(partial, encodeLegacyPth(sd));
      expectInputError(evalFid(A, B, '--weights', partial), partial, /missing weight "Mixed_7c\.branch_pool\.conv\.weight"/);
      const nothing = join(dir, 'missing.pth');
      expectInputError(evalFid(A, B, '--weights', nothing), nothing, /no such weights file/);
    });

    it('offline, with no weights and an empty cache: one clear error that mentions --weights', (ctx) => {
      const empty = mkdtempSync(join(tmpdir(), 'gen-eval-nocache-'));
      try {
        const r = cli(['eval', A, B, '--metrics', 'fid', '--quiet'], { cache: empty, timeout: 30_000 });
        // A machine with network access would start a ~100 MB download: not a unit test's business.
        if (r.error !== undefined || r.code === 0) ctx.skip('the weights download did not fail fast (network available?)');
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^gen-eval: the Inception weights are not cached and could not be downloaded .*--weights PATH/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });
});

/**
 * A tiny ONNX extractor whose input shape is all symbolic ([n, c, h, w]): neither its layout nor
 * its size can be read from the model, so they must be declared (--layout, --input-size).
 */
function dynamicModel(): string {
  const rs = new RandomState(3);
  const path = join(dir, 'dynamic.onnx');
  writeFileSync(
    path,
    encodeModel({
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: { kind: 'ints', value: [4, 4] } } },
        { op: 'Relu', inputs: ['c'], outputs: ['r'] },
        { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
        { op: 'Flatten', inputs: ['p'], outputs: ['features'] },
      ],
      initializers: [{ name: 'w', dataType: DataType.FLOAT, dims: [8, 3, 4, 4], data: Float32Array.from(rs.normals(8 * 3 * 16), (v) => v * 0.3) }],
      inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 'c', 'h', 'w'] }],
      outputs: [{ name: 'features', dataType: DataType.FLOAT, dims: ['n', 8] }],
    }),
  );
  return path;
}

describe('folder messages and extractor options', () => {
  let model: string;
  beforeAll(() => {
    model = dynamicModel();
  });
  let outputs = 0;
  const onnx = (...args: string[]) =>
    cli(['stats', ...args, '-o', join(dir, `stats-${outputs++}.npz`), '--extractor', `onnx:${model}`, '--normalize', 'symmetric', '--input-size', '32', '--quiet', '--json']);

  it('--layout declares the input layout the model does not tell; the error names the option', () => {
    const without = cli(['stats', A, '-o', join(dir, 'never.npz'), '--extractor', `onnx:${model}`, '--normalize', 'symmetric', '--input-size', '32', '--quiet']);
    expectInputError(without, model, /cannot tell the input layout from the model; declare it \(CLI: --layout nchw or nhwc\)/);
    const r = onnx(A, '--layout', 'nchw');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n: 6, dims: 8 });
    const bad = onnx(A, '--layout', 'chw');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('onnx-only options with the inception extractor are a one-line usage error, not silently ignored', () => {
    for (const extra of [
      ['--normalize', 'imagenet'],
      ['--input-size', '224'],
      ['--layout', 'nhwc'],
      ['--normalize', 'unit', '--input-size', '64'],
    ]) {
      const r = cli(['fid', A, B, '--weights', weights, '--quiet', ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^gen-eval: ${extra.filter((x) => x.startsWith('--')).join(', ')} appl(y|ies) to onnx:PATH extractors only`));
    }
  });

  it('a dangling symbolic link or a FIFO with an image name is a bad image (never opened); with --skip-bad it is skipped and counted', (ctx) => {
    if (process.platform === 'win32') ctx.skip('no FIFOs on Windows');
    const odd = join(dir, 'odd');
    cpSync(A, odd, { recursive: true });
    const link = join(odd, 'a0-dangling.png');
    symlinkSync(join(dir, 'no-such-target.png'), link);
    const fifo = join(odd, 'a1-fifo.jpg');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(join(dir, 'nowhere'), join(odd, 'dangling-notes.txt')); // not an image by name: ignored
    expectInputError(onnx(odd, '--layout', 'nchw'), link, /dangling symbolic link \(its target does not exist\)/);
    rmSync(link);
    expectInputError(onnx(odd, '--layout', 'nchw'), fifo, /not a regular file \(a FIFO\)/);
    symlinkSync(join(dir, 'no-such-target.png'), link);
    const r = onnx(odd, '--layout', 'nchw', '--skip-bad');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(6);
    expect(out.warnings.some((w: string) => w.includes(odd) && /skipped 2 image/.test(w) && w.includes('a0-dangling.png'))).toBe(true);
  });

  it('--skip-bad with every image bad names the folder', () => {
    const allBad = join(dir, 'all-bad');
    mkdirSync(allBad);
    for (const n of ['x.png', 'y.jpg']) copyFileSync(join(FIXTURES, n.endsWith('png') ? 'images-bad/truncated.png' : 'images-bad/truncated.jpg'), join(allBad, n));
    expectInputError(
      onnx(allBad, '--layout', 'nchw', '--skip-bad'),
      allBad,
      /0 usable images; at least 2 are needed \(2 of 2 skipped as bad; first: .*x\.png: cannot decode image: file is truncated/,
    );
  });
});
