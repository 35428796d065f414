import { join } from 'node:path';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { cli, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-divergence-');

function json(...args: string[]) {
  const r = cli(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown> & { value: number };
}
function file(name: string, rows: readonly (readonly number[])[] | readonly number[]): string {
  const path = join(dir, name);
  const is2d = Array.isArray(rows[0]);
  const flat = is2d ? (rows as number[][]).flat() : (rows as number[]);
  writeNpy(path, Float64Array.from(flat), is2d ? [rows.length, (rows[0] as number[]).length] : [rows.length]);
  return path;
}
function randnFile(name: string, seed: number, n: number, d: number, scale = 1, shift = 0): string {
  const path = join(dir, name);
  writeNpy(
    path,
    new RandomState(seed).normals(n * d).map((v) => v * scale + shift),
    [n, d],
  );
  return path;
}
const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));

describe('gen-eval divergence', () => {
  const t = golden.tiny;
  const X = file('x.npy', t.X);
  const Y = file('y.npy', t.Y);

  it('knn-kl and mmd match the golden values, with their parameters in the JSON', () => {
    const kl = json('divergence', 'knn-kl', X, Y, '--k', '2');
    expect(kl).toMatchObject({ estimator: 'knn-kl', k: 2, n_p: 5, n_q: 4, dims: 2, units: 'nats' });
    rel(kl.value, t.knn_kl['2']);
    const med = json('divergence', 'mmd', X, Y);
    expect(med).toMatchObject({ estimator: 'mmd', kernel: 'gaussian', sigma_rule: 'median' });
    rel(med.value, t.mmd_gauss_median);
    rel(med.sigma as number, t.median_sigma);
    rel(json('divergence', 'mmd', X, Y, '--sigma', '1').value, t.mmd_gauss_1);
    const poly = json('divergence', 'mmd', X, Y, '--kernel', 'polynomial');
    expect(poly).toMatchObject({ kernel: 'polynomial', degree: 3, coef0: 1, gamma: 0.5 });
    rel(poly.value, t.mmd_poly);
    expect(cli('divergence', 'knn-kl', X, Y).stdout).toMatch(/^KL\(P‖Q\) ≈ -0\.808531 nats/);
  });

  it('w1 (with weight files), kl and js (nats and bits) match scipy', () => {
    const [plain, weighted] = t.w1;
    expect(json('divergence', 'w1', file('u.npy', plain!.u), file('v.npy', plain!.v)).value).toBe(5);
    const r = json(
      'divergence',
      'w1',
      file('wu.npy', weighted!.u),
      file('wv.npy', weighted!.v),
      '--p-weights',
      file('uw.npy', weighted!.uw!),
      '--q-weights',
      file('vw.npy', weighted!.vw!),
    );
    rel(r.value, weighted!.value);
    expect(r.weighted).toBe(true);
    const P = file('p.npy', t.hist.p);
    const Q = file('q.npy', t.hist.q);
    rel(json('divergence', 'kl', P, Q).value, t.hist.kl_pq);
    const js = json('divergence', 'js', P, Q, '--base', '2');
    expect(js).toMatchObject({ estimator: 'js', base: '2', units: 'bits', smoothing: 0 });
    rel(js.value, t.hist.js_bits);
    const g = golden.hist;
    rel(json('divergence', 'kl', file('hp.npy', g.p), file('hq.npy', g.q), '--smoothing', String(g.smoothing)).value, g.kl_pq);
  });

  it('sliced-w and sinkhorn match their references', () => {
    const s = golden.sliced;
    const p = randnFile('sp.npy', 51, 100, 4);
    const q = randnFile('sq.npy', 52, 80, 4, 1.3, 0.4);
    const sw = json('divergence', 'sliced-w', p, q, '--projections', String(s.projections), '--seed', String(s.seed), '--p', '1');
    expect(sw).toMatchObject({ p: 1, projections: 20, seed: 7 });
    rel(sw.value, s.p1);
    const u = (seed: number, n: number, scale: number, shift: number) => {
      const rs = new RandomState(seed);
      const path = join(dir, `u${seed}.npy`);
      writeNpy(
        path,
        Float64Array.from({ length: n * 2 }, () => rs.random() * scale + shift),
        [n, 2],
      );
      return path;
    };
    const c = golden.sinkhorn.cases[1]!;
    const sk = json('divergence', 'sinkhorn', u(71, 30, 1, 0), u(72, 25, 0.8, 0.3), '--epsilon', String(c.epsilon));
    expect(sk).toMatchObject({ epsilon: c.epsilon, p: 2, converged: true });
    expect(Math.abs(sk.value - c.value)).toBeLessThanOrEqual(1e-6 * c.value);
  });

  it('bad input: one clear line naming the file, exit 2', () => {
    const empty = join(dir, 'empty.npy');
    writeNpy(empty, new Float64Array(0), [0, 2]);
    const cases: [string[], RegExp][] = [
      [
        [
          'knn-kl',
          X,
          file('d3.npy', [
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
        /d3\.npy: has 3 dimensions but .*x\.npy has 2 \(mismatched dimensions\)/,
      ],
      [['mmd', empty, Y], /empty\.npy: is empty \(no samples\)/],
      [['knn-kl', X, Y, '--k', '5'], /x\.npy: k = 5 needs more than k samples \(k < n\), found 5/],
      [['kl', file('neg.npy', [0.5, -0.1, 0.6]), file('q3.npy', [1, 1, 1])], /neg\.npy: negative histogram entry -0\.1 in bin 1/],
      [['js', file('h3.npy', [1, 2, 3]), file('h4.npy', [1, 2, 3, 4])], /h4\.npy: has 4 bins but .*h3\.npy has 3 \(histograms of different length\)/],
      [['kl', file('a2.npy', [1, 1]), file('b2.npy', [1, 0])], /b2\.npy: has empty bins where .* has mass, so KL is infinite; pass --smoothing EPS/],
      [
        [
          'w1',
          file('m.npy', [
            [1, 2],
            [3, 4],
          ]),
          Y,
        ],
        /m\.npy: expected a 1-D array/,
      ],
      [['mmd', X, Y, '--sigma', 'wide'], /--sigma must be a number > 0, got "wide"/],
      [['kl', X, Y, '--base', '10'], /argument '10' is invalid/],
    ];
    for (const [args, msg] of cases) {
      const r = cli('divergence', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(msg);
    }
  });
});
