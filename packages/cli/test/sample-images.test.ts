/**
 * `gen-eval sample` of image runs and the metrics that read its output, end to end: `-o x.npy`
 * holds the PNGs' bytes (uint8 N×H×W×C), so `fid x.npy DIR --extractor mnist` of the same samples
 * is 0; an image folder or array of another size than the mnist extractor's 28×28 gets one note;
 * an image cyclegan translates an `--input` folder or `.npy` image array, refusing one of the
 * wrong size or channels in one exit-2 line.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, readNpy } from '@gen-eval/metrics';
import { decodeImageFile } from '@gen-eval/metrics/images';
import { encodePng } from '@gen-eval/models';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { mnistDigits } from './mnist-digits.js';

const dir = tempDir('gen-eval-sample-images-');
const tiny = ['--hp', 'hidden=4', '--batch-size', '4', '--eval-samples', '8', '--eval-every', '100', '--backend', 'wasm'];
const HW = 28 * 28;
const digits = mnistDigits('test');

/** The first n test digits, zero-padded from 28 to `size` px, as grey PNG files in a new folder. */
async function digitFolder(name: string, n: number, size = 28, channels = 1): Promise<string> {
  const out = join(dir, name);
  mkdirSync(out);
  const pad = (size - 28) / 2;
  for (let i = 0; i < n; i++) {
    const px = new Uint8Array(size * size * channels);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        for (let c = 0; c < channels; c++) px[((y + pad) * size + x + pad) * channels + c] = c === 1 ? 0 : digits.images[i * HW + y * 28 + x]!;
      }
    }
    writeFileSync(join(out, `${i}.png`), await encodePng(px, { height: size, width: size, channels }));
  }
  return out;
}

const fidOf = (...args: string[]) => {
  const r = cli('fid', ...args, '--extractor', 'mnist', '--no-cache', '--quiet', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { fid: number; warnings: string[] };
};

describe('gen-eval sample on an image run', () => {
  const run = join(dir, 'gan');
  it("-o x.npy is uint8 N×H×W×C, the PNGs' bytes: fid x.npy DIR --extractor mnist is 0", async () => {
    expect(cli('train', '--model', 'ns-gan', '--data', 'mnist', '--steps', '2', '--out', run, ...tiny).code).toBe(0);
    const npy = join(dir, 'x.npy');
    const pngs = join(dir, 'x-pngs');
    const r = cli('sample', run, '-n', '12', '-o', npy, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 12, shape: [12, 28, 28, 1], format: 'npy', dtype: 'uint8' });
    expect(cli('sample', run, '-n', '12', '-o', pngs).code).toBe(0);
    const arr = readNpy(npy);
    expect([arr.dtype, arr.shape]).toEqual(['|u1', [12, 28, 28, 1]]);
    const first = await decodeImageFile(join(pngs, '000000.png'));
    expect(Array.from((arr.data as Uint8Array).subarray(0, HW))).toEqual(Array.from(first.data.filter((_, k) => k % 3 === 0)));
    const f = fidOf(npy, pngs);
    expect(Math.abs(f.fid)).toBeLessThan(1e-9);
    expect(f.warnings.some((w) => /resized/.test(w))).toBe(false);
  });

  it('fid --extractor mnist on 32×32 images (folder or .npy): one note on how they were resized', async () => {
    const real = await digitFolder('real-28', 10);
    const big = await digitFolder('real-32', 10, 32);
    const r = cli('fid', real, big, '--extractor', 'mnist', '--no-cache', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => /resized/.test(l));
    expect(notes).toEqual([
      `gen-eval: warning: ${big}: 10 of 10 images are not 28×28 (10 at 32×32); resized to 28×28 for the mnist extractor with torch bilinear (align_corners=False, no antialiasing, as pytorch-fid), aspect ratio not kept`,
    ]);
    expect(fidOf(real, big, '--profile', 'clean').warnings.filter((w) => /resized/.test(w))).toEqual([
      `${big}: 10 of 10 images are not 28×28 (10 at 32×32); resized to 28×28 for the mnist extractor with Pillow bicubic (antialiased, as clean-fid), aspect ratio not kept`,
    ]);
    const arr = join(dir, 'real-64.npy');
    writeFileSync(arr, encodeNpy(new Uint8Array(4 * 64 * 64), [4, 64, 64, 1]));
    expect(fidOf(real, arr).warnings.filter((w) => /resized/.test(w))).toEqual([
      `${arr}: 4 of 4 images are not 28×28 (4 at 64×64); resized to 28×28 for the mnist extractor with torch bilinear (align_corners=False, no antialiasing, as pytorch-fid), aspect ratio not kept`,
    ]);
  });
});

describe('gen-eval sample --input on an image cyclegan run', () => {
  const run = join(dir, 'cyclegan');
  it('translates a folder of images and the same images as an .npy array alike', async () => {
    expect(cli('train', '--model', 'cyclegan', '--data', 'mnist', '--steps', '1', '--out', run, ...tiny).code).toBe(0);
    const input = await digitFolder('domain-a', 6);
    const arr = join(dir, 'domain-a.npy');
    writeFileSync(arr, encodeNpy(digits.images.slice(0, 6 * HW), [6, 28, 28]));
    const a = cli('sample', run, '--input', input, '-o', join(dir, 'ab-folder.npy'), '--json');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ rows: 6, shape: [6, 28, 28, 1], warnings: [] });
    expect(cli('sample', run, '--input', arr, '-o', join(dir, 'ab-array.npy')).code).toBe(0);
    expect(readFileSync(join(dir, 'ab-array.npy'))).toEqual(readFileSync(join(dir, 'ab-folder.npy')));
    const back = cli('sample', run, '--from', 'b', '--input', join(dir, 'ab-array.npy'), '-o', join(dir, 'aba'));
    expect(back.code, back.stderr).toBe(0);
    expect(readdirSync(join(dir, 'aba'))).toHaveLength(6);
  });

  it('resizes a folder of another size with a note; refuses arrays of another shape and colour for a grey run', async () => {
    const big = await digitFolder('domain-a-32', 3, 32);
    const r = cli('sample', run, '--input', big, '-o', join(dir, 'ab-32.npy'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`gen-eval: warning: ${big}: 3 of 3 images are not 28×28 (32×32); resized to 28×28 with Pillow bicubic, aspect ratio not kept\n`);
    const wrong = join(dir, 'a-32.npy');
    writeFileSync(wrong, encodeNpy(new Uint8Array(2 * 32 * 32), [2, 32, 32, 1]));
    expectInputError(cli('sample', run, '--input', wrong, '-o', join(dir, 'never.npy')), wrong, /holds 2 images of 32×32×1, the run's images are 28×28×1/);
    const signed = join(dir, 'a-signed.npy');
    writeFileSync(signed, encodeNpy(new Float32Array(2 * HW).fill(-1), [2, 28, 28, 1]));
    expectInputError(cli('sample', run, '--input', signed, '-o', join(dir, 'never.npy')), signed, /float images must lie in \[0, 1\]/);
    const colour = await digitFolder('domain-a-rgb', 2, 28, 3);
    expectInputError(cli('sample', run, '--input', colour, '-o', join(dir, 'never.npy')), colour, /has colour images but the run's images are grey/);
    const none = join(dir, 'no-images');
    mkdirSync(none);
    expectInputError(cli('sample', run, '--input', none, '-o', join(dir, 'never.npy')), none, /empty folder/);
    expect(readdirSync(dir).filter((f) => f.startsWith('never'))).toEqual([]);
    // train --data of an empty folder: the same one line
    expectInputError(cli('train', '--model', 'ns-gan', '--data', none, '--out', join(dir, 'never-run')), none, /empty folder \(no files found\)/);
    expect(readdirSync(dir).filter((f) => f.startsWith('never'))).toEqual([]);
  });
});

describe('gen-eval sample --input DIR -o OUT/: one output per input, under the same relative name', () => {
  const run = join(dir, 'cyclegan');
  it('mirrors the input folder (sub-folders recreated, .png names); the rows equal those of -o x.npy', async () => {
    const input = await digitFolder('mirror-in', 3);
    mkdirSync(join(input, 'sub'));
    renameSync(join(input, '2.png'), join(input, 'sub', '2.png'));
    const out = join(dir, 'mirror-out');
    const r = cli('sample', run, '--input', input, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(['0.png', '1.png', 'sub', join('sub', '2.png')]);
    expect(cli('sample', run, '--input', input, '-o', join(dir, 'mirror.npy')).code).toBe(0);
    const arr = readNpy(join(dir, 'mirror.npy')).data as Uint8Array;
    const third = await decodeImageFile(join(out, 'sub', '2.png'));
    expect(Array.from(arr.subarray(2 * HW, 3 * HW))).toEqual(Array.from(third.data.filter((_, k) => k % 3 === 0)));
  });

  it('refuses an output inside the input and two inputs whose outputs would share a name, writing nothing', async () => {
    const input = await digitFolder('mirror-clash', 2);
    expectInputError(cli('sample', run, '--input', input, '-o', join(input, 'out')), null, /inside the input folder/);
    copyFileSync(join(input, '1.png'), join(input, '0.jpg'));
    const out = join(dir, 'never-mirror');
    expectInputError(cli('sample', run, '--input', input, '-o', out), input, /has both 0\.jpg and 0\.png, whose outputs would both be 0\.png; rename one/);
    expect(existsSync(out) || existsSync(join(input, 'out'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
