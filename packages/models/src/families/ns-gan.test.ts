import { describe, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { nsGan } from './ns-gan.js';

const small = { hidden: 16, batchSize: 32 };

describe('ns-gan', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(nsGan, small, 37);
  });

  it('moves its samples onto a single-point target', async () => {
    await expectLearnsPoint(nsGan, { ...small, lr: 2e-3 });
  });

  it('is deterministic in the seed', () => expectDeterministic(nsGan, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(nsGan, small);
  });

  it('does not leak tensors', () => expectNoLeaks(nsGan, small));
});
