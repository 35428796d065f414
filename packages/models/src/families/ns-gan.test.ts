import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { train } from './family.test-helper.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';
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

describe('ns-gan on images (DCGAN)', () => {
  imageGanChecks(nsGan);

  it('puts batch norm in G and D and keeps its running statistics among the variables', async () => {
    const b = await buildImage(nsGan);
    try {
      const names = [...b.model.variables.keys()];
      expect(names).toContain('G.bn0.running_mean');
      expect(names.some((n) => n.startsWith('D.bn') && n.endsWith('.running_var'))).toBe(true);
      const mean0 = Array.from(b.model.variables.get('G.bn0.running_mean')!.dataSync());
      train(b, 1);
      // Training-mode passes update the running averages.
      expect(Array.from(b.model.variables.get('G.bn0.running_mean')!.dataSync())).not.toEqual(mean0);
    } finally {
      b.model.dispose();
    }
  });
});
