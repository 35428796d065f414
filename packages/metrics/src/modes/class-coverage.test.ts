import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/modes.json' with { type: 'json' };
import { RandomState } from '../random.js';
import { classCoverage } from './class-coverage.js';

describe('classCoverage (Stacked-MNIST protocol)', () => {
  it('matches numpy on 2 000 seeded 3-channel labels', () => {
    const rs = new RandomState(111);
    // numpy: np.stack([rs.randint(0, 6, 2000), rs.randint(0, 10, 2000), rs.randint(0, 10, 2000)], axis=1)
    const cols = [6, 10, 10].map((hi) => Array.from({ length: 2000 }, () => rs.interval(hi - 1)));
    const labels = new Int32Array(6000);
    for (let i = 0; i < 2000; i++) for (let c = 0; c < 3; c++) labels[i * 3 + c] = cols[c]![i]!;
    expect(labels.reduce((a, b) => a + b, 0)).toBe(golden.classes.label_sum);
    const r = classCoverage(labels, [2000, 3], 10);
    expect(r.modes).toBe(1000);
    expect(r.modesCovered).toBe(golden.classes.modes_covered);
    expect(Math.abs(r.kl - golden.classes.kl)).toBeLessThanOrEqual(1e-9 * golden.classes.kl);
  });

  it('a perfect uniform labelling has KL 0 and full coverage; one class has KL log K', () => {
    const all = Int32Array.from({ length: 1000 }, (_, i) => i);
    expect(classCoverage(all, [1000], 1000)).toEqual({ samples: 1000, modes: 1000, modesCovered: 1000, kl: 0 });
    expect(classCoverage(new Int32Array(50).fill(3), [50], 10).kl).toBeCloseTo(Math.log(10), 14);
    // BigInt64 labels (np.int64) work too; channel order: first channel most significant.
    expect(classCoverage(BigInt64Array.of(1n, 2n, 1n, 2n), [2, 2], 3)).toMatchObject({ modes: 9, modesCovered: 1 });
  });

  it('rejects out-of-range or non-integer labels, bad shapes and empty input, naming the file', () => {
    expect(() => classCoverage(Int32Array.of(0, 10), [2], 10, { name: 'l.npy' })).toThrow(/^l\.npy: label 10 at row 1 is not an integer in \[0, 10\)$/);
    expect(() => classCoverage(Float64Array.of(0, 1.5), [1, 2], 10, { name: 'l.npy' })).toThrow(/^l\.npy: label 1\.5 at row 0, channel 1/);
    expect(() => classCoverage(Int32Array.of(-1), [1], 10, { name: 'l.npy' })).toThrow(/label -1/);
    expect(() => classCoverage(new Int32Array(8), [2, 2, 2], 10, { name: 'l.npy' })).toThrow(/^l\.npy: expected labels of shape/);
    expect(() => classCoverage(new Int32Array(0), [0], 10, { name: 'l.npy' })).toThrow(/^l\.npy: is empty/);
  });
});
