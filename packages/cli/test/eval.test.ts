import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));
const GEN_DEMO = fileURLToPath(new URL('../../../fixtures/scripts/gen_demo.py', import.meta.url));

describe('gen-eval eval on feature files', () => {
  it('equals the single-metric commands, from one pass', () => {
    const real = `${DEMO}real.npy`;
    const fake = `${DEMO}fake.npy`;
    const all = JSON.parse(cli('eval', real, fake, '--metrics', 'fid,kid,pr,prdc', '--json').stdout);
    const f = JSON.parse(cli('fid', real, fake, '--json').stdout);
    const k = JSON.parse(cli('kid', real, fake, '--json').stdout);
    const p = JSON.parse(cli('pr', real, fake, '--json').stdout);
    const d = JSON.parse(cli('prdc', real, fake, '--json').stdout);
    expect(all.fid).toBe(f.fid);
    expect(all.kid_mean).toBe(k.kid_mean);
    expect(all.kid_std).toBe(k.kid_std);
    expect([all.precision, all.recall]).toEqual([p.precision, p.recall]);
    expect([all.prdc_precision, all.prdc_recall, all.density, all.coverage]).toEqual([d.precision, d.recall, d.density, d.coverage]);
    expect(all.metrics).toEqual(['fid', 'kid', 'pr', 'prdc']);
  });

  it('rejects unknown metrics and an IS without logits, with exit code 2', async () => {
    const bad = await cliInProcess('eval', `${DEMO}real.npy`, `${DEMO}fake.npy`, '--metrics', 'fid,foo');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown metric "foo"/);
    const noLogits = await cliInProcess('eval', `${DEMO}real.npy`, `${DEMO}fake.npy`, '--metrics', 'is');
    expect(noLogits.code).toBe(2);
    expect(noLogits.stderr).toMatch(/fake\.npy: the Inception Score needs logits/);
  });

  it('says which inputs it cannot read', async () => {
    const r = await cliInProcess('eval', '/nonexistent/real', `${DEMO}fake.npy`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('gen-eval: /nonexistent/real: no such file or folder');
    const odd = await cliInProcess('eval', GEN_DEMO, `${DEMO}fake.npy`);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/gen_demo\.py: unsupported input \(\.py\): expected an image folder, a \.npy feature matrix or a \.npz stats file/);
  });
});
