/**
 * Valid numpy files np.load accepts, end to end (issue #10): big-endian and unicode label files for
 * `modes classes`, 'f8'/big-endian feature files, bzip2/LZMA stats .npz for `fid`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from './golden-cli.js';

const io = (name: string) => join(__dirname, '../../../fixtures/golden/io', name);
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/error/i); // FID prints small-sample warnings for these tiny files
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe('gen-eval modes classes: label files in any numpy spelling', () => {
  it('>i8 and <U1 digit labels mean what <i8 labels mean', () => {
    const want = json('modes', 'classes', io('i8-labels.npy'), '--classes', '6');
    expect(want).toMatchObject({ modes_covered: 4, samples: 5 });
    for (const f of ['be-i8-labels.npy', 'descr-i8.npy', 'u1-labels.npy']) {
      const got = json('modes', 'classes', io(f), '--classes', '6');
      expect(got).toEqual({ ...want, inputs: got.inputs ?? want.inputs });
      expect(got.class_names).toBeUndefined();
    }
  });

  it('string labels: each distinct string a class, numbered in sorted order and listed', () => {
    // cat, dog, cat, bird: 3 classes of 4 covered, counts 2/1/1.
    const out = json('modes', 'classes', io('str-labels.npy'), '--classes', '4');
    expect(out).toMatchObject({ modes_covered: 3, modes: 4, samples: 4, class_names: ['bird', 'cat', 'dog'] });
    expect(json('modes', 'classes', io('be-str-labels.npy'), '--classes', '4')).toMatchObject({ modes_covered: 3, class_names: ['bird', 'cat', 'dog'] });
    expectInputError(
      cli('modes', 'classes', io('str-labels.npy'), '--classes', '2'),
      io('str-labels.npy'),
      /has 3 distinct string labels \("bird", "cat", "dog"\) but --classes is 2/,
    );
  });
});

describe('features and stats in other numpy spellings', () => {
  it("fid: 'f8' descr and >f4 feature files equal the plain <f8 file; bzip2/LZMA .npz equal the deflated one", () => {
    const plain = json('fid', io('f8.npy'), io('be-f4.npy')).fid;
    expect(json('fid', io('descr-f8.npy'), io('be-f4.npy')).fid).toBe(plain);
    expect(json('fid', io('dq-header.npy'), io('big-endian.npy')).fid).toBe(json('fid', io('f8.npy'), io('f8.npy')).fid);
    const deflated = json('fid', io('pytorch-fid-stats.npz'), io('pytorch-fid-stats.npz')).fid;
    expect(json('fid', io('stats-bz2.npz'), io('stats-lzma.npz')).fid).toBe(deflated);
  });

  it('text where numbers are needed: one line naming the file, exit 2', () => {
    expectInputError(cli('fid', io('str-labels.npy'), io('f8.npy')), io('str-labels.npy'), /holds text \(dtype U4\), expected numbers/);
  });
});
