import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { wgan } from './wgan.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

const small = { hidden: 16, batchSize: 32, dSteps: 2 };

describe('wgan', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(wgan, small, 37);
  });

  it('keeps every critic weight within [−c, c] and reports the Wasserstein estimate', async () => {
    // A large learning rate makes the unclipped update leave the box at once.
    const b = await build(wgan, { ...small, lr: 1e-2, clip: 0.05 });
    const losses = train(b, 10);
    for (const l of losses) expect(l.w_estimate).toBeCloseTo(-l.d_loss!, 12);
    let max = 0;
    let atBound = 0;
    for (const [name, v] of b.model.variables) {
      if (!name.startsWith('D.')) continue;
      const vals = v.dataSync();
      for (const x of vals) {
        max = Math.max(max, Math.abs(x));
        if (Math.abs(x) === Math.fround(0.05)) atBound++;
      }
    }
    expect(max).toBeLessThanOrEqual(Math.fround(0.05));
    expect(atBound).toBeGreaterThan(0); // the clip was active, not vacuous
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    const losses = await expectLearnsPoint(wgan, { ...small, lr: 1e-3 });
    // The critic's estimate of W shrinks as the fakes reach the point.
    const early = losses.slice(5, 25).reduce((s, l) => s + l.w_estimate!, 0);
    const late = losses.slice(-20).reduce((s, l) => s + l.w_estimate!, 0);
    expect(late).toBeLessThan(early);
  });

  it('is deterministic in the seed', () => expectDeterministic(wgan, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(wgan, small);
  });

  it('does not leak tensors', () => expectNoLeaks(wgan, small));
});

describe('wgan on images (DCGAN networks, batch-norm critic)', () => {
  imageGanChecks(wgan, { dSteps: 2 });

  it('keeps every critic parameter, batch norm’s γ and β included, in [−c, c]', async () => {
    const b = await buildImage(wgan, { dSteps: 2 });
    train(b, 2);
    const critic = [...b.model.variables].filter(([n, v]) => n.startsWith('D.') && v.trainable);
    expect(critic.some(([n]) => n.endsWith('.gamma'))).toBe(true);
    for (const [, v] of critic) for (const x of v.dataSync()) expect(Math.abs(x)).toBeLessThanOrEqual(0.01 + 1e-9);
    b.model.dispose();
  });
});
