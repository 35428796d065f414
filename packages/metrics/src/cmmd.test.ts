import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmmd } from './cmmd.js';
import { fromRows, type Matrix } from './matrix.js';
import { expectGenEvalError } from './testing/expect.js';

const GOLDEN = JSON.parse(readFileSync(new URL('../../../fixtures/golden/cmmd/cmmd.json', import.meta.url), 'utf8')) as {
  cases: { name: string; x: number[][]; y: number[][]; cmmd: number }[];
};

const rowsArb = (d: number) => fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 8 });

describe('cmmd (google-research cmmd/distance.py)', () => {
  for (const c of GOLDEN.cases) {
    it(`matches the numpy transcription: ${c.name}`, async () => {
      const x = fromRows(c.x);
      const y = fromRows(c.y);
      for (const blockRows of [undefined, 1, 7]) {
        const v = await cmmd(x, y, blockRows === undefined ? {} : { blockRows });
        expect(Math.abs(v - c.cmmd)).toBeLessThanOrEqual(1e-6 * Math.abs(c.cmmd) + 1e-12);
      }
    });
  }

  it('is symmetric, zero for identical sets and non-negative (a squared RKHS distance)', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb(3), rowsArb(3), async (a, b) => {
        const x = fromRows(a);
        const y = fromRows(b);
        const xy = await cmmd(x, y);
        expect(Math.abs(xy - (await cmmd(y, x)))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(xy)));
        expect(xy).toBeGreaterThan(-1e-9);
        expect(Math.abs(await cmmd(x, x))).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('depends on the embeddings only through their distances relative to σ = 10 (shift invariance; scaling both changes it)', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb(2), rowsArb(2), fc.double({ min: -5, max: 5, noNaN: true }), async (a, b, t) => {
        const shift = (rows: number[][]): Matrix => fromRows(rows.map((r) => r.map((v) => v + t)));
        const base = await cmmd(fromRows(a), fromRows(b));
        expect(Math.abs((await cmmd(shift(a), shift(b))) - base)).toBeLessThanOrEqual(1e-7 * Math.max(1, base));
      }),
      { numRuns: 40 },
    );
    // Points 10 apart (1σ) against points 20 apart (2σ): a known closed form.
    const one = await cmmd(fromRows([[0]]), fromRows([[10]]));
    expect(one).toBeCloseTo(1000 * (2 - 2 * Math.exp(-0.5)), 9);
    const two = await cmmd(fromRows([[0]]), fromRows([[20]]));
    expect(two).toBeCloseTo(1000 * (2 - 2 * Math.exp(-2)), 9);
  });

  it('refuses empty sets, mismatched widths and non-finite values in one line', async () => {
    await expectGenEvalError(cmmd(fromRows([[1, 2]]), fromRows([[1]]), { names: ['real.npy', 'fake.npy'] }), { path: 'fake.npy', message: /mismatched dimensions/ });
    await expectGenEvalError(cmmd(fromRows([[Number.NaN]]), fromRows([[1]]), { names: ['a', 'b'] }), { path: 'a', message: /NaN/ });
    await expectGenEvalError(cmmd({ rows: 0, cols: 2, data: new Float64Array(0) }, fromRows([[1, 2]]), { names: ['a', 'b'] }), { path: 'a', message: /empty/ });
  });
});
