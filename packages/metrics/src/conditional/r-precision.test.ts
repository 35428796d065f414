import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { expectGenEvalError } from '../testing/expect.js';
import { meaningKey, rPrecision } from './r-precision.js';

const gaussian = (seed: number, rows: number, cols: number) => ({ rows, cols, data: new RandomState(seed).normals(rows * cols) });
const keys = (n: number, k: number) => Int32Array.from({ length: n }, (_, i) => i % k);

describe('rPrecision', () => {
  it('is 1 when every image embedding equals its caption embedding (distinct meanings, distinct directions)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 20 }), (seed, candidates) => {
        const n = 2 * candidates;
        const emb = gaussian(seed, n, 6);
        const set = { embeddings: emb, meanings: keys(n, n) };
        const r = rPrecision(emb, set, set, new RandomState(seed), { candidates });
        expect(r.rPrecision).toBe(1);
        expect(r.chance).toBe(1 / candidates);
      }),
    );
  });

  it('counts ties against the true caption, so a judge that scores everything alike gets 0', () => {
    const same = { rows: 30, cols: 3, data: new Float64Array(90).fill(1) };
    const set = { embeddings: same, meanings: keys(30, 3) };
    const r = rPrecision(same, set, set, new RandomState(0), { candidates: 10 });
    expect(r.rPrecision).toBe(0);
    expect([...r.ranks].every((x) => x === 10)).toBe(true);
  });

  it('never draws a caption that means the same as the true one', () => {
    // Same-meaning captions sit exactly on the image; every other caption is far away: any such
    // caption drawn would tie and push the true caption down.
    const n = 40;
    const images = gaussian(3, n, 4);
    const set = { embeddings: images, meanings: keys(n, 4) };
    const shared = { rows: n, cols: 4, data: Float64Array.from({ length: n * 4 }, (_, k) => images.data[(Math.floor(k / 4) % 4) * 4 + (k % 4)]!) };
    const r = rPrecision(shared, { embeddings: shared, meanings: set.meanings }, { embeddings: shared, meanings: set.meanings }, new RandomState(1), { candidates: 30 });
    expect(r.rPrecision).toBe(1);
  });

  it('keys a caption meaning by class and named attributes, in name order', () => {
    expect(meaningKey({ label: 7, attributes: { thickness: 2, slant: 0 } })).toBe('7|slant=0|thickness=2');
    expect(meaningKey({ label: 7, attributes: { slant: 0, thickness: 2 } })).toBe(meaningKey({ label: 7, attributes: { thickness: 2, slant: 0 } }));
    expect(meaningKey({ label: 3, attributes: {} })).toBe('3');
  });

  it('refuses a pool without enough mismatches, and bad options', () => {
    const emb = gaussian(5, 20, 3);
    const set = { embeddings: emb, meanings: keys(20, 2) };
    expectGenEvalError(() => rPrecision(emb, set, set, new RandomState(0), { candidates: 100, names: ['img', 'cap', 'pool.npy'] }), {
      code: 'bad_input',
      path: 'pool.npy',
      message: /has 10 captions whose meaning differs from caption 0's \(0\); R-precision needs 99/,
    });
    expectGenEvalError(() => rPrecision(emb, set, set, new RandomState(0), { candidates: 1 }), { code: 'usage', message: /candidates/ });
    expectGenEvalError(() => rPrecision(emb, set, set, new RandomState(0), { candidates: 5, r: 6 }), { code: 'usage', message: /r must be/ });
    expectGenEvalError(() => rPrecision(emb, { embeddings: emb, meanings: keys(19, 2) }, set, new RandomState(0)), { path: 'captions', message: /19 meaning keys for 20/ });
  });
});
