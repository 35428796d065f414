/**
 * pairedMetrics over files: folders matched by name, `.npy` arrays (uint8, float, grey), a folder
 * against an array, against scikit-image's values (fixtures/golden/paired/cli.json); every
 * mismatch a one-line error naming the file.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/paired/cli.json' with { type: 'json' };
import { encodeNpy } from '../io/npy.js';
import { expectClose, expectGenEvalError, GOLDEN_TOLERANCE } from '../testing/expect.js';
import { pairedMetrics, type PairedMetricsResult } from './paired-metrics.js';

const G = join(import.meta.dirname, '../../../../fixtures/golden/paired');
const at = (name: string) => join(G, name);
const dir = mkdtempSync(join(tmpdir(), 'gen-eval-paired-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const value = (v: number | string) => (v === 'Infinity' ? Infinity : (v as number));
type Values = { readonly l1: number | string; readonly psnr: number | string; readonly ssim: number | string };
type Expected = { readonly per_image: readonly Values[]; readonly mean: Values };

function expectGolden(r: PairedMetricsResult, expected: Expected, names: readonly string[]): void {
  expect(r.n).toBe(expected.per_image.length);
  expect(r.perImage.map((p) => p.name)).toEqual(names);
  for (const key of ['l1', 'psnr', 'ssim'] as const) {
    expectClose(
      r.perImage.map((p) => p.values[key]!),
      expected.per_image.map((p) => value(p[key])),
      GOLDEN_TOLERANCE,
    );
    expectClose(r.result[key]!, value(expected.mean[key]), GOLDEN_TOLERANCE);
  }
}

describe('pairedMetrics against scikit-image', () => {
  it('matches two folders by relative name', async () => {
    const r = await pairedMetrics(at('ref'), at('test'));
    expectGolden(r, golden.uint8, golden.names);
    expect(r.result.psnr).toBe(Infinity);
    expect(r.identicalPairs).toBe(1);
  });

  it('reads two uint8 arrays, and a folder against an array, row by row', async () => {
    expectGolden(await pairedMetrics(at('ref.npy'), at('test.npy')), golden.uint8, ['0', '1', '2']);
    expectGolden(await pairedMetrics(at('ref'), at('test.npy')), golden.uint8, golden.names);
    expectGolden(await pairedMetrics(at('ref.npy'), at('test')), golden.uint8, golden.names);
  });

  it('scales a float array on [0, 1] by 255', async () => {
    expectGolden(await pairedMetrics(at('ref.npy'), at('test-float.npy')), golden.float, ['0', '1', '2']);
  });

  it('reads grey arrays, and compares a grey array with RGB images as RGB', async () => {
    expectGolden(await pairedMetrics(at('grey-ref.npy'), at('grey-test.npy')), golden.grey, ['0', '1', '2']);
    const r = await pairedMetrics(at('grey-ref.npy'), at('ref'), { metrics: ['l1'] });
    expect(r.conventions).toEqual({ l1: expect.stringContaining('255') });
    expect(Object.keys(r.result)).toEqual(['l1']);
  });
});

describe('pairedMetrics: folders pair by name without extension', () => {
  it('pairs x.png with x.tiff (the same pixels), as sample writes PNGs for JPEG targets', async () => {
    const { default: sharp } = await import('sharp');
    const test = join(dir, 'as-tiff');
    for (const name of golden.names) {
      const to = join(test, name.replace(/\.png$/, '.tiff'));
      mkdirSync(dirname(to), { recursive: true });
      await sharp(join(G, 'test', name))
        .tiff({ compression: 'lzw' })
        .toFile(to);
    }
    expectGolden(await pairedMetrics(at('ref'), test), golden.uint8, golden.names);
  });

  it('refuses two files of one name in a folder, naming both', async () => {
    const b = join(dir, 'twice');
    cpSync(at('test'), b, { recursive: true });
    cpSync(at('test/a.png'), join(b, 'a.tif'));
    await expectGenEvalError(pairedMetrics(at('ref'), b), {
      code: 'bad_input',
      message: `${b}: a.png and a.tif share the name a: paired images are matched by relative path without extension`,
    });
  });
});

describe('pairedMetrics: bad inputs are one line naming the file', () => {
  const copy = (name: string, files: Record<string, string>) => {
    const d = join(dir, name);
    for (const [to, from] of Object.entries(files)) cpSync(at(from), join(d, to));
    return d;
  };

  it('names the first unmatched files of each side', async () => {
    const a = copy('a', { 'a.png': 'ref/a.png', 'x.png': 'ref/b.png' });
    const b = copy('b', { 'a.png': 'test/a.png', 'y.png': 'test/b.png', 'z.png': 'test/b.png' });
    await expectGenEvalError(pairedMetrics(a, b), {
      code: 'bad_input',
      message: `${a}: images are matched by relative file name without extension: 1 image of ${a} without a match in ${b} (x.png); 2 images of ${b} without a match in ${a} (y.png, z.png)`,
    });
  });

  it('refuses counts and sizes that differ, a bad array, and images below the SSIM window', async () => {
    const two = join(dir, 'two.npy');
    writeFileSync(two, encodeNpy(new Uint8Array(2 * 16 * 18 * 3), [2, 16, 18, 3]));
    await expectGenEvalError(pairedMetrics(at('ref'), two), { code: 'bad_input', path: two, message: /has 2 images but .* has 3/ });
    const wide = join(dir, 'wide.npy');
    writeFileSync(wide, encodeNpy(new Uint8Array(3 * 16 * 19 * 3), [3, 16, 19, 3]));
    await expectGenEvalError(pairedMetrics(at('ref.npy'), wide), {
      code: 'bad_input',
      message: `${wide} image 0: is 16×19 but ${at('ref.npy')} image 0 is 16×18; paired metrics never resize`,
    });
    const flat = join(dir, 'flat.npy');
    writeFileSync(flat, encodeNpy(new Float64Array(6), [2, 3]));
    await expectGenEvalError(pairedMetrics(flat, flat), { code: 'bad_input', path: flat, message: /expected images N×H×W or N×H×W×C/ });
    const small = join(dir, 'small.npy');
    writeFileSync(small, encodeNpy(new Uint8Array(2 * 10 * 12), [2, 10, 12]));
    await expectGenEvalError(pairedMetrics(small, small, { metrics: ['ssim'] }), {
      code: 'bad_input',
      message: `${small} image 0: is 10×12, smaller than SSIM's Gaussian window (11×11)`,
    });
    // PSNR and L1 have no window.
    expect((await pairedMetrics(small, small, { metrics: ['psnr', 'l1'] })).result).toEqual({ l1: 0, psnr: Infinity });
  });

  it('refuses float values outside [0, 1] and unknown metrics', async () => {
    const over = join(dir, 'over.npy');
    writeFileSync(
      over,
      encodeNpy(
        Float64Array.from({ length: 2 * 11 * 11 }, (_, i) => (i === 5 ? 1.5 : 0.5)),
        [2, 11, 11],
      ),
    );
    await expectGenEvalError(pairedMetrics(over, over), { code: 'bad_input', path: over, message: /image 0 has value 1.5 at index 5; float images must lie in \[0, 1\]/ });
    await expectGenEvalError(pairedMetrics(over, over, { metrics: ['mse' as 'l1'] }), { code: 'usage', message: 'unknown paired metric "mse"; expected l1, psnr or ssim' });
  });
});
