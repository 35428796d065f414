/**
 * Shared checks of the families' image variants, on 28×28 MNIST with tiny settings (a few steps
 * of width-4…8 networks at batch 4, so each family's checks take seconds): the model is built
 * with DataInfo.image set, as the training loop builds it for image data.
 */
import { expect } from 'vitest';
import type { FamilyDefinition, HpSchema, HpValues, HyperParams, SampleOptions } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import type { RunHyperParams } from '../train/hyper-params.js';
import { resolveDataset, type Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { restoreState, saveState } from './family-checks.test-helper.js';
import { testTf, train, type Built } from './family.test-helper.js';
import { dataInfo } from '../train/run-data.js';

type Overrides<S extends HpSchema> = Partial<HpValues<S>>;

const cache = new Map<string, Dataset>();
/** A built-in image data set at 28 px (loaded once per test file). */
export function imageData(name = 'mnist'): Dataset {
  let d = cache.get(name);
  if (!d) {
    d = resolveDataset(name, { imageSize: 28 });
    cache.set(name, d);
  }
  return d;
}

/**
 * Builds a family on `data` (MNIST images by default; a paired set for the paired families): the
 * family's image defaults, then `overrides` (the loop's order); domain B is `dataB` for unpaired
 * two-domain families. The model sees the data as the loop shows it (run-data.ts dataInfo).
 */
export async function buildImage<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Overrides<S>, seed = 1, data: Dataset = imageData()): Promise<Built> {
  const tf = await testTf();
  const hp = { ...schemaDefaults(def.hyperParams, 'images'), ...overrides } as HpValues<S>;
  const c = def.condition;
  const dataB = c.kind === 'image' && !c.paired ? imageData(String((hp as HyperParams).dataB)) : undefined;
  const model = def.create({ tf, hp, data: dataInfo(data), rng: Rng.stream(seed, 'init') });
  return { tf, model, data, ...(dataB ? { dataB } : {}), hp: hp as RunHyperParams };
}

/** Sample options: cyclegan translates held-out images of domain A, paired families held-out inputs, text families draw for held-out captions. */
function sampleOpts(b: Built, n: number): SampleOptions {
  if (b.data.text) return { text: b.data.heldOut!(n, new Rng(5)).text! };
  if (b.data.input) return { input: b.data.heldOut!(n, new Rng(5)).input! };
  return b.dataB ? { from: 'a', input: b.data.heldOut!(n, new Rng(5)).x } : {};
}

/**
 * After 2 steps: finite losses, n × 784 samples in [−1, 1], no tensor left behind by a step,
 * sampling or evaluation; the same seed gives the same losses and samples, another seed others.
 * Returns the first run's losses and samples for family-specific checks.
 */
export async function expectImageBasics<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Overrides<S>,
  n = 6,
  data?: Dataset,
): Promise<{ losses: Record<string, number>[]; samples: Float32Array }> {
  const run = async (seed: number) => {
    const b = await buildImage(def, overrides, seed, data);
    try {
      const losses = train(b, 2, seed);
      const before = b.tf.memory().numTensors;
      const samples = b.model.sample(n, new Rng(seed), sampleOpts(b, n));
      b.model.evaluate?.(b.data.heldOut!(5, new Rng(2)), new Rng(3));
      losses.push(...train(b, 1, seed, 3));
      expect(b.tf.memory().numTensors).toBe(before);
      return { losses, samples };
    } finally {
      b.model.dispose();
    }
  };
  const a = await run(11);
  for (const l of a.losses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
  expect(a.samples.length).toBe(n * 784);
  expect(a.samples.every((v) => v >= -1 && v <= 1)).toBe(true);
  const again = await run(11);
  expect(again.losses).toEqual(a.losses);
  expect(Array.from(again.samples)).toEqual(Array.from(a.samples));
  const other = await run(12);
  expect(other.losses).not.toEqual(a.losses);
  return a;
}

/** 2 steps, checkpoint to plain arrays, restore into a differently seeded model: step 3 matches bit for bit. */
export async function expectImageResume<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Overrides<S>, data?: Dataset): Promise<void> {
  const seed = 7;
  const full = await buildImage(def, overrides, seed, data);
  const expected = train(full, 3, seed);
  full.model.dispose();
  const before = await buildImage(def, overrides, seed, data);
  train(before, 2, seed);
  const state = saveState(before.model);
  before.model.dispose();
  const after = await buildImage(def, overrides, seed + 1000, data);
  restoreState(after.tf, after.model, state);
  const tail = train(after, 1, seed, 3);
  after.model.dispose();
  expect(tail).toEqual(expected.slice(2));
}
