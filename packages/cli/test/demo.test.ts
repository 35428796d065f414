import { describe, expect, it } from 'vitest';
import { cli } from './golden-cli.js';

describe('gen-eval demo', () => {
  it('runs every metric on the shipped features, offline', () => {
    const r = cli('demo', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // The generated set keeps 7 of 10 classes, so the IS sits just under 7, and it is noisier,
    // so FID is far from 0 and precision < recall's share of kept modes.
    expect(out.is_mean).toBeGreaterThan(6);
    expect(out.is_mean).toBeLessThan(7);
    expect(out.fid).toBeGreaterThan(10);
    expect(out.kid_mean).toBeGreaterThan(0);
    expect(out.recall).toBeLessThan(0.75);
    expect(out.coverage).toBeLessThan(0.75);
    expect(out.warnings).toEqual([]);
  });

  it('prints a human summary on stdout and its banner on stderr', () => {
    const r = cli('demo');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FID: +\d+\.\d{4}\nIS: +\d/);
    expect(r.stderr).toMatch(/gen-eval demo: .*real\.npy vs fake\.npy/);
  });
});
