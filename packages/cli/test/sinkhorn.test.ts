/** `gen-eval divergence sinkhorn` at the edges of ε, and S(X, X) (issue #10). */
import { join } from 'node:path';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import precise from '../../../fixtures/golden/divergence/sinkhorn.json' with { type: 'json' };
import { cli, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const dir = tempDir('gen-eval-sinkhorn-');
function uniform(name: string, seed: number, n: number, d: number, scale = 1, shift = 0): string {
  const rs = new RandomState(seed);
  const path = join(dir, name);
  writeNpy(
    path,
    Float64Array.from({ length: n * d }, () => rs.random() * scale + shift),
    [n, d],
  );
  return path;
}

describe('gen-eval divergence sinkhorn', () => {
  const x = uniform('x.npy', 101, 12, 3);
  const y = uniform('y.npy', 102, 10, 3, 1.5, 0.4);

  it('huge ε gives the ε → ∞ limit ½‖Δmean‖² (it drifted from 1e12 up, to ~1e285 at 1e300), and S(X, X) = 0', () => {
    for (const eps of ['1e12', '1e300']) {
      const r = cli('divergence', 'sinkhorn', x, y, '--epsilon', eps, '--json');
      expect(r.code, r.stderr).toBe(0);
      const v = JSON.parse(r.stdout).value as number;
      expect(Math.abs(v - precise.limit.p2)).toBeLessThanOrEqual(1e-9 * precise.limit.p2);
    }
    const same = cli('divergence', 'sinkhorn', x, x, '--json');
    expect(JSON.parse(same.stdout).value).toBe(0);
  });

  it('ε too small for float64 potentials (e.g. 1e-300): exit 2, one line naming the bound', async () => {
    const r = await cliInProcess('divergence', 'sinkhorn', x, y, '--epsilon', '1e-300');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^gen-eval: sinkhorn: ε = 1e-300 is below \d\.\d\de-10, the smallest usable value for these samples/);
  });
});
