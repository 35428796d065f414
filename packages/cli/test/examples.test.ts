/**
 * The runnable examples in examples/ (public API of @gen-eval/metrics), run as a user runs them
 * (`node examples/x.mjs`), give the numbers the CLI gives on the same images.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './golden-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = tempDir('gen-eval-examples-');
const env = { GEN_EVAL_CACHE: join(dir, 'cache') };

function example(name: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, [join(ROOT, 'examples', name)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

interface DigitSet {
  n: number;
  images: Uint8Array;
}
const digits = (await import(pathToFileURL(join(ROOT, 'examples', 'mnist-digits.mjs')).href)) as {
  digitSets(): { real: DigitSet; fake: DigitSet };
  writeFolder(dir: string, set: DigitSet): string;
};
const sets = digits.digitSets();
const real = digits.writeFolder(join(dir, 'real'), sets.real);
const fake = digits.writeFolder(join(dir, 'fake'), sets.fake);
const cliEval = (metrics: string) => {
  const r = cliWith({ env }, 'eval', real, fake, '--extractor', 'mnist', '--metrics', metrics, '--subset-size', '100', '--json', '--quiet');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number>;
};

describe('examples/', () => {
  it('evaluate-folders.mjs: FID, KID and PRDC in one call equal `gen-eval eval --json`', () => {
    const out = example('evaluate-folders.mjs') as { result: Record<string, number>; details: Record<string, unknown> };
    const want = cliEval('fid,kid,prdc');
    expect(Object.keys(out.result).sort()).toEqual(['coverage', 'density', 'fid', 'kid_mean', 'kid_std', 'prdc_precision', 'prdc_recall']);
    for (const [k, v] of Object.entries(out.result)) expect(v, k).toBe(want[k]);
    expect(out.details).toEqual((want as unknown as { details: unknown }).details);
    expect(out.result.fid).toBeGreaterThan(10); // a collapsed "generator": half the digits missing
  });

  it('stream-batches.mjs: FID and KID of batches fed from memory equal the CLI on folders of the same images', () => {
    const out = example('stream-batches.mjs') as Record<string, number>;
    const want = cliEval('fid,kid');
    expect(out.fid).toBe(want.fid);
    expect(out.fid_evaluate).toBe(want.fid);
    expect(out.kid_mean).toBe(want.kid_mean);
    expect(out.kid_std).toBe(want.kid_std);
    const fid = cliWith({ env }, 'fid', real, fake, '--extractor', 'mnist', '--json', '--quiet');
    expect((JSON.parse(fid.stdout) as { fid: number }).fid).toBe(out.fid);
    expect([out.n_real, out.n_fake]).toEqual([sets.real.n, sets.fake.n]);
  });
});
