/**
 * A Fréchet distance outside pytorch-fid's Inception space says which space it is in: the human
 * line of `fid` and `eval` names the extractor (FD in … space, not Inception FID), `--json`
 * records `details.feature_space`, and `check` refuses a baseline measured in another space.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './cli-in-process.js';
import { tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-feature-space-');
/** n seeded 28×28 uint8 images as an `.npy` image array (an LCG: no test depends on its values). */
function images(name: string, n: number, seed: number): string {
  let s = seed >>> 0;
  const bytes = Uint8Array.from({ length: n * 28 * 28 }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
  const path = join(dir, `${name}.npy`);
  writeFileSync(path, encodeNpy(bytes, [n, 28, 28]));
  return path;
}
const a = images('a', 40, 1);
const b = images('b', 40, 2);
const run = (...args: string[]) => cliInProcess(...args, '--extractor', 'mnist', '--no-cache', '--quiet');

describe('a Fréchet distance in another feature space', () => {
  it('fid names the space in its human line and records it in details', async () => {
    const human = await run('fid', a, b);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^FD in mnist@[0-9a-f]{8}:128 space \(FD-mnist, not Inception FID\): {2}\d+(\.\d+)?(e[+-]?\d+)?\n$/);
    const json = JSON.parse((await run('fid', a, b, '--json')).stdout) as { details: { feature_space: Record<string, string> }; inputs: { extractor: string }[] };
    expect(json.details.feature_space).toEqual({
      extractor: json.inputs[0]!.extractor,
      network: 'mnist',
      weights_sha256: expect.stringMatching(/^[0-9a-f]{8}$/),
      profile: expect.any(String),
    });
  });

  it('eval says so beside fid and records the space in details', async () => {
    const r = await run('eval', a, b, '--metrics', 'fid');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fid: \d+\.\d{6} {2}\(FD in mnist@[0-9a-f]{8}:128 space \(FD-mnist, not Inception FID\)\)\n$/);
  });

  it('check refuses a baseline of another space that an expression reads (exit 2)', async () => {
    const results = join(dir, 'results.json');
    writeFileSync(results, (await run('fid', a, b, '--json')).stdout);
    const baseline = join(dir, 'baseline.json');
    const inception = { path: 'real/', kind: 'images', n: 40, extractor: 'inception@6726825d:2048', profile: 'pytorch-fid' };
    writeFileSync(baseline, JSON.stringify({ fid: 30, inputs: [inception, inception] }));
    const gates = join(dir, 'gates.json');
    writeFileSync(gates, JSON.stringify({ fid: { max: 'baseline.fid * 1.05' } }));
    const r = await cliInProcess('check', results, '--thresholds', gates, '--baseline', baseline);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline\.json: measured in another feature space than the results .*extractor .*inception@6726825d:2048.* vs .*mnist@/);
  });
});
