import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gen-eval-kid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes the golden script's input RandomState(seed).standard_normal(n·d)·scale + shift as .npy. */
function specFile(name: string, s: { seed: number; n: number; d: number; scale: number; shift: number }): string {
  const data = new RandomState(s.seed).normals(s.n * s.d);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * s.scale + s.shift;
  const path = join(dir, name);
  writeNpy(path, data, [s.n, s.d]);
  return path;
}

const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(1e-12, 1e-9 * Math.abs(want)));

describe('gen-eval kid', () => {
  const c = golden.kid[0]!;
  const real = specFile('real.npy', c.x);
  const fake = specFile('fake.npy', c.y);

  it('matches the golden KID with the same subset draws', () => {
    const r = cli('kid', real, fake, '--json', '--subsets', String(c.subsets), '--subset-size', String(c.subsetSize), '--seed', String(c.seed));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    close(out.kid_mean, c.mean);
    close(out.kid_std, c.std);
    expect([out.subsets, out.subset_size, out.seed, out.dims]).toEqual([c.subsets, c.subsetSize, c.seed, 16]);
    expect(out.warnings).toEqual([]);
    const human = cli('kid', real, fake, '--subsets', String(c.subsets), '--subset-size', String(c.subsetSize));
    expect(human.stdout).toMatch(new RegExp(`^KID: ${c.mean.toPrecision(6)} ± `));
  });

  it('shrinks the subset size with a warning on stderr and in the JSON', () => {
    const s = golden.kid[1]!;
    const r = cli('kid', real, fake, '--json', '--subsets', String(s.subsets), '--seed', String(s.seed));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    close(out.kid_mean, s.mean);
    expect(out.subset_size).toBe(500);
    expect(out.warnings[0]).toMatch(/shrunk from 1000 to 500/);
    expect(r.stderr).toMatch(/warning: KID subset size shrunk/);
  });

  it('fails with exit 2 on a dimension mismatch or a single sample', () => {
    const other = specFile('other.npy', { seed: 3, n: 50, d: 15, scale: 1, shift: 0 });
    const r = cli('kid', real, other);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${other}: has 15 feature dims but ${real} has 16`);
    const one = specFile('one.npy', { seed: 3, n: 1, d: 16, scale: 1, shift: 0 });
    const o = cli('kid', one, fake, '--json');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(`${one}: KID needs at least 2 samples, found 1`);
    expect(cli('kid', real, fake, '--subset-size', '1').code).toBe(2);
  });
});
