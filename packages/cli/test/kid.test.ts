import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { cli, specFile, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { expectClose, GOLDEN_TOLERANCE } from '@gen-eval/metrics/testing/expect';

const dir = tempDir('gen-eval-kid-');

describe('gen-eval kid', () => {
  const c = golden.kid[0]!;
  const real = specFile(dir, 'real.npy', c.x);
  const fake = specFile(dir, 'fake.npy', c.y);

  it('matches the golden KID with the same subset draws', () => {
    const r = cli('kid', real, fake, '--json', '--subsets', String(c.subsets), '--subset-size', String(c.subsetSize), '--seed', String(c.seed));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expectClose(out.kid_mean, c.mean, GOLDEN_TOLERANCE);
    expectClose(out.kid_std, c.std, GOLDEN_TOLERANCE);
    expect([out.subsets, out.subset_size, out.seed, out.dims]).toEqual([c.subsets, c.subsetSize, c.seed, 16]);
    expect(out.warnings).toEqual([]);
    const human = cli('kid', real, fake, '--subsets', String(c.subsets), '--subset-size', String(c.subsetSize));
    expect(human.stdout).toMatch(new RegExp(`^KID: ${c.mean.toPrecision(6)} ± `));
  });

  it('shrinks the subset size with a warning on stderr and in the JSON', async () => {
    const s = golden.kid[1]!;
    const r = await cliInProcess('kid', real, fake, '--json', '--subsets', String(s.subsets), '--seed', String(s.seed));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expectClose(out.kid_mean, s.mean, GOLDEN_TOLERANCE);
    expect(out.subset_size).toBe(500);
    expect(out.warnings[0]).toMatch(/shrunk from 1000 to 500/);
    expect(r.stderr).toMatch(/warning: KID subset size shrunk/);
  });

  it('fails with exit 2 on a dimension mismatch or a single sample', async () => {
    const other = specFile(dir, 'other.npy', { seed: 3, n: 50, d: 15, scale: 1, shift: 0 });
    const r = await cliInProcess('kid', real, other);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${other}: has 15 feature dims but ${real} has 16`);
    const one = specFile(dir, 'one.npy', { seed: 3, n: 1, d: 16, scale: 1, shift: 0 });
    const o = await cliInProcess('kid', one, fake, '--json');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(`${one}: KID needs at least 2 samples, found 1`);
    expect((await cliInProcess('kid', real, fake, '--subset-size', '1')).code).toBe(2);
  });
});
