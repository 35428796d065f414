/**
 * `--extractor mobilenet --weights DIR` end to end through the built CLI, with a tiny model folder
 * in TF.js graph-model format (test/tiny-mobilenet.ts): FID of two image folders equals the FID of
 * the features the `features` command writes, the feature cache follows the weights, and a missing or
 * broken model folder is one exit-2 line. Importing the metrics package loads no TensorFlow.js.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWith, expectInputError, tempDir } from './golden-cli.js';
import { expectClose, GOLDEN_TOLERANCE } from '@gen-eval/metrics/testing/expect';
import { TINY_MOBILENET_FEATURES, writeTinyMobilenet } from './tiny-mobilenet.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e-images/', import.meta.url));
const A = join(FIXTURES, 'a');
const B = join(FIXTURES, 'b');
const dir = tempDir('gen-eval-mobilenet-');
const cache = join(dir, 'cache');
const cli = (...args: string[]) => cliWith({ env: { GEN_EVAL_CACHE: cache }, timeout: 120_000 }, ...args);
const model = writeTinyMobilenet(join(dir, 'model'));

describe('--extractor mobilenet', () => {
  it('gives FID on image folders equal to FID of its features, cached under a key that follows the weights', () => {
    const fa = join(dir, 'a.npy');
    const fb = join(dir, 'b.npy');
    const ra = cli('features', A, '-o', fa, '--extractor', 'mobilenet', '--weights', model, '--json', '--quiet');
    expect(ra.code, ra.stderr).toBe(0);
    const meta = JSON.parse(ra.stdout);
    expect(meta).toMatchObject({ n: 6, dims: TINY_MOBILENET_FEATURES, dtype: 'float32', logits: null });
    expect(meta.extractor).toMatch(/^mobilenet-v2@[0-9a-f]{8}:8$/);
    expect(cli('features', B, '-o', fb, '--extractor', 'mobilenet', '--weights', model, '--quiet').code).toBe(0);

    const run = () => cli('fid', A, B, '--extractor', 'mobilenet', '--weights', model, '--json', '--quiet');
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toMatchObject({ metric: 'fid', n: [6, 6], dims: TINY_MOBILENET_FEATURES });
    expect(Number.isFinite(out.fid) && out.fid > 0).toBe(true);
    const fromFeatures = JSON.parse(cli('fid', fa, fb, '--json').stdout);
    expectClose(out.fid, fromFeatures.fid, GOLDEN_TOLERANCE);
    expect(readdirSync(join(cache, 'features')).length).toBeGreaterThan(0);
    const again = JSON.parse(run().stdout);
    expect(again.fid).toBe(out.fid);
    // Other weights in the same folder: the features' name (the cache key) changes with their hash.
    writeTinyMobilenet(model, 4);
    const other = JSON.parse(run().stdout);
    expect(other.fid).not.toBe(out.fid);
  });

  it('refuses a missing, empty or corrupt model folder in one exit-2 line, downloading nothing', () => {
    const none = cli('fid', A, B, '--extractor', 'mobilenet', '--no-cache');
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(
      /^gen-eval: the mobilenet extractor needs its model folder \(--weights DIR\); nothing is downloaded; expected a TensorFlow\.js graph model folder \(model\.json/,
    );

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expectInputError(
      cli('fid', A, B, '--extractor', 'mobilenet', '--weights', empty, '--no-cache'),
      join(empty, 'model.json'),
      /no such file: the model\.json is missing; expected a TensorFlow\.js graph model folder/,
    );

    const corrupt = join(dir, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'model.json'), '{"format": "graph-model", "modelTopology": ');
    expectInputError(cli('fid', A, B, '--extractor', 'mobilenet', '--weights', corrupt, '--no-cache'), join(corrupt, 'model.json'), /not valid JSON/);
  });

  it('leaves TensorFlow.js unloaded when the metrics package is imported', () => {
    const probe = (extra: string) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(fileURLToPath(import.meta.url))});
      await import('@gen-eval/metrics');
      ${extra}
      console.log(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length);`,
        ],
        { encoding: 'utf8' },
      );
    const plain = probe('');
    expect(plain.stdout.trim(), plain.stderr).toBe('0');
    // The probe sees tfjs when it is loaded (so the 0 above means something).
    const loaded = probe("await import('@tensorflow/tfjs-core');");
    expect(Number(loaded.stdout.trim()), loaded.stderr).toBeGreaterThan(0);
  });
});
