import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy, readStatsNpz } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/fid/fid.json' with { type: 'json' };
import { cli, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { expectClose } from '@gen-eval/metrics/testing/expect';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden/fid/', import.meta.url));
const dir = tempDir('gen-eval-stats-');

const A32 = join(GOLDEN, 'a-d8-f32.npy');
const B = join(GOLDEN, 'b-d8.npy');

describe('gen-eval stats', () => {
  it('writes pytorch-fid statistics equal to numpy (mean, np.cov) and reports n, dims', () => {
    const out = join(dir, 'a.npz');
    const r = cli('stats', A32, '-o', out, '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ output: out, n: 300, dims: 8, input: A32 });
    expect(res.warnings[0]).toMatch(/300 samples — FID is biased upwards/);
    const s = readStatsNpz(out);
    expect(s.dims).toBe(8);
    expect(s.n).toBe(300);
    expectClose(s.mu, golden.cli.mu_a32, { rel: 1e-13, relTo: 'max' });
    expectClose(s.sigma, golden.cli.sigma_a32, { rel: 1e-13, relTo: 'max' });
    // Structure numpy and pytorch-fid rely on: a zip whose members are mu.npy and sigma.npy
    // (plus num_samples.npy, which they ignore), float64 arrays of shape (8,) and (8, 8).
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const text = bytes.toString('latin1');
    for (const name of ['mu.npy', 'sigma.npy', 'num_samples.npy']) expect(text).toContain(name);
    expect(s.mu).toBeInstanceOf(Float64Array);
    expect(s.sigma.length).toBe(64);
    // Human line, and no temporary files left behind.
    const h = cli('stats', A32, '-o', join(dir, 'a2.npz'));
    expect(h.stdout).toBe(`wrote ${join(dir, 'a2.npz')}: mu (8) and sigma (8×8) from 300 samples\n`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('round-trips through fid: stats file vs features give the golden FID', async () => {
    const out = join(dir, 'a-stats.npz');
    expect((await cliInProcess('stats', A32, '-o', out)).code).toBe(0);
    const r = JSON.parse((await cliInProcess('fid', out, B, '--json')).stdout);
    expect(Math.abs(r.fid - golden.cli.fid_a32_b) / golden.cli.fid_a32_b).toBeLessThan(1e-9);
    expect(r.n).toEqual([300, 200]);
  });

  it('bad inputs: exit 2 with one line naming the file, and no output written', async () => {
    const out = join(dir, 'never.npz');
    const npz = join(GOLDEN, 'stats-b-d8.npz');
    let r = await cliInProcess('stats', npz, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${npz}: unsupported input (.npz): expected an image folder or a .npy feature matrix`);
    const x = new Float64Array(5 * 3).fill(1);
    x[4 * 3 + 1] = Number.NaN;
    const nan = join(dir, 'nan.npy');
    writeFileSync(nan, encodeNpy(x, [5, 3]));
    r = await cliInProcess('stats', nan, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${nan}: NaN at row 4, column 1 (first non-finite value)`);
    const one = join(dir, 'one.npy');
    writeFileSync(one, encodeNpy(new Float64Array(3), [1, 3]));
    r = await cliInProcess('stats', one, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${one}: needs at least 2 samples, found 1`);
    r = await cliInProcess('stats', A32, '-o', join(dir, 'out.txt'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${join(dir, 'out.txt')}: the output file must end in .npz`);
    expect(existsSync(out)).toBe(false);
    expect((await cliInProcess('stats', A32)).code).toBe(2); // -o is required (usage error)
  });
});
