/**
 * The checks every GAN family's image variant shares, on MNIST at 28 px with tiny networks
 * (conv width 8, batch 4, a few steps — seconds per family): it builds DCGAN-style networks
 * from its image defaults, its steps give finite losses, samples are N × 784 values in [−1, 1]
 * drawn with batch norm in evaluation mode, training is deterministic in the seed and resumes
 * bit for bit from a saved state.
 */
import { expect, it } from 'vitest';
import type { FamilyDefinition, HpSchema, HpValues, SampleOptions } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import { Rng } from '../rng.js';
import { expectResumeEquivalent } from './family-checks.test-helper.js';
import { build, train, type Built } from './family.test-helper.js';

type Hp<S extends HpSchema> = Partial<HpValues<S>>;

/** Tiny image settings: conv width 8, batch 4, z of 8 dimensions. */
export const TINY_IMAGE = { hidden: 8, batchSize: 4, latentDim: 8 };

/** A family's model on MNIST (28 px), its image defaults under `overrides`. */
export async function buildImage<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Hp<S> = {}, seed = 1): Promise<Built> {
  return build(def, { ...schemaDefaults(def.hyperParams, 'images'), ...TINY_IMAGE, ...overrides }, { data: 'mnist', seed });
}

/** The shared image checks, as `it` blocks (call inside a describe). */
export function imageGanChecks<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Hp<S> = {},
  opts: {
    /** Options of `sample` (a fixed label). */
    sample?: SampleOptions;
    /** Whether n samples draw the noise of the first m < n first (false when codes follow z in the stream). */
    prefixStable?: boolean;
  } = {},
): void {
  const sampleOpts = opts.sample ?? {};
  it('has image defaults (DCGAN-style: batch 64, a conv width of 32)', () => {
    const d = schemaDefaults(def.hyperParams, 'images') as Record<string, unknown>;
    expect(d.batchSize).toBe(64);
    expect(d.hidden).toBe(32);
  });

  it('builds conv networks on MNIST and trains with finite losses', async () => {
    const b = await buildImage(def, overrides);
    try {
      // Conv filters are 4-D; the 2-D MLP has none.
      expect([...b.model.variables.values()].some((v) => v.shape.length === 4)).toBe(true);
      const losses = train(b, 2);
      for (const l of losses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
    } finally {
      b.model.dispose();
    }
  });

  it('samples N × 784 values in [−1, 1], batch norm in evaluation mode', async () => {
    const b = await buildImage(def, overrides);
    try {
      train(b, 2);
      const before = [...b.model.variables].map(([n, v]) => [n, Array.from(v.dataSync())] as const);
      const s = b.model.sample(5, new Rng(3), sampleOpts);
      expect(s.length).toBe(5 * 784);
      expect(s.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
      // Sampling changes no state (no running-average or power-iteration update) ...
      for (const [n, v] of before) expect(Array.from(b.model.variables.get(n)!.dataSync()), n).toEqual(v);
      // ... and a sample does not depend on the others drawn with it (batch statistics would
      // mix them): the first 3 of 5 equal 3 drawn alone from the same noise stream.
      if (opts.prefixStable ?? true) {
        const three = b.model.sample(3, new Rng(3), sampleOpts);
        expect(Array.from(three)).toEqual(Array.from(s.subarray(0, 3 * 784)));
      }
    } finally {
      b.model.dispose();
    }
  });

  it('is deterministic in the seed', async () => {
    const run = async (seed: number) => {
      const b = await buildImage(def, overrides, seed);
      try {
        return train(b, 2, seed);
      } finally {
        b.model.dispose();
      }
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('does not leak tensors (steps and sampling)', async () => {
    const b = await buildImage(def, overrides);
    train(b, 2);
    const at2 = b.tf.memory().numTensors;
    train(b, 2, 1, 3);
    b.model.sample(3, new Rng(1), sampleOpts);
    expect(b.tf.memory().numTensors).toBe(at2);
    b.model.dispose();
  });

  it('resumes bit for bit from saved variables (batch-norm statistics included) and optimiser slots', async () => {
    await expectResumeEquivalent(def, { ...schemaDefaults(def.hyperParams, 'images'), ...TINY_IMAGE, ...overrides }, { data: 'mnist' }, 2, 1);
  });
}
