import { describe, expect, it } from 'vitest';
import { RandomState } from './random.js';

// Values printed by numpy 1.24 (Debian python3-numpy):
//   rs = np.random.RandomState(2020); rs.randint(0, 2**32, 3, dtype=np.uint64) etc. — see fixtures/scripts.
describe('RandomState (numpy legacy MT19937)', () => {
  it('matches numpy for seed 2020', async () => {
    const { default: golden } = await import('../../../fixtures/golden/random.json', { with: { type: 'json' } });
    const rs = new RandomState(golden.seed);
    expect(Array.from({ length: golden.uint32.length }, () => rs.nextUint32())).toEqual(golden.uint32);
    const rs2 = new RandomState(golden.seed);
    const doubles = Array.from({ length: golden.random.length }, () => rs2.random());
    expect(doubles).toEqual(golden.random);
    expect(Array.from(new RandomState(golden.seed).permutation(golden.permutation.length))).toEqual(golden.permutation);
    expect(Array.from(new RandomState(golden.seed).choiceWithoutReplacement(golden.choiceN, golden.choice.length))).toEqual(golden.choice);
    const rs3 = new RandomState(golden.seed);
    const normals = Array.from(rs3.normals(golden.normal.length));
    normals.forEach((v, i) => expect(v).toBeCloseTo(golden.normal[i]!, 14));
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new RandomState(-1)).toThrow(/seed/);
    expect(() => new RandomState(2 ** 32)).toThrow(/seed/);
  });
});
