/**
 * Every metric command that reads a pair records `inputs[].sha256`, the fingerprint of each input's
 * content (a file's bytes, an image folder's names and bytes), and `report` compares reference
 * sets by it: the same data at two paths is comparable, a changed folder at one path is not.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWith, specFile, tempDir } from './golden-cli.js';
import { tinyExtractorArgs } from './tiny-extractor.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e-images/', import.meta.url));
const dir = tempDir('gen-eval-fingerprint-');
const cli = (...args: string[]) => cliWith({ env: { GEN_EVAL_CACHE: join(dir, 'cache') }, timeout: 120_000 }, ...args);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const real = specFile(dir, 'real.npy', { seed: 1, n: 60, d: 4, scale: 1, shift: 0 });
const fake = specFile(dir, 'fake.npy', { seed: 2, n: 50, d: 4, scale: 1, shift: 0.5 });

/** Runs `args … --json` and returns its `inputs`. */
function inputsOf(...args: string[]): { path: string; kind: string; sha256?: string }[] {
  const r = cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { inputs: { path: string; kind: string; sha256?: string }[] }).inputs;
}

describe('inputs[].sha256', () => {
  it.each([
    ['fid', real, fake],
    ['kid', real, fake, '--subset-size', '20', '--subsets', '5'],
    ['pr', real, fake],
    ['prdc', real, fake],
    ['ndb', real, fake, '--bins', '3'],
    ['eval', real, fake, '--metrics', 'fid,kid', '--subset-size', '20', '--subsets', '5'],
    ['divergence', 'knn-kl', real, fake],
  ])('%s records the SHA-256 of each .npy file next to its path and kind', (...args) => {
    expect(inputsOf(...args)).toEqual([
      { path: real, kind: 'features', sha256: sha(real) },
      { path: fake, kind: 'features', sha256: sha(fake) },
    ]);
  });

  it('an image folder: the same images elsewhere have the same fingerprint, a changed image another', () => {
    const tiny = tinyExtractorArgs(join(dir, 'model'));
    const a = join(dir, 'images-a');
    mkdirSync(a);
    for (const f of readdirSync(join(FIXTURES, 'a'))) copyFileSync(join(FIXTURES, 'a', f), join(a, f));
    const copy = join(dir, 'moved', 'images-a');
    cpSync(a, copy, { recursive: true });
    const [first] = inputsOf('fid', a, copy, ...tiny);
    const [, second] = inputsOf('fid', a, copy, ...tiny); // the second run reads the feature cache
    expect(first).toMatchObject({ path: a, kind: 'images', from_cache: false });
    expect(first!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ path: copy, from_cache: true, sha256: first!.sha256 });
    const name = readdirSync(copy).sort()[0]!;
    copyFileSync(join(FIXTURES, 'b', readdirSync(join(FIXTURES, 'b')).sort()[0]!), join(copy, name));
    expect(inputsOf('fid', copy, a, ...tiny)[0]!.sha256).not.toBe(first!.sha256);
  });
});

describe('report compares reference sets by their fingerprint', () => {
  /** `fid REF fake.npy --json` saved as `name.json`. */
  function result(name: string, ref: string): string {
    const r = cli('fid', ref, fake, '--json');
    expect(r.code, r.stderr).toBe(0);
    const path = join(dir, `${name}.json`);
    writeFileSync(path, r.stdout);
    return path;
  }
  const comparable = (...results: string[]) => {
    const r = cli('report', ...results, '-o', join(dir, 'page.html'), '--json');
    expect(r.code, r.stderr).toBe(0);
    return { comparable: (JSON.parse(r.stdout) as { comparable: boolean }).comparable, stderr: r.stderr };
  };

  it('the same data at two paths is comparable; different data at one path is not', () => {
    const ref = join(dir, 'ref.npy');
    copyFileSync(real, ref);
    const elsewhere = join(dir, 'moved', 'ref-copy.npy');
    mkdirSync(join(dir, 'moved'), { recursive: true });
    copyFileSync(real, elsewhere);
    const before = result('before', ref);
    expect(comparable(before, result('elsewhere', elsewhere))).toEqual({ comparable: true, stderr: '' });
    // The reference file is replaced by other data under the same name.
    writeFileSync(ref, readFileSync(specFile(dir, 'other.npy', { seed: 3, n: 60, d: 4, scale: 1, shift: 0 })));
    const after = result('after', ref);
    const r = comparable(before, after);
    expect(r.comparable).toBe(false);
    expect(r.stderr).toMatch(
      /not comparable: results used different data \/ reference sets: .*ref\.npy \(sha256 [0-9a-f]{8}\) \(before\) vs .*ref\.npy \(sha256 [0-9a-f]{8}\) \(after\)/,
    );
  });
});
