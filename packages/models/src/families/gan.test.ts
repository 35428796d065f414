import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { gan } from './gan.js';
import { schemaDefaults } from '../hyper-param-schema.js';
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

  it('shows D its inputs through instance noise of σ = instanceNoise (1 on images, 0 on 2-D data)', async () => {
    expect(schemaDefaults(gan.hyperParams, 'images')).toMatchObject({ instanceNoise: 1 });
    expect(schemaDefaults(gan.hyperParams, 'points').instanceNoise).toBe(0);
    const losses = async (sigma: number) => {
      const b = await buildImage(gan, { instanceNoise: sigma });
      const l = train(b, 3);
      b.model.dispose();
      return l;
    };
    const [none, some] = [await losses(0), await losses(1)];
    // The noise changes what D sees from the first step on; σ = 0 draws no noise at all, so the
    // plain game (and every 2-D run) consumes the random stream exactly as before the option.
    expect(some[0]!.d_loss).not.toBe(none[0]!.d_loss);
    expect(some).not.toEqual(none);
  });
});
