/**
 * `gen-eval train --data-pairs INPUTS/ TARGETS/`: a user's paired folders for the paired models,
 * recorded with both listings' SHA-256 (resume and sample rebuild them), and every bad pairing a
 * one-line exit 2 naming the file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '@gen-eval/models';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-pairs-');
const small = ['--eval-samples', '8', '--backend', 'wasm'];

/** Grey square PNGs `names` of side `side` under `folder`, each with its own pixels. */
async function pngs(folder: string, names: readonly string[], side: number | ((name: string) => number), base = 0): Promise<string> {
  mkdirSync(folder, { recursive: true });
  for (const [k, name] of names.entries()) {
    const s = typeof side === 'number' ? side : side(name);
    writeFileSync(
      join(folder, name),
      await encodePng(
        Uint8Array.from({ length: s * s }, (_, p) => (base + 30 * k + p) % 256),
        { height: s, width: s, channels: 1 },
      ),
    );
  }
  return folder;
}

const names = ['0.png', '1.png', '2.png'];

describe('gen-eval train --data-pairs', () => {
  it('trains pix2pix on paired folders, records both listings; resume and sample rebuild them, a changed folder is refused', async () => {
    const a = await pngs(join(dir, 'a'), names, 28);
    const b = await pngs(join(dir, 'b'), names, 28, 100);
    const run = join(dir, 'run');
    const r = cli('train', '--model', 'pix2pix', '--data-pairs', a, b, '--steps', '2', '--out', run, ...small);
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { data: { name: string; sha256: string; targets: { name: string; sha256: string } } };
    expect(config.data).toMatchObject({ name: a, channels: 1, targets: { name: b, channels: 1 } });
    expect([config.data.sha256, config.data.targets.sha256].every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    const s = cli('sample', run, '-n', '2', '-o', join(dir, 'samples.npy'));
    expect(s.code, s.stderr).toBe(0);
    expectInputError(cli('train', '--resume', run, '--data-pairs', b, a, '--steps', '3'), run, /--data-pairs .* contradicts the run's config/);
    await pngs(b, ['1.png'], 28, 7);
    expectInputError(cli('train', '--resume', run, '--steps', '3'), b, /has changed since the run started \(SHA-256 differs\)/);
  });

  it('refuses, in one line and before writing anything, pairs that do not match', async () => {
    const never = join(dir, 'never');
    const train = (...args: string[]) => cli('train', '--model', 'pix2pix', ...args, '--out', never, ...small);
    const a = await pngs(join(dir, 'm-a'), names, 28);
    const b = await pngs(join(dir, 'm-b'), [...names, '3.png'], 28);
    expectInputError(train('--data-pairs', a, b), join(b, '3.png'), new RegExp(`has no pair: ${a} has no file 3\\.png`));
    const mixed = await pngs(join(dir, 'mixed'), [...names, '3.png'], (n) => (n === '2.png' ? 32 : 28));
    expectInputError(train('--data-pairs', mixed, b), join(mixed, '2.png'), new RegExp(`is 32×32; every image of ${mixed} must be 28×28 like the first`));
    const low = await pngs(join(dir, 'low'), [...names, '3.png'], 14);
    expectInputError(train('--data-pairs', low, b), join(low, '0.png'), /is 14×14 but its target .* is 28×28; paired images must have one size/);
    expectInputError(train('--data-pairs', a), null, /--data-pairs takes two folders, INPUTS\/ TARGETS\/ \(super-resolution: LOW\/ HIGH\/\); got 1/);
    expectInputError(train('--data-pairs', a, b, '--data', 'edges2fashion'), null, /--data and --data-pairs are two ways to name the training data; give one/);
    expectInputError(
      cli('train', '--model', 'gan', '--data-pairs', a, b, '--out', never),
      null,
      /--data-pairs applies to models trained on paired images \(.*pix2pix.*\); gan is not one/,
    );
    expectInputError(train('--data', 'mnist'), null, /pix2pix translates paired images: use edges2fashion, edges2shoes, edges2digits or --data-pairs A\/ B\/; "mnist" is unpaired/);
    expect(existsSync(never)).toBe(false);
  });
});
