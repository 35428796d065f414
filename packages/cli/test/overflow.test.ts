/**
 * Huge finite feature values (1e150–1e300) used to overflow to NaN/Inf or a wrong 0 inside the
 * metrics (squared distances, KID's cubic kernel). Every feature-reading command refuses them on
 * reading: exit 2, one line naming the file, "values overflow".
 */
import { join } from 'node:path';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const dir = tempDir('gen-eval-overflow-');

function matrix(name: string, seed: number, n: number, d: number, scale: number): string {
  const x = new RandomState(seed).normals(n * d);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * scale;
  const p = join(dir, name);
  writeNpy(p, x, [n, d]);
  return p;
}

const ok = matrix('ok.npy', 1, 120, 4, 1);
const huge = matrix('huge.npy', 2, 120, 4, 1e150);
const huger = matrix('huger.npy', 3, 120, 4, 1e300);

describe('huge finite feature values: exit 2 "values overflow" naming the file, never NaN or a wrong 0', () => {
  const commands: Array<[string, string[]]> = [
    ['fid', []],
    ['kid', ['--subsets', '5', '--subset-size', '50']],
    ['pr', []],
    ['prdc', []],
    ['ndb', ['--bins', '5']],
  ];
  for (const [cmd, extra] of commands) {
    it(`${cmd}`, () => {
      expectInputError(cli(cmd, ok, huge, ...extra), huge, /values overflow: \|x\| = .*e\+1\d\d at row \d+, column \d+ exceeds 1e\+20/);
      expectInputError(cli(cmd, huger, ok, ...extra), huger, /values overflow/);
    });
  }

  it('values up to the bound are accepted (1e15-scale features still give finite results)', async () => {
    const big = matrix('big.npy', 4, 120, 4, 1e15);
    const r = await cliInProcess('kid', ok, big, '--subsets', '5', '--subset-size', '50', '--json');
    expect(r.code).toBe(0);
    expect(Number.isFinite(JSON.parse(r.stdout).kid_mean)).toBe(true);
  });
});
