/**
 * `gen-eval sample` of a text-conditioned run (gan-cls on captioned-mnist), end to end: `--caption`
 * draws -n samples for one caption, `--captions FILE` -n for each line in order, `--caption A
 * --interpolate B` the line between two captions; each writes the samples' captions beside them
 * (DIR/captions.txt, X.captions.txt). An unknown word, an empty caption or file, and options that do
 * not go together are one exit-2 line, with nothing written.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '@gen-eval/metrics';
import { readRunConfig } from '@gen-eval/metrics/runs';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './cli-in-process.js';
import { expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-sample-captions-');
const run = join(dir, 'gan-cls');
const tiny = ['--hp', 'hidden=4', '--hp', 'latentDim=8', '--hp', 'textDim=8', '--batch-size', '4', '--eval-samples', '8', '--eval-every', '100', '--backend', 'wasm'];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);

describe('gen-eval sample on a text-conditioned run', () => {
  it('trains gan-cls on captioned-mnist and records the conditioning encoder', { timeout: 120_000 }, async () => {
    const r = await cliInProcess('train', '--model', 'gan-cls', '--data', 'captioned-mnist', '--steps', '2', '--out', run, ...tiny);
    expect(r.code, r.stderr).toBe(0);
    expect(readRunConfig(run).textEncoder).toBe('text-cond-mnist');
  });

  it('--caption: -n PNGs and captions.txt, the caption on every line', async () => {
    const out = join(dir, 'sevens');
    const r = await cliInProcess('sample', run, '--caption', 'a thick seven', '-n', '3', '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 3, shape: [3, 28, 28, 1], captions: join(out, 'captions.txt') });
    expect(readdirSync(out).sort()).toEqual(['000000.png', '000001.png', '000002.png', 'captions.txt']);
    expect(lines(join(out, 'captions.txt'))).toEqual(['a thick seven', 'a thick seven', 'a thick seven']);
  });

  it('--captions FILE: -n per caption in the file’s order (blank lines skipped), X.captions.txt beside X.npy', async () => {
    const caps = file('caps.txt', 'a thin one\n\nthe digit 7\n');
    const npy = join(dir, 'caps.npy');
    const r = await cliInProcess('sample', run, '--captions', caps, '-n', '2', '-o', npy);
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(npy).shape).toEqual([4, 28, 28, 1]);
    expect(lines(join(dir, 'caps.captions.txt'))).toEqual(['a thin one', 'a thin one', 'the digit 7', 'the digit 7']);
    // The same caption and seed: the same images, whether drawn alone or from a file.
    const alone = join(dir, 'alone.npy');
    expect((await cliInProcess('sample', run, '--caption', 'a thin one', '-n', '2', '-o', alone)).code).toBe(0);
    expect(Array.from(readNpy(alone).data as Uint8Array)).toEqual(Array.from((readNpy(npy).data as Uint8Array).subarray(0, 2 * 784)));
  });

  it('--caption A --interpolate B: -n steps from A to B', async () => {
    const out = join(dir, 'interp');
    const r = await cliInProcess('sample', run, '--caption', 'a one', '--interpolate', 'a seven', '-n', '3', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(join(out, 'captions.txt'))).toEqual(['1.000 × a one + 0.000 × a seven', '0.500 × a one + 0.500 × a seven', '0.000 × a one + 1.000 × a seven']);
  });

  it('without a caption: -n held-out captions of the data, listed in captions.txt, with a note', async () => {
    const out = join(dir, 'held');
    const r = await cliInProcess('sample', run, '-n', '3', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no caption given: drew for 3 held-out captions of captioned-mnist/);
    expect(lines(join(out, 'captions.txt'))).toHaveLength(3);
  });

  it('refuses an unknown word, an empty caption or captions file, and a lone --interpolate in one exit-2 line, writing nothing', async () => {
    const out = join(dir, 'never');
    expectInputError(await cliInProcess('sample', run, '--caption', 'a purple seven', '-n', '2', '-o', out), null, /^gen-eval: `?caption`? "a purple seven": .*"purple"/);
    expectInputError(await cliInProcess('sample', run, '--caption', '  ', '-n', '2', '-o', out), null, /caption.* must not be empty$/);
    const empty = file('empty.txt', '\n \n');
    expectInputError(await cliInProcess('sample', run, '--captions', empty, '-o', out), empty, /has no captions/);
    const bad = file('bad.txt', 'a one\na purple seven\n');
    expectInputError(await cliInProcess('sample', run, '--captions', bad, '-o', out), bad, /caption 2 \("a purple seven"\): .*"purple"/);
    expectInputError(await cliInProcess('sample', run, '--interpolate', 'a one', '-o', out), null, /interpolate.* is the caption an interpolation ends at/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --caption for a run not conditioned on text, naming the families that take it', async () => {
    const gan = join(dir, 'ns-gan');
    expect((await cliInProcess('train', '--model', 'ns-gan', '--data', 'mnist', '--steps', '1', '--out', gan, ...tiny.slice(6))).code).toBe(0);
    expectInputError(await cliInProcess('sample', gan, '--caption', 'a one', '-o', join(dir, 'x.npy')), null, /--caption applies to models conditioned on a caption \(gan-cls/);
  });
});
