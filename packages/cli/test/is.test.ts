import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { cli, expectInputError, specFile, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { expectClose, GOLDEN_TOLERANCE } from '@gen-eval/metrics/testing/expect';

const dir = tempDir('gen-eval-is-');

describe('gen-eval is', () => {
  const c0 = golden.is[0]!;
  const logits = specFile(dir, 'logits.npy', c0.logits);

  it('prints the IS line and matches the golden value in JSON', () => {
    const human = cli('is', logits);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^IS: ${c0.mean.toFixed(6)} ± ${c0.std.toFixed(6)}`));
    const r = cli('is', logits, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expectClose(out.is_mean, c0.mean, GOLDEN_TOLERANCE);
    expectClose(out.is_std, c0.std, GOLDEN_TOLERANCE);
    expect([out.n, out.classes, out.splits, out.shuffle_seed]).toEqual([1000, 20, 10, null]);
  });

  it('shuffles like torch-fidelity with --shuffle-seed, and honours --splits', async () => {
    const c = golden.is[2]!;
    const out = JSON.parse(
      (await cliInProcess('is', specFile(dir, 'logits2.npy', c.logits), '--json', '--splits', String(c.splits), '--shuffle-seed', String(c.shuffleSeed))).stdout,
    );
    expectClose(out.is_mean, c.mean, GOLDEN_TOLERANCE);
    expectClose(out.is_std, c.std, GOLDEN_TOLERANCE);
    expect(out.split_scores).toHaveLength(c.splits);
  });

  it('fails with exit 2 and a one-line message naming the file', async () => {
    const few = specFile(dir, 'few.npy', { seed: 1, n: 5, d: 4, scale: 1, shift: 0 }, true);
    const r = await cliInProcess('is', few);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${few}: --splits 10 needs at least 10 samples, found 5`);
    const oneClass = specFile(dir, 'one.npy', { seed: 1, n: 20, d: 1, scale: 1, shift: 0 });
    expect((await cliInProcess('is', oneClass)).stderr).toContain(`${oneClass}: logits need at least 2 classes`);
    const missing = join(dir, 'missing.npy');
    const m = await cliInProcess('is', missing, '--json');
    expect(m.code).toBe(2);
    expect(m.stdout).toBe('');
    expect(m.stderr).toContain(missing);
    const stats = join(dir, 'stats.npz');
    expectInputError(await cliInProcess('is', stats), stats, /no such file or folder/);
    writeFileSync(stats, 'PK');
    expectInputError(await cliInProcess('is', stats), stats, /unsupported input \(\.npz\): expected an image folder or a \.npy feature matrix$/);
    expect((await cliInProcess('is', logits, '--splits', '0')).code).toBe(2);
    expect((await cliInProcess('is', logits, '--shuffle-seed', String(2 ** 32))).code).toBe(2);
  });
});
