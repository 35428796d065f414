import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fid } from '../fid.js';
import { GaussianAccumulator } from '../gaussian-stats.js';
import { selectRows } from '../matrix.js';
import { RandomState } from '../random.js';
import { expectGenEvalError } from '../testing/expect.js';
import { intraFid } from './intra-fid.js';

const gaussian = (seed: number, rows: number, cols: number, shift = 0) => ({ rows, cols, data: new RandomState(seed).normals(rows * cols).map((v) => v + shift) });
const labels = (n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
const rowsOf = (l: Int32Array, c: number) => [...l.keys()].filter((i) => l[i] === c);

describe('intraFid', () => {
  it('is the mean of fid over each class, with per-class details (both routes: n > d and n ≤ d)', async () => {
    for (const d of [3, 40]) {
      const [real, fake] = [gaussian(1, 70, d), gaussian(2, 50, d, 0.3)];
      const [rl, fl] = [labels(70, (i) => (i * 3) % 5), labels(50, (i) => 4 - (i % 5))];
      const r = await intraFid(real, rl, fake, fl);
      const per = [];
      for (let c = 0; c < 5; c++) per.push((await fid(selectRows(real, rowsOf(rl, c)), selectRows(fake, rowsOf(fl, c)))).fid);
      expect(r.details.perClass.map((p) => p.fid)).toEqual(per);
      expect(r.intraFid).toBe(per.reduce((a, b) => a + b, 0) / 5);
      expect(r.classes).toBe(5);
      expect(r.warnings.length).toBe(d === 40 ? 1 : 0);
    }
  });

  it('gives each streamed class the statistics of its own folder, fed in blocks of 512 rows', async () => {
    const [real, fake] = [gaussian(3, 1500, 2), gaussian(6, 40, 2, 0.2)];
    const [rl, fl] = [labels(1500, (i) => i % 2), labels(40, (i) => i % 2)];
    const r = await intraFid(real, rl, fake, fl, { streamed: [true, false] });
    for (const c of [0, 1]) {
      // What the folder pipeline does with a folder of this class alone: 512-row blocks in order.
      const rows = selectRows(real, rowsOf(rl, c));
      const acc = new GaussianAccumulator(2);
      for (let s = 0; s < rows.rows; s += 512)
        await acc.add(
          selectRows(
            rows,
            Array.from({ length: Math.min(512, rows.rows - s) }, (_, k) => s + k),
          ),
        );
      expect(r.details.perClass[c]!.fid).toBe((await fid(acc.result(), selectRows(fake, rowsOf(fl, c)))).fid);
    }
  });

  it('is 0 for identical per-class sets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), async (seed, k, d) => {
        const n = k * 6;
        const x = gaussian(seed, n, d);
        const l = labels(n, (i) => i % k);
        // Zero up to the rounding of tr √(Σ²) against tr Σ (~1e-16 relative).
        const v = (await intraFid(x, l, x, l)).intraFid;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1e-12 * d);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses bad labels with one line naming the labels', async () => {
    const names = ['r.npy', 'rl.npy', 'f.npy', 'fl.npy'] as const;
    const x = gaussian(4, 6, 2);
    const ok = labels(6, (i) => i % 2);
    await expectGenEvalError(intraFid(x, [0, 1], x, ok, { names }), { code: 'bad_input', path: 'rl.npy', message: /has 2 labels but r\.npy has 6 rows/ });
    await expectGenEvalError(intraFid(x, ok, x, [0, 1, 0, 1, 0, -1], { names }), { path: 'fl.npy', message: /label -1 at row 5 is not a non-negative integer/ });
    await expectGenEvalError(intraFid(x, [0, 1, 0, 1, 0, 1.5], x, ok, { names }), { path: 'rl.npy', message: /label 1.5 at row 5/ });
    await expectGenEvalError(intraFid(x, ok, x, [0, 1, 0, 1, 2, 2], { names }), { path: 'rl.npy', message: /has no sample of class 2 \(fl\.npy has 2\)/ });
    await expectGenEvalError(intraFid(x, [0, 0, 0, 0, 0, 1], x, [0, 0, 0, 0, 1, 1], { names }), { path: 'rl.npy', message: /class 1 has 1 sample; intra-FID needs at least 2/ });
    await expectGenEvalError(intraFid(x, ok, gaussian(5, 6, 3), ok, { names }), { path: 'f.npy', message: /3 feature dims but r\.npy has 2/ });
  });
});
