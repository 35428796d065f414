/**
 * `gen-eval stats FOLDER --shard i/n` and `gen-eval merge-stats`, end to end through the built CLI
 * with a tiny ONNX extractor: merged shards equal the single-machine statistics to 1e-12
 * relative; shards that do not belong together are refused naming the file (exit 2); bad
 * --shard values are one-line usage errors.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readShardFile, readStatsNpz } from '@gen-eval/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWith, expectInputError, tempDir, type CliRun } from './golden-cli.js';
import { expectClose } from '@gen-eval/metrics/testing/expect';
import { tinyExtractorArgs } from './tiny-extractor.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e-images/', import.meta.url));
const dir = tempDir('gen-eval-shard-');
const cache = join(dir, 'cache');
const cli = (...args: string[]) => cliWith({ env: { GEN_EVAL_CACHE: cache }, timeout: 120_000 }, ...args);
const tiny = tinyExtractorArgs(join(dir, 'model'));
const folder = join(dir, 'images');
const other = join(dir, 'other');

/** Runs shard i/n of `src` into part file `name` (with `extra` options) and returns its path. */
function shard(src: string, spec: string, name: string, extra: string[] = tiny): string {
  const out = join(dir, name);
  const r = cli('stats', src, '--shard', spec, '-o', out, ...extra);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

beforeAll(() => {
  // 12 images: a/ at the top, b/ in a subfolder; `other` is a/ alone plus b's first image twice.
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(other);
  for (const f of readdirSync(join(FIXTURES, 'a'))) {
    copyFileSync(join(FIXTURES, 'a', f), join(folder, f));
    copyFileSync(join(FIXTURES, 'a', f), join(other, f));
  }
  for (const f of readdirSync(join(FIXTURES, 'b'))) copyFileSync(join(FIXTURES, 'b', f), join(folder, 'sub', f));
  for (const f of readdirSync(join(FIXTURES, 'b')).slice(0, 6)) copyFileSync(join(FIXTURES, 'b', f), join(other, `x-${f}`));
});

describe('gen-eval stats --shard and merge-stats', () => {
  let single: ReturnType<typeof readStatsNpz>;
  const parts: string[] = [];

  it('merged shards equal the single-machine stats (1e-12 relative), in any argument order', () => {
    const all = join(dir, 'single.npz');
    expect(cli('stats', folder, '-o', all, ...tiny).code).toBe(0);
    single = readStatsNpz(all);
    for (const i of [0, 1, 2]) parts.push(shard(folder, `${i}/3`, `part-${i}.npz`));
    const merged = join(dir, 'merged.npz');
    const r = cli('merge-stats', parts[2]!, parts[0]!, parts[1]!, '-o', merged, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ output: merged, n: 12, dims: 8, shards: 3, total_files: 12, skipped: 0, inputs: parts });
    const m = readStatsNpz(merged);
    expect(m.n).toBe(12);
    expectClose(m.mu, single.mu, { rel: 1e-12, relTo: 'max' });
    expectClose(m.sigma, single.sigma, { rel: 1e-12, relTo: 'max' });
    // A plain pytorch-fid stats file: mu, sigma (and num_samples, which numpy/pytorch-fid ignore).
    const text = readFileSync(merged).toString('latin1');
    expect(['mu.npy', 'sigma.npy', 'num_samples.npy'].every((k) => text.includes(k))).toBe(true);
    expect(text.includes('shard.npy')).toBe(false);
    // ... that fid reads: the merged stats against the folder itself give 0.
    const f = cli('fid', merged, folder, '--json', ...tiny);
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout).fid).toBeLessThan(1e-9);
  });

  it('splits the sorted list into contiguous blocks, and uneven splits merge as exactly', () => {
    const recs = parts.map((p) => readShardFile(p).record);
    expect(recs.map((r) => [r.start, r.end])).toEqual([
      [0, 4],
      [4, 8],
      [8, 12],
    ]);
    expect(new Set(recs.map((r) => r.fingerprint)).size).toBe(1);
    const five = [0, 1, 2, 3, 4].map((i) => shard(folder, `${i}/5`, `five-${i}.npz`));
    expect(five.map((p) => readShardFile(p).stats.n)).toEqual([2, 2, 3, 2, 3]);
    const merged = join(dir, 'merged5.npz');
    expect(cli('merge-stats', ...five, '-o', merged).code).toBe(0);
    const m = readStatsNpz(merged);
    expectClose(m.mu, single.mu, { rel: 1e-12, relTo: 'max' });
    expectClose(m.sigma, single.sigma, { rel: 1e-12, relTo: 'max' });
  });

  it('refuses shards that do not belong together, naming the file (exit 2)', () => {
    const out = join(dir, 'never.npz');
    const [p0, p1, p2] = parts as [string, string, string];
    expectInputError(cli('merge-stats', p0, p1, '-o', out), p0, /incomplete: missing shard 2 \(given: 0, 1\)/);
    expectInputError(cli('merge-stats', p0, p1, p2, p1, '-o', out), p1, /is shard 1\/3 again/);
    const otherModel = shard(folder, '1/3', 'other-model.npz', tinyExtractorArgs(join(dir, 'model'), 8));
    expectInputError(cli('merge-stats', p0, otherModel, p2, '-o', out), otherModel, /extractor onnx@.* differs from .*part-0\.npz's onnx@/);
    const clean = shard(folder, '1/3', 'clean.npz', [...tiny, '--profile', 'clean']);
    expectInputError(cli('merge-stats', p0, clean, p2, '-o', out), clean, /profile .*"clean".* differs/);
    const otherFolder = shard(other, '2/3', 'other-folder.npz');
    expectInputError(cli('merge-stats', p0, p1, otherFolder, '-o', out), otherFolder, /different file list .*shards must list the same folder/);
    const five = join(dir, 'five-3.npz');
    expectInputError(cli('merge-stats', p0, p1, five, '-o', out), five, /shard count 5 differs/);
    const plain = join(dir, 'single.npz');
    expectInputError(cli('merge-stats', plain, p1, '-o', out), plain, /not a shard file/);
    expectInputError(cli('merge-stats', p0, p1, p2, '-o', p2), p2, /-o would replace the input/);
    expectInputError(cli('merge-stats', p0, p1, p2, '-o', join(dir, 'x.txt')), join(dir, 'x.txt'), /must end in \.npz/);
    expect(readdirSync(dir).filter((f) => f === 'never.npz' || f.endsWith('.tmp'))).toEqual([]);
  });

  it('bad --shard values are one-line usage errors (exit 2)', () => {
    const usage = (r: CliRun, re: RegExp) => expectInputError(r, null, re);
    const out = join(dir, 'bad.npz');
    usage(cli('stats', folder, '--shard', '3/2', '-o', out), /--shard INDEX is 0-based and must be 0 … 1 for 2 shards, got "3\/2"/);
    usage(cli('stats', folder, '--shard', '2/2', '-o', out), /must be 0 … 1/);
    usage(cli('stats', folder, '--shard', '0/0', '-o', out), /--shard COUNT must be 1 … /);
    for (const v of ['a/b', '-1/2', '1/2/3', '0x1/2', '1', '1.0/2', '']) usage(cli('stats', folder, '--shard', v, '-o', out), /--shard must be INDEX\/COUNT/);
    // Each shard needs two images for a covariance: 12 images allow at most 6 shards.
    expectInputError(cli('stats', folder, '--shard', '0/7', '-o', out, ...tiny), folder, /would hold 1 of its 12 images; .* at most 6 shards/);
    const npy = join(dir, 'f.npy');
    expect(cli('features', folder, '-o', npy, ...tiny).code).toBe(0);
    expectInputError(cli('stats', npy, '--shard', '0/2', '-o', out), npy, /unsupported input \(\.npy\): expected an image folder/);
    expect(readdirSync(dir).filter((f) => f === 'bad.npz')).toEqual([]);
  });
});
