import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { gan } from './gan.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

const small = { hidden: 16, batchSize: 32 };

describe('gan', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(gan, small, 37);
  });

  it('moves its samples onto a single-point target', async () => {
    await expectLearnsPoint(gan, { ...small, lr: 2e-3 });
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

  it('is deterministic in the seed', () => expectDeterministic(gan, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(gan, small);
  });

  it('does not leak tensors', () => expectNoLeaks(gan, small));
});

describe('gan on images (DCGAN networks)', () => {
  imageGanChecks(gan);

  it('keeps the saturating generator loss (negative) on images', async () => {
    const b = await buildImage(gan);
    for (const l of train(b, 2)) expect(l.g_loss).toBeLessThan(0);
    b.model.dispose();
  });
});
