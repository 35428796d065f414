/**
 * Outputs never replace inputs (README "Output files"), for every command that writes: an output
 * that is an input, lies inside an input folder (a run, an image folder) or is another output of
 * the same command is one exit-2 line before any work, with the inputs unchanged; and a command
 * with several outputs leaves none of them when one cannot be written (/dev/full).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-outputs-');
const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e-images/a/', import.meta.url));
const run = join(dir, 'run');
const images = join(dir, 'images');
const hasDevFull = existsSync('/dev/full');

/** Writes `content` to dir/name and returns the path. */
function put(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Every file under `folder` with its bytes, to show a refused command changed nothing. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name)).toString('base64');
  }
  return out;
}

beforeAll(() => {
  const r = cli('train', '--model', 'gan', '--steps', '2', '--eval-samples', '64', '--backend', 'wasm', '--out', run);
  expect(r.code, r.stderr).toBe(0);
  mkdirSync(images);
  for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(images, f));
});

describe('report', () => {
  it('refuses -o inside an input run, -o an input result, and -o equal to --csv; the inputs stay as they were', () => {
    const before = snapshot(run);
    const result = put('result.json', '{"fid": 12.5}');
    expectInputError(cli('report', run, '-o', join(run, 'config.json')), join(run, 'config.json'), /-o lies inside the input folder .*run, which must not change/);
    expectInputError(cli('report', run, result, '-o', `${dir}/./result.json`), `${dir}/./result.json`, /-o would replace the input .*result\.json/);
    const page = join(dir, 't.html');
    expectInputError(cli('report', run, '-o', page, '--csv', page), page, /-o and --csv name the same file; give each its own/);
    expect(snapshot(run)).toEqual(before);
    expect(readFileSync(result, 'utf8')).toBe('{"fid": 12.5}');
    expect(existsSync(page)).toBe(false);
  });

  it.runIf(hasDevFull)('--csv /dev/full leaves no HTML page (all of the outputs or none)', () => {
    const page = join(dir, 'full.html');
    expectInputError(cli('report', run, '-o', page, '--csv', '/dev/full'), '/dev/full', /cannot write: no space left on device \(ENOSPC\)/);
    expect(existsSync(page)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('check and eval --junit', () => {
  it('refuses --junit that is the thresholds file (one typo in a workflow) or inside the run', () => {
    const gates = put('gates.yaml', 'fid:\n  max: 10\n');
    const results = put('r.json', '{"fid": 5}');
    expectInputError(cli('check', results, '--thresholds', gates, '--junit', gates), gates, /--junit would replace the input .*gates\.yaml/);
    expect(readFileSync(gates, 'utf8')).toBe('fid:\n  max: 10\n');
    expectInputError(cli('check', run, '--thresholds', gates, '--junit', join(run, 'junit.xml')), join(run, 'junit.xml'), /--junit lies inside the input folder/);
    const feats = put('feats.npy', '');
    expectInputError(cli('eval', feats, feats, '--thresholds', gates, '--junit', gates), gates, /--junit would replace the input/);
    expect(readFileSync(gates, 'utf8')).toBe('fid:\n  max: 10\n');
  });
});

describe('stats, fid --save-stats, features, merge-stats', () => {
  it('refuse an output inside the input image folder (it would change the folder and its cache key)', () => {
    const before = snapshot(images);
    expectInputError(cli('stats', images, '-o', join(images, 's.npz')), join(images, 's.npz'), /-o lies inside the input folder .*images/);
    expectInputError(cli('fid', images, `${images}/../images/s.npz`, '--save-stats'), `${images}/../images/s.npz`, /B \(--save-stats\) lies inside the input folder/);
    expectInputError(cli('features', images, '-o', join(images, 'f.npy')), join(images, 'f.npy'), /-o lies inside the input folder/);
    expect(snapshot(images)).toEqual(before);
  });

  it('features refuses --logits that is -o by another name', () => {
    const feats = join(dir, 'f.npy');
    expectInputError(cli('features', images, '-o', feats, '--logits', `${dir}/./f.npy`), `${dir}/./f.npy`, /-o and --logits name the same file/);
  });

  it.runIf(hasDevFull)('features with --logits /dev/full leaves no features file', () => {
    const feats = join(dir, 'fl.npy');
    const r = cli('features', images, '--extractor', 'fashion-mnist', '-o', feats, '--logits', '/dev/full', '--no-cache', '--quiet');
    expect(r.stderr).toMatch(/^gen-eval: \/dev\/full: cannot write: no space left on device \(ENOSPC\)$/m);
    expect(r.code).toBe(2);
    expect(existsSync(feats)).toBe(false);
  });

  it('merge-stats refuses -o that is a shard through a symlink', () => {
    const [p0, p1] = [put('part-0.npz', 'zero'), put('part-1.npz', 'one')];
    const link = join(dir, 'all.npz');
    symlinkSync(p1, link);
    expectInputError(cli('merge-stats', p0, p1, '-o', link), link, /-o would replace the input .*part-1\.npz/);
    expect(readFileSync(p1, 'utf8')).toBe('one');
  });
});

describe('sample', () => {
  it("refuses -o inside the run (its own samples/step-*.npy) and leaves the run's samples as they were", () => {
    const before = snapshot(run);
    const own = join(run, 'samples', readdirSync(join(run, 'samples'))[0]!);
    expectInputError(cli('sample', run, '-n', '5', '-o', own), own, /-o lies inside the input folder .*run/);
    expectInputError(cli('sample', run, '-n', '5', '-o', join(run, 'pngs')), join(run, 'pngs'), /-o lies inside the input folder/);
    expect(snapshot(run)).toEqual(before);
  });

  it.runIf(hasDevFull)('-o /dev/full is a device that gets the .npy bytes: the error is the full device, not "expected a folder"', () => {
    expectInputError(cli('sample', run, '-n', '5', '-o', '/dev/full'), '/dev/full', /cannot write: no space left on device \(ENOSPC\)/);
  });

  it('refuses -n with --input (the samples are the input rows), before reading either', () => {
    expectInputError(cli('sample', run, '-n', '5', '--input', join(dir, 'missing.npy'), '-o', join(dir, 'y.npy')), null, /-n does not apply with --input/);
  });
});
