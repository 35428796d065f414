/**
 * `gen-eval psnr|ssim|l1 REF TEST`: scikit-image's values (fixtures/golden/paired/cli.json) on
 * folders, `.npy` arrays and a mix; `--per-image` CSV; `--json` read by `gen-eval check` and
 * `gen-eval report`; bad inputs one line, exit 2, naming the file, nothing written.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '@gen-eval/metrics';
import { expectClose, GOLDEN_TOLERANCE } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/paired/cli.json' with { type: 'json' };
import { cliInProcess } from './cli-in-process.js';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const G = join(import.meta.dirname, '../../../fixtures/golden/paired');
const at = (name: string) => join(G, name);
const dir = tempDir('gen-eval-paired-');
const value = (v: number | string) => (v === 'Infinity' ? Infinity : (v as number));

describe('gen-eval psnr | ssim | l1', () => {
  it('prints the mean over pairs of scikit-image values, folders matched by name', async () => {
    for (const metric of ['ssim', 'l1'] as const) {
      const r = await cliInProcess(metric, at('ref'), at('test'), '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expectClose(out[metric], golden.uint8.mean[metric], GOLDEN_TOLERANCE);
      expect([out.metric, out.n, out.identical_pairs, out.warnings]).toEqual([metric, 3, 1, []]);
      expect(out.convention).toMatch(metric === 'ssim' ? /11×11 Gaussian window σ = 1\.5/ : /255/);
    }
    const human = await cliInProcess('ssim', at('ref.npy'), at('test-float.npy'));
    const line = /^SSIM: (\S+) {2}\(mean of 3 pairs\)\n$/.exec(human.stdout);
    expectClose(Number(line?.[1]), golden.float.mean.ssim, GOLDEN_TOLERANCE);
  });

  it('reports an identical pair’s infinite PSNR as inf, null in JSON', async () => {
    const r = await cliInProcess('psnr', at('ref'), at('test.npy'));
    expect(r.stdout).toBe('PSNR: inf dB  (mean of 3 pairs; 1 identical)\n');
    const j = await cliInProcess('psnr', at('ref.npy'), at('test'), '--json');
    expect(JSON.parse(j.stdout)).toMatchObject({ metric: 'psnr', psnr: null, n: 3, identical_pairs: 1 });
  });

  it('writes --per-image as CSV (relative name, value; inf for an identical pair)', async () => {
    const csv = join(dir, 'psnr.csv');
    const r = await cliInProcess('psnr', at('ref'), at('test'), '--per-image', csv);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('name,psnr');
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(golden.names);
    const values = rows.slice(1).map((row) => (row.split(',')[1] === 'inf' ? Infinity : Number(row.split(',')[1])));
    expectClose(
      values,
      golden.uint8.per_image.map((p) => value(p.psnr)),
      GOLDEN_TOLERANCE,
    );
    const float = join(dir, 'float.csv');
    expect((await cliInProcess('l1', at('ref.npy'), at('test-float.npy'), '--per-image', float)).code).toBe(0);
    const l1 = readFileSync(float, 'utf8').trimEnd().split('\n').slice(1);
    expect(l1.map((row) => row.split(',')[0])).toEqual(['0', '1', '2']);
    expectClose(
      l1.map((row) => Number(row.split(',')[1])),
      golden.float.per_image.map((p) => p.l1),
      GOLDEN_TOLERANCE,
    );
  });

  it('gives gen-eval check and gen-eval report a result they read', () => {
    const result = join(dir, 'psnr.json');
    const r = cli('psnr', at('ref.npy'), at('test-float.npy'), '--json');
    writeFileSync(result, r.stdout);
    const gates = join(dir, 'gates.json');
    writeFileSync(gates, JSON.stringify({ psnr: { min: 30 } }));
    expect(cli('check', result, '--thresholds', gates).code).toBe(0);
    writeFileSync(gates, JSON.stringify({ psnr: { min: 31 } }));
    expect(cli('check', result, '--thresholds', gates).code).toBe(1);
    const ssim = join(dir, 'ssim.json');
    writeFileSync(ssim, cli('ssim', at('grey-ref.npy'), at('grey-test.npy'), '--json').stdout);
    const l1 = join(dir, 'l1.json');
    writeFileSync(l1, cli('l1', at('grey-ref.npy'), at('grey-test.npy'), '--json').stdout);
    writeFileSync(gates, JSON.stringify({ ssim: { min: 0.1 } }));
    expect(cli('check', ssim, '--thresholds', gates).code).toBe(0);
    writeFileSync(gates, JSON.stringify({ l1: { max: 0.3 } }));
    expect(cli('check', l1, '--thresholds', gates).code).toBe(1);
    // An infinite mean is null in JSON: a bound on it cannot be checked (exit 2, naming the key).
    const inf = join(dir, 'inf.json');
    writeFileSync(inf, cli('psnr', at('ref'), at('test'), '--json').stdout);
    writeFileSync(gates, JSON.stringify({ psnr: { min: 30 } }));
    expectInputError(cli('check', inf, '--thresholds', gates), inf, /"psnr" is not a finite number \(null\)/);
    const csv = join(dir, 'table.csv');
    expect(cli('report', result, ssim, l1, '-o', join(dir, 'report.html'), '--csv', csv).code).toBe(0);
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const col = (name: string) => header!.split(',').indexOf(name);
    expect([col('l1'), col('psnr'), col('ssim')].every((c) => c > 0)).toBe(true);
    expectClose(Number(rows[0]!.split(',')[col('psnr')]), golden.float.mean.psnr, GOLDEN_TOLERANCE);
    expectClose(Number(rows[1]!.split(',')[col('ssim')]), golden.grey.mean.ssim, GOLDEN_TOLERANCE);
    expectClose(Number(rows[2]!.split(',')[col('l1')]), golden.grey.mean.l1, GOLDEN_TOLERANCE);
  });
});

describe('gen-eval psnr | ssim | l1: bad inputs', () => {
  const folder = (name: string, files: Record<string, string>) => {
    const d = join(dir, name);
    for (const [to, from] of Object.entries(files)) cpSync(at(from), join(d, to));
    return d;
  };
  const npy = (name: string, shape: number[]) => {
    const path = join(dir, name);
    writeFileSync(path, encodeNpy(new Uint8Array(shape.reduce((a, b) => a * b, 1)), shape));
    return path;
  };

  it('names the first unmatched files on each side', async () => {
    const a = folder('a', { 'a.png': 'ref/a.png', 'only-ref.png': 'ref/b.png' });
    const b = folder('b', { 'a.png': 'test/a.png', 'only-test.png': 'test/b.png' });
    const csv = join(dir, 'never.csv');
    expectInputError(
      await cliInProcess('ssim', a, b, '--per-image', csv),
      a,
      /1 image of .* without a match in .* \(only-ref\.png\); 1 image of .* without a match in .* \(only-test\.png\)/,
    );
    expect(existsSync(csv)).toBe(false);
  });

  it('refuses different sizes, counts, shapes, and images smaller than the SSIM window', async () => {
    const wide = npy('wide.npy', [3, 16, 19, 3]);
    expectInputError(await cliInProcess('psnr', at('ref'), wide), `${wide} image 0`, /is 16×19 but .*a\.png is 16×18; paired metrics never resize/);
    const two = npy('two.npy', [2, 16, 18, 3]);
    expectInputError(await cliInProcess('l1', at('ref'), two), two, /has 2 images but .* has 3/);
    const flat = npy('flat.npy', [3, 16]);
    expectInputError(await cliInProcess('ssim', flat, flat), flat, /expected images N×H×W or N×H×W×C/);
    const small = npy('small.npy', [2, 10, 12]);
    expectInputError(await cliInProcess('ssim', small, small), `${small} image 0`, /is 10×12, smaller than SSIM's Gaussian window \(11×11\)/);
    expect((await cliInProcess('psnr', small, small)).code).toBe(0);
  });

  it('never writes --per-image over an input', async () => {
    const ref = folder('c', { 'a.png': 'ref/a.png' });
    expectInputError(await cliInProcess('l1', ref, ref, '--per-image', join(ref, 'x.csv')), join(ref, 'x.csv'), /lies inside the input folder/);
  });
});
