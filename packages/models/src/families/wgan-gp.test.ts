import { describe, expect, it } from 'vitest';
import { expectDeterministic, expectFiniteSamples, expectLearnsPoint, expectNoLeaks, expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train } from './family.test-helper.js';
import { wganGp } from './wgan-gp.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { buildImage, imageGanChecks } from './gan-image-checks.test-helper.js';

const small = { hidden: 16, batchSize: 32, dSteps: 2 };

describe('wgan-gp', () => {
  it('samples n × 2 finite points', async () => {
    await expectFiniteSamples(wganGp, small, 37);
  });

  it('reports a finite, positive penalty that is part of the critic loss', async () => {
    const b = await build(wganGp, { ...small, lambda: 10 });
    const losses = train(b, 5);
    for (const l of losses) {
      expect(Number.isFinite(l.gp)).toBe(true);
      expect(l.gp).toBeGreaterThan(0);
      // d_loss = −(mean D(x) − mean D(x̃)) + gp, to float32 rounding.
      expect(l.d_loss).toBeCloseTo(-l.w_estimate! + l.gp!, 5);
    }
    // At init the critic is far from 1-Lipschitz (‖∇D‖ ≪ 1), so the penalty ≈ λ.
    expect(losses[0]!.gp).toBeGreaterThan(5);
    expect(losses[0]!.gp).toBeLessThanOrEqual(10);
    b.model.dispose();
  });

  it('drives the critic towards unit gradient norm (the penalty falls)', async () => {
    const b = await build(wganGp, { ...small, dSteps: 5, lr: 1e-3, lambda: 10 });
    const losses = train(b, 120);
    const avg = (ls: typeof losses) => ls.reduce((s, l) => s + l.gp!, 0) / ls.length;
    // gp = λ·mean(‖∇D(x̂)‖ − 1)²: ≈ λ at init (‖∇D‖ ≈ 0), small once ‖∇D‖ ≈ 1 at the interpolates.
    expect(avg(losses.slice(0, 5))).toBeGreaterThan(4);
    expect(avg(losses.slice(-40))).toBeLessThan(0.25 * avg(losses.slice(0, 5)));
    b.model.dispose();
  });

  it('moves its samples onto a single-point target', async () => {
    // λ = 0.1, the authors' own setting for toy data: with λ = 10 a tiny critic that
    // starts with its slope the wrong way round is held there by the penalty (turning it costs
    // λ), and G first runs away from the point before the critic recovers.
    await expectLearnsPoint(wganGp, { ...small, lr: 1e-3, lambda: 0.1 });
  });

  it('is deterministic in the seed', () => expectDeterministic(wganGp, small));

  it('resumes from saved variables and optimiser slots', async () => {
    await expectResumeEquivalent(wganGp, small);
  });

  it('does not leak tensors', () => expectNoLeaks(wganGp, small));
});

describe('wgan-gp on images (DCGAN networks, critic without normalisation)', () => {
  imageGanChecks(wganGp, { dSteps: 2 });

  it('uses the authors’ λ and β with one critic iteration at 5e-4 (the CPU setting), and a critic without batch norm', async () => {
    expect(schemaDefaults(wganGp.hyperParams, 'images')).toMatchObject({ lr: 5e-4, beta1: 0.5, beta2: 0.9, lambda: 10, dSteps: 1 });
    const b = await buildImage(wganGp, { dSteps: 2 });
    const names = [...b.model.variables.keys()];
    expect(names.some((n) => n.startsWith('D.bn'))).toBe(false);
    expect(names.some((n) => n.startsWith('G.bn'))).toBe(true);
    b.model.dispose();
  });

  it('penalises the critic’s gradient norm over whole images (the penalty ≈ λ at init)', async () => {
    const b = await buildImage(wganGp, { dSteps: 2 });
    const losses = train(b, 2);
    for (const l of losses) {
      expect(l.gp).toBeGreaterThan(0);
      expect(l.d_loss).toBeCloseTo(-l.w_estimate! + l.gp!, 4);
    }
    // ‖∇D(x̂)‖ of a fresh DCGAN-initialised critic is ≪ 1 over 784 pixels: gp ≈ λ = 10.
    expect(losses[0]!.gp).toBeGreaterThan(5);
    expect(losses[0]!.gp).toBeLessThanOrEqual(10);
    b.model.dispose();
  });
});
