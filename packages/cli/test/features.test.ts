/**
 * `gen-eval features FOLDER -o feats.npy [--logits logits.npy]`, end to end through the built CLI:
 * the rows are the features `stats` reduces (mu/sigma from the .npy equal `stats FOLDER`), in the
 * folder's sorted order, float32 as the network outputs them; the Inception logits are the ones
 * the IS uses. Every process gets this file's cache folder.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeLegacyPth, syntheticInceptionStateDict } from '@gen-eval/metrics/testing';
import { readNpy, readStatsNpz } from '@gen-eval/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './golden-cli.js';
import { expectClose } from '@gen-eval/metrics/testing/expect';
import { tinyExtractorArgs } from './tiny-extractor.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e-images/', import.meta.url));
const dir = tempDir('gen-eval-features-');
const cache = join(dir, 'cache');
const cli = (...args: string[]) => cliWith({ env: { GEN_EVAL_CACHE: cache }, timeout: 120_000 }, ...args);
const tiny = tinyExtractorArgs(join(dir, 'model'));

/** A folder of the 12 fixture images, half of them in a subfolder. */
const folder = join(dir, 'images');

/** Mean and covariance (ddof 1) by the textbook two passes in float64: an independent reference. */
function twoPass(x: Float32Array, n: number, d: number): { mu: number[]; sigma: number[] } {
  const mu = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * d + j]!;
    return s / n;
  });
  const sigma = new Array<number>(d * d).fill(0);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (x[i * d + a]! - mu[a]!) * (x[i * d + b]! - mu[b]!);
      sigma[a * d + b] = s / (n - 1);
    }
  }
  return { mu, sigma };
}

beforeAll(() => {
  mkdirSync(join(folder, 'sub'), { recursive: true });
  for (const f of readdirSync(join(FIXTURES, 'a'))) copyFileSync(join(FIXTURES, 'a', f), join(folder, f));
  for (const f of readdirSync(join(FIXTURES, 'b'))) copyFileSync(join(FIXTURES, 'b', f), join(folder, 'sub', f));
});

describe('gen-eval features', () => {
  it('writes N×D float32 rows whose mean and covariance are exactly what stats computes', () => {
    const out = join(dir, 'feats.npy');
    const r = cli('features', folder, '-o', out, '--json', ...tiny);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ output: out, n: 12, dims: 8, dtype: 'float32', logits: null, input: folder, profile: 'pytorch-fid' });
    expect(res.extractor).toMatch(/^onnx@[0-9a-f]{8}:32x32/);
    const f = readNpy(out);
    expect(f.dtype).toBe('<f4');
    expect(f.shape).toEqual([12, 8]);
    // stats of the folder (the streamed float64 accumulator) against the .npy's rows.
    const npz = join(dir, 'folder.npz');
    expect(cli('stats', folder, '-o', npz, ...tiny).code).toBe(0);
    const s = readStatsNpz(npz);
    const ref = twoPass(f.data as Float32Array, 12, 8);
    expectClose(s.mu, ref.mu, { rel: 1e-12, relTo: 'max' });
    expectClose(s.sigma, ref.sigma, { rel: 1e-12, relTo: 'max' });
    // ... and through the CLI: stats of the .npy equal stats of the folder.
    const npz2 = join(dir, 'from-npy.npz');
    expect(cli('stats', out, '-o', npz2).code).toBe(0);
    const s2 = readStatsNpz(npz2);
    expectClose(s2.mu, s.mu, { rel: 1e-12, relTo: 'max' });
    expectClose(s2.sigma, s.sigma, { rel: 1e-12, relTo: 'max' });
    expect(readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('orders rows as the sorted listing: folder by folder, by code point (a/b.png before a-c.png)', () => {
    const img = readdirSync(join(FIXTURES, 'a')).map((f) => join(FIXTURES, 'a', f));
    // Listing order a/b.png, a-c.png, b.png — plain string order would put a-c.png first.
    const named = join(dir, 'named');
    mkdirSync(join(named, 'a'), { recursive: true });
    copyFileSync(img[0]!, join(named, 'a-c.png'));
    copyFileSync(img[1]!, join(named, 'a', 'b.png'));
    copyFileSync(img[2]!, join(named, 'b.png'));
    const known = join(dir, 'known');
    mkdirSync(known);
    copyFileSync(img[1]!, join(known, '0.png'));
    copyFileSync(img[0]!, join(known, '1.png'));
    copyFileSync(img[2]!, join(known, '2.png'));
    const [x, y] = [named, known].map((d) => {
      const out = join(dir, `${d === named ? 'named' : 'known'}.npy`);
      expect(cli('features', d, '-o', out, ...tiny).code).toBe(0);
      return Array.from(readNpy(out).data as Float32Array);
    });
    expect(x).toEqual(y);
    // The three images give three different rows, so the order is really tested.
    expect(new Set([0, 1, 2].map((i) => x!.slice(i * 8, i * 8 + 8).join(','))).size).toBe(3);
  });

  it('--logits writes the Inception logits (1008, unbiased) that the IS uses', () => {
    const weights = join(dir, 'synthetic.pth');
    writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(1)));
    const a = join(FIXTURES, 'a');
    const [feats, logits] = [join(dir, 'inc.npy'), join(dir, 'inc-logits.npy')];
    const r = cli('features', a, '-o', feats, '--logits', logits, '--weights', weights, '--quiet', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n: 6, dims: 2048, logits, logit_dims: 1008, extractor: expect.stringMatching(/^inception@/) });
    expect(readNpy(feats).shape).toEqual([6, 2048]);
    const l = readNpy(logits);
    expect([l.dtype, ...l.shape]).toEqual(['<f4', 6, 1008]);
    const fromFolder = JSON.parse(cli('is', a, '--splits', '2', '--weights', weights, '--quiet', '--json').stdout);
    const fromFile = JSON.parse(cli('is', logits, '--splits', '2', '--json').stdout);
    expect(fromFile.is_mean).toBe(fromFolder.is_mean);
    expect(fromFile.is_std).toBe(fromFolder.is_std);
  }, 180_000);

  it('bad inputs: exit 2 with one line, and nothing written', () => {
    const expectOneLine = (r: ReturnType<typeof cli>, re: RegExp) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    };
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    expectOneLine(cli('features', folder, '-o', join(bad, 'f.txt'), ...tiny), /f\.txt: the output file must end in \.npy/);
    expectOneLine(cli('features', folder, '-o', join(bad, 'f.npy'), '--logits', join(bad, 'f.npy'), ...tiny), /-o and --logits name the same file/);
    expectOneLine(cli('features', folder, '-o', join(bad, 'f.npy'), '--logits', join(bad, 'l.npy'), ...tiny), /--logits: the extractor onnx@.* has no logits output/);
    const npy = join(dir, 'feats.npy');
    expectOneLine(cli('features', npy, '-o', join(bad, 'f.npy')), /feats\.npy: unsupported input \(\.npy\): expected an image folder/);
    expect(readdirSync(bad)).toEqual([]);
  });
});
