import { join } from 'node:path';
import { ndb, RandomState, writeNpy, type Matrix } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const dir = tempDir('gen-eval-ndb-');

function randn(seed: number, n: number, d: number, scale = 1): Matrix {
  return { rows: n, cols: d, data: new RandomState(seed).normals(n * d).map((v) => v * scale) };
}
function save(name: string, m: Matrix): string {
  const path = join(dir, name);
  writeNpy(path, m.data, [m.rows, m.cols]);
  return path;
}

describe('gen-eval ndb', () => {
  const real = randn(1, 1500, 3);
  const realPath = save('real.npy', real);

  it('reports ndb, ndb_fraction and js, equal to the library call with the same seed', async () => {
    const fake = randn(2, 800, 3, 0.5);
    const r = cli('ndb', realPath, save('fake.npy', fake), '--bins', '20', '--seed', '5', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const lib = await ndb(real, fake, { bins: 20, seed: 5 });
    expect(out).toMatchObject({ metric: 'ndb', ndb: lib.ndb, ndb_fraction: lib.ndbFraction, js: lib.js, bins: 20, seed: 5, alpha: 0.05, n_real: 1500, n_fake: 800 });
    expect(out.ndb).toBeGreaterThanOrEqual(8); // a shrunken generator differs in many bins
    expect(out.p_values).toHaveLength(20);
    expect(cli('ndb', realPath, save('fake.npy', fake), '--bins', '20', '--seed', '5').stdout).toMatch(/^NDB: \d+ \/ 20 bins differ \(NDB\/K = 0\.\d{3}\), JS = /);
  });

  it('bad input: mismatched dimensions, empty sets, too few real samples, bad --alpha (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [[realPath, save('d2.npy', randn(3, 10, 2))], /d2\.npy: has 2 dimensions but .*real\.npy has 3 \(mismatched dimensions\)/],
      [[realPath, save('empty.npy', { rows: 0, cols: 3, data: new Float64Array(0) })], /empty\.npy: is empty/],
      [[save('few.npy', randn(4, 30, 3)), realPath], /few\.npy: has 30 samples, fewer than the 100 bins/],
      [[realPath, realPath, '--alpha', '1.5'], /--alpha must be below 1/],
    ];
    for (const [args, msg] of cases) {
      const r = await cliInProcess('ndb', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
