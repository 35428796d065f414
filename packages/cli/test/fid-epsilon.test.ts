/**
 * FID's ε rule, as the user sees it (issue #10): the warning says what gen-eval does (not
 * "pytorch-fid's rule": pytorch-fid adds ε only when sqrtm fails), why .npz statistics and .npy
 * features of the same n ≤ d sets differ, and every JSON key is snake_case.
 */
import { join } from 'node:path';
import { writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, specFile, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-fid-eps-');

function keys(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keys(x, out));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      keys(x, out);
    }
  return out;
}

describe('gen-eval fid: n ≤ d, from features and from statistics', () => {
  const a = specFile(dir, 'a.npy', { seed: 8, n: 10, d: 16, scale: 1, shift: 0 });
  const b = specFile(dir, 'b.npy', { seed: 9, n: 12, d: 16, scale: 1, shift: 0.5 });

  it('features: exact low-rank route, no ε; statistics: ε added, and the warning says what we do and why they differ', () => {
    const feats = JSON.parse(cli('fid', a, b, '--json').stdout);
    expect(feats).toMatchObject({ method: 'low-rank', epsilon_added: 0 });
    for (const [f, s] of [
      [a, 'a.npz'],
      [b, 'b.npz'],
    ] as const)
      expect(cli('stats', f, '-o', join(dir, s)).code).toBe(0);
    const stats = JSON.parse(cli('fid', join(dir, 'a.npz'), join(dir, 'b.npz'), '--json').stdout);
    expect(stats.epsilon_added).toBe(1e-6);
    const w = (stats.warnings as string[]).join('\n');
    expect(w).not.toMatch(/pytorch-fid's rule/);
    expect(w).toMatch(
      /gen-eval added 0\.000001·I to each, in the square root and in the traces .*pytorch-fid adds ε only when scipy's sqrtm fails.*from the \.npy features .* exact value with no ε/,
    );
    // The documented difference: O(√ε·tr Σ), here well above rounding and well below the value.
    const diff = Math.abs(stats.fid - feats.fid);
    expect(diff).toBeGreaterThan(1e-9 * feats.fid);
    expect(diff).toBeLessThan(Math.sqrt(1e-6) * (stats.fid + feats.fid));
  });

  it('singular with n > d (collinear rows): ε added from features too, and no hint about .npy features', () => {
    const line = join(dir, 'line.npy');
    writeNpy(
      line,
      Float64Array.from({ length: 12 }, (_, i) => (i % 3) * 0.1 + Math.floor(i / 3) * 0.375),
      [4, 3],
    );
    const out = JSON.parse(cli('fid', line, line, '--json').stdout);
    expect(out.epsilon_added).toBe(1e-6);
    expect(out.fid).toBeGreaterThanOrEqual(0);
    expect(out.fid).toBeLessThan(1e-12);
    const w = (out.warnings as string[]).join('\n');
    expect(w).toMatch(/both covariances are singular: gen-eval added/);
    expect(w).not.toMatch(/from the \.npy features/);
  });

  it('eval --json: every key snake_case (details.fid.epsilon_added, details.kid.subset_size)', () => {
    const r = cli('eval', a, b, '--metrics', 'fid,kid', '--subset-size', '5', '--subsets', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.details.fid).toHaveProperty('epsilon_added', 0);
    expect(out.details.kid).toHaveProperty('subset_size', 5);
    expect(keys(out).filter((k) => /[A-Z]/.test(k))).toEqual([]);
  });
});
