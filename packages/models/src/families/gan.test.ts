import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { build, train } from './family.test-helper.js';
import { gan } from './gan.js';
import { buildOn, expectNoLeak, expectResumeEquivalent, mean2, pointDataset } from './resume.test-helper.js';

const small = { hidden: 16, batchSize: 32 };

describe('gan', () => {
  it('samples n × 2 finite points', async () => {
    const b = await build(gan, small);
    train(b, 2);
    const xs = b.model.sample(37, new Rng(3));
    expect(xs.length).toBe(74);
    expect(xs.every(Number.isFinite)).toBe(true);
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    const b = await buildOn(gan, { ...small, lr: 2e-3 }, pointDataset(1, -1));
    const before = mean2(b.model.sample(500, new Rng(9)));
    train(b, 300);
    const [mx, my] = mean2(b.model.sample(500, new Rng(9)));
    // Init outputs sit near the origin, ~1.4 from the target: the check fails if G does not learn.
    expect(Math.hypot(before[0] - 1, before[1] + 1)).toBeGreaterThan(0.8);
    expect(Math.hypot(mx - 1, my + 1)).toBeLessThan(0.2);
    b.model.dispose();
  });

  it('reports the saturating generator loss log(1 − D(G(z))) (always negative)', async () => {
    const b = await build(gan, small);
    const losses = train(b, 5);
    // ns-gan's g_loss softplus(−l) is positive; the minimax loss −softplus(l) is negative.
    for (const l of losses) {
      expect(l.g_loss).toBeLessThan(0);
      expect(l.d_loss).toBeGreaterThan(0);
    }
    b.model.dispose();
  });

  it('is deterministic in the seed', async () => {
    const run = async (seed: number) => {
      const b = await build(gan, small, { seed });
      const losses = train(b, 5, seed);
      b.model.dispose();
      return losses;
    };
    const a = await run(4);
    expect(await run(4)).toEqual(a);
    expect(await run(5)).not.toEqual(a);
  });

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(gan, small);
  });

  it('does not leak tensors', async () => {
    const b = await build(gan, small);
    expectNoLeak(b);
    b.model.dispose();
  });
});
