import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './cli-in-process.js';

const GOLDEN = new URL('../../../fixtures/golden/cmmd/', import.meta.url).pathname;
const golden = JSON.parse(readFileSync(`${GOLDEN}cmmd.json`, 'utf8')) as { cli: { cmmd: number } };

describe('gen-eval cmmd', () => {
  it('matches the numpy transcription of distance.py on .npy CLIP embeddings', async () => {
    const r = await cliInProcess('cmmd', `${GOLDEN}real.npy`, `${GOLDEN}fake.npy`, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.cmmd - golden.cli.cmmd)).toBeLessThanOrEqual(1e-6 * golden.cli.cmmd);
    expect([out.metric, out.sigma, out.n_real, out.n_fake, out.dims]).toEqual(['cmmd', 10, 20, 16, 24]);
    const human = await cliInProcess('cmmd', `${GOLDEN}real.npy`, `${GOLDEN}fake.npy`);
    expect(human.stdout).toMatch(new RegExp(`^CMMD: ${golden.cli.cmmd.toPrecision(6)} `));
  });

  it('refuses another feature space, mismatched embeddings and missing files with exit 2 and one line', async () => {
    const other = await cliInProcess('cmmd', `${GOLDEN}real.npy`, `${GOLDEN}fake.npy`, '--extractor', 'mnist');
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(/^[^\n]*--extractor mnist: CMMD is computed on CLIP image embeddings[^\n]*$/);
    const missing = await cliInProcess('cmmd', `${GOLDEN}real.npy`, `${GOLDEN}nope.npy`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.npy/);
    const wrong = await cliInProcess('cmmd', `${GOLDEN}real.npy`, `${GOLDEN}../clip/images.npy`);
    expect(wrong.code).toBe(2);
  });
});
