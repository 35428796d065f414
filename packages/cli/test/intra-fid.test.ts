/**
 * `gen-eval intra-fid`: on folders of real digits with the embedded `mnist` extractor it equals,
 * bit for bit, the mean of `gen-eval fid` run on each class's own folder (classes large enough for
 * the streamed statistics' several blocks, one block, and the exact low-rank route); bad labels are
 * one line naming the labels file, exit 2, nothing on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, RandomState, writeFileAtomic, writeNpy } from '@gen-eval/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { mnistDigits } from './mnist-digits.js';

const HW = 28 * 28;
const dir = tempDir('gen-eval-intra-fid-');
const NO_CACHE = ['--extractor', 'mnist', '--no-cache', '--quiet'];

/** int64 labels as numpy's default integer array saves them. */
function labelsFile(name: string, labels: ArrayLike<number>): string {
  const path = join(dir, name);
  writeFileAtomic(
    path,
    encodeNpy(
      BigInt64Array.from(Array.from(labels), (v) => BigInt(v)),
      [labels.length],
    ),
  );
  return path;
}

/**
 * A folder of the chosen digits in shuffled order (so a class's rows are not contiguous), one
 * PGM per digit named by its position, and beside it one folder per class holding the same files.
 */
function digitFolder(name: string, split: 'train' | 'test', perClass: Record<number, number>, seed: number): { folder: string; labels: number[] } {
  const d = mnistDigits(split);
  const chosen: number[] = [];
  for (const [label, count] of Object.entries(perClass)) chosen.push(...[...d.labels.keys()].filter((i) => d.labels[i] === Number(label)).slice(0, count));
  const order = new RandomState(seed).permutation(chosen.length);
  const folder = join(dir, name);
  const labels: number[] = [];
  mkdirSync(folder);
  for (const label of Object.keys(perClass)) mkdirSync(join(dir, `${name}-class-${label}`));
  order.forEach((o, pos) => {
    const i = chosen[o]!;
    const file = `${String(pos).padStart(5, '0')}.pgm`;
    const bytes = Buffer.concat([Buffer.from('P5\n28 28\n255\n'), d.images.subarray(i * HW, (i + 1) * HW)]);
    writeFileSync(join(folder, file), bytes);
    writeFileSync(join(dir, `${name}-class-${d.labels[i]}`, file), bytes);
    labels.push(d.labels[i]!);
  });
  return { folder, labels };
}

describe('gen-eval intra-fid', () => {
  let real: { folder: string; labels: number[] };
  let fake: { folder: string; labels: number[] };
  beforeAll(() => {
    // Class 0: 600 real (two 512-row blocks of streamed statistics); class 1: 150 (one block, n > 128
    // dims); class 2: 60 (n ≤ d: the exact low-rank route). The "generated" side is held-out digits.
    real = digitFolder('real', 'train', { 0: 600, 1: 150, 2: 60 }, 1);
    fake = digitFolder('fake', 'test', { 0: 190, 1: 140, 2: 100 }, 2);
  });

  it('equals the mean of per-class `gen-eval fid` runs on the split folders exactly', () => {
    const r = cli(
      'intra-fid',
      real.folder,
      fake.folder,
      '--real-labels',
      labelsFile('real-labels.npy', real.labels),
      '--fake-labels',
      labelsFile('fake-labels.npy', fake.labels),
      ...NO_CACHE,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { intra_fid: number; classes: number; details: { per_class: { label: number; fid: number; n_real: number; n_fake: number }[] } };
    const perClass = [0, 1, 2].map((c) => {
      const f = cli('fid', join(dir, `real-class-${c}`), join(dir, `fake-class-${c}`), ...NO_CACHE, '--json');
      expect(f.code, f.stderr).toBe(0);
      return (JSON.parse(f.stdout) as { fid: number }).fid;
    });
    expect(out.details.per_class.map((c) => c.fid)).toEqual(perClass);
    expect(out.intra_fid).toBe((perClass[0]! + perClass[1]! + perClass[2]!) / 3);
    expect(out.details.per_class.map((c) => [c.label, c.n_real, c.n_fake])).toEqual([
      [0, 600, 190],
      [1, 150, 140],
      [2, 60, 100],
    ]);
    expect(out.classes).toBe(3);
  });

  it('is gated by `gen-eval check` through the metric table (lower is better; shares bounded by 1)', async () => {
    const x = join(dir, 'gate-x.npy');
    writeNpy(x, new RandomState(4).normals(12 * 2), [12, 2]);
    const y = join(dir, 'gate-y.npy');
    writeNpy(
      y,
      new RandomState(5).normals(12 * 2).map((v) => v + 1),
      [12, 2],
    );
    const l = labelsFile('gate-labels.npy', [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const r = await cliInProcess('intra-fid', x, y, '--real-labels', l, '--fake-labels', l, '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = join(dir, 'intra.json');
    writeFileSync(result, r.stdout);
    const gate = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const value = (JSON.parse(r.stdout) as { intra_fid: number }).intra_fid;
    expect((await cliInProcess('check', result, '--thresholds', gate('pass.yaml', `intra_fid:\n  max: ${value * 1.01}\n`))).code).toBe(0);
    expect((await cliInProcess('check', result, '--thresholds', gate('fail.yaml', `intra_fid:\n  max: ${value * 0.99}\n`))).code).toBe(1);
    const impossible = gate('impossible.yaml', 'r_precision:\n  min: 2\n');
    expectInputError(await cliInProcess('check', result, '--thresholds', impossible), impossible, /above the largest value r_precision can take \(1\)/);
  });

  describe('bad labels: one line naming the file, exit 2, nothing written', () => {
    const x = join(dir, 'x.npy');
    writeNpy(x, new RandomState(3).normals(12 * 2), [12, 2]);
    const good = labelsFile('good.npy', [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const run = (realLabels: string, fakeLabels = good) => cliInProcess('intra-fid', x, x, '--real-labels', realLabels, '--fake-labels', fakeLabels, '--json');
    it.each([
      ['a label count that is not the row count', () => labelsFile('short.npy', [0, 1, 2]), /has 3 labels but .*x\.npy has 12 rows/],
      ['a negative label', () => labelsFile('negative.npy', [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, -2]), /label -2 at row 11 is not a non-negative integer/],
      [
        'a float label that is not an integer',
        () => {
          const p = join(dir, 'float.npy');
          writeNpy(p, Float64Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2.5]), [12]);
          return p;
        },
        /label 2\.5 at row 11 is not a non-negative integer/,
      ],
      ['a class on one side only', () => labelsFile('extra-class.npy', [0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 3, 3]), /has no sample of class 3 \(.*extra-class\.npy has 3\)/],
      ['a class with one sample', () => labelsFile('single.npy', [0, 1, 2, 0, 2, 2, 0, 2, 2, 0, 0, 2]), /class 1 has 1 sample/],
    ])('%s', async (what, make, problem) => {
      const labels = make();
      const r = await run(labels);
      // The class-on-one-side error names the side that lacks the class: the good file here.
      expectInputError(r, what === 'a class on one side only' ? good : labels, problem);
    });

    it('refuses string labels that are not integers, and .npz statistics', async () => {
      const strings = join(import.meta.dirname, '../../../fixtures/golden/io/str-labels.npy');
      expectInputError(await run(strings), strings, /string labels that are not integers \(e\.g\. "bird"\)/);
      const stats = join(import.meta.dirname, '../../../fixtures/golden/fid/stats-b-d8.npz');
      expectInputError(await cliInProcess('intra-fid', stats, x, '--real-labels', good, '--fake-labels', good), stats, /\.npz/);
    });
  });
});
