/**
 * The checks every family's tests share — finite samples, determinism in the seed, no tensor
 * leaks, resume equivalence (a model's whole state saved to plain arrays after some steps and
 * restored into a fresh model reproduces the uninterrupted run), and learning a single-point
 * target — so each family's test file keeps only what is specific to its algorithm.
 */
import { expect } from 'vitest';
import type { Batch, FamilyDefinition, HpSchema, HpValues, SampleOptions, TF, TrainableModel } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import type { RunHyperParams } from '../train/hyper-params.js';
import { Rng } from '../rng.js';
import { build, testTf, train, type Built } from './family.test-helper.js';
import type { DataType as DType } from '@tensorflow/tfjs';
import type { Dataset } from '../data/datasets.js';
import type { SlotArray } from '../nn/optimizers.js';

type Overrides<S extends HpSchema> = Partial<HpValues<S>>;

/** Mean of one loss over a run's steps [from, to). */
export function meanLoss(losses: Record<string, number>[], key: string, from = 0, to = losses.length): number {
  const xs = losses.slice(from, to).map((l) => {
    const v = l[key];
    if (v === undefined) throw new Error(`no loss called ${key}`);
    return v;
  });
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** `sample(n)` after a few steps gives n × 2 finite values. */
export async function expectFiniteSamples<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Overrides<S>,
  n: number,
  opts: (b: Awaited<ReturnType<typeof build>>) => SampleOptions = () => ({}),
): Promise<Float32Array> {
  const b = await build(def, overrides, { seed: 3 });
  try {
    train(b, 3, 3);
    const s = b.model.sample(n, Rng.stream(3, 'sample'), opts(b));
    expect(s).toBeInstanceOf(Float32Array);
    expect(s.length).toBe(n * 2);
    expect(s.every(Number.isFinite)).toBe(true);
    return s;
  } finally {
    b.model.dispose();
  }
}

/** Same seed ⇒ the same losses over 5 steps; another seed ⇒ different ones. */
export async function expectDeterministic<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Overrides<S>): Promise<void> {
  const run = async (seed: number): Promise<Record<string, number>[]> => {
    const b = await build(def, overrides, { seed });
    try {
      return train(b, 5, seed);
    } finally {
      b.model.dispose();
    }
  };
  const a = await run(11);
  const again = await run(11);
  const other = await run(12);
  expect(again).toEqual(a);
  expect(other).not.toEqual(a);
  for (const l of a) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
}

/**
 * The number of live tensors is the same after 50 steps as after 10 (optimiser slots exist by
 * then), with `between` (sampling, evaluation) run in the interval too; dispose frees the variables.
 */
export async function expectNoLeaks<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Overrides<S>,
  between: (b: Awaited<ReturnType<typeof build>>) => void = () => {},
): Promise<void> {
  const b = await build(def, overrides, { seed: 5 });
  train(b, 10, 5);
  const at10 = b.tf.memory().numTensors;
  train(b, 20, 5, 11);
  between(b);
  train(b, 20, 5, 31);
  expect(b.tf.memory().numTensors).toBe(at10);
  const variables = b.model.variables.size;
  b.model.dispose();
  // Every variable is released (the Mlp's initial-value tensors are not the model's to free).
  expect(b.tf.memory().numTensors).toBeLessThanOrEqual(at10 - variables);
}

interface SavedTensor {
  readonly shape: number[];
  readonly dtype: DType;
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** Everything a checkpoint holds, as plain arrays (no tensor stays alive). */
export interface ModelState {
  readonly variables: Map<string, SavedTensor>;
  readonly optimizers: Map<string, { iterations: number; slots: Map<string, SlotArray> }>;
}

function readTensor(t: { shape: number[]; dtype: DType; dataSync(): unknown }): SavedTensor {
  const values = t.dataSync() as Float32Array | Int32Array | Uint8Array;
  return { shape: [...t.shape], dtype: t.dtype, values: values.slice() };
}

/** Copies every variable value and every optimiser slot and step count. */
export function saveState(model: TrainableModel): ModelState {
  const variables = new Map<string, SavedTensor>();
  for (const [name, v] of model.variables) variables.set(name, readTensor(v));
  const optimizers = new Map<string, { iterations: number; slots: Map<string, SlotArray> }>();
  for (const [name, opt] of model.optimizers) optimizers.set(name, { iterations: opt.iterations, slots: opt.state() });
  return { variables, optimizers };
}

/** Writes a saved state into a model built with the same family and hyper-parameters. */
export function restoreState(tf: TF, model: TrainableModel, state: ModelState): void {
  expect([...model.variables.keys()].sort()).toEqual([...state.variables.keys()].sort());
  expect([...model.optimizers.keys()].sort()).toEqual([...state.optimizers.keys()].sort());
  for (const [name, v] of model.variables) {
    const s = state.variables.get(name)!;
    expect(v.shape).toEqual(s.shape);
    tf.tidy(() => v.assign(tf.tensor(s.values, s.shape, s.dtype)));
  }
  for (const [name, opt] of model.optimizers) {
    const saved = state.optimizers.get(name)!;
    opt.restore(saved.slots, saved.iterations);
  }
}

/**
 * Resume equivalence at the family level: run `first + more` steps without interruption; then
 * build a second model, run `first` steps, save its state, build a third (fresh, differently
 * initialised) model, restore the state into it and run the remaining steps. The losses of the
 * resumed steps must equal the uninterrupted run's exactly.
 */
export async function expectResumeEquivalent<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Partial<HpValues<S>>,
  opts: { data?: string; seed?: number } = {},
  first = 3,
  more = 3,
): Promise<void> {
  const seed = opts.seed ?? 7;
  const full = await build(def, overrides, { ...opts, seed });
  const expected = train(full, first + more, seed);
  full.model.dispose();

  const before = await build(def, overrides, { ...opts, seed });
  const head = train(before, first, seed);
  expect(head).toEqual(expected.slice(0, first));
  const state = saveState(before.model);
  before.model.dispose();

  // A different init seed, so that only the restored state can make the numbers agree.
  const after = await build(def, overrides, { ...opts, seed: seed + 1000 });
  restoreState(after.tf, after.model, state);
  const tail = train(after, more, seed, first + 1);
  after.model.dispose();
  expect(tail).toEqual(expected.slice(first));
}

/** Mean of an n × 2 sample, per axis. */
export function mean2(xs: Float32Array): [number, number] {
  let sx = 0;
  let sy = 0;
  const n = xs.length / 2;
  for (let i = 0; i < n; i++) {
    sx += xs[2 * i]!;
    sy += xs[2 * i + 1]!;
  }
  return [sx / n, sy / n];
}

/**
 * A data set whose points all lie at (x, y) up to ±spread (uniform, drawn from the batch Rng like
 * every data set): the trivial target onto which any working GAN must move its samples.
 * (Wasserstein critics keep a unit gradient right up to a point mass, so their generators
 * oscillate around it; give them some spread.)
 */
export function pointDataset(x = 1, y = -1, spread = 0.01): Dataset {
  return {
    name: `point(${x}, ${y})`,
    description: 'one point',
    dims: 2,
    sample(n: number, rng: Rng): Batch {
      const pts = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        pts[2 * i] = x + spread * (2 * rng.uniform() - 1);
        pts[2 * i + 1] = y + spread * (2 * rng.uniform() - 1);
      }
      return { n, dims: 2, x: pts };
    },
  };
}

/** Builds a family's model on an in-memory data set (`build` resolves data sets by name). */
export async function buildOn<S extends HpSchema>(def: FamilyDefinition<S>, overrides: Partial<HpValues<S>>, data: Dataset, seed = 1): Promise<Built> {
  const tf = await testTf();
  const hp = { ...schemaDefaults(def.hyperParams, 'points'), ...overrides } as HpValues<S>;
  const model = def.create({ tf, hp, data: { dims: data.dims, ...(data.classes ? { classes: data.classes } : {}) }, rng: Rng.stream(seed, 'init') });
  return { tf, model, data, hp: hp as RunHyperParams };
}

/**
 * Trains on a single-point data set at (1, −1) and checks that the samples' mean moves there:
 * initial outputs sit near the origin, about 1.4 away, so the check fails if G does not learn.
 * Returns the per-step losses for family-specific checks.
 */
export async function expectLearnsPoint<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Partial<HpValues<S>>,
  steps = 300,
  tolerance = 0.2,
): Promise<Record<string, number>[]> {
  const b = await buildOn(def, overrides, pointDataset(1, -1));
  try {
    const before = mean2(b.model.sample(500, new Rng(9)));
    const losses = train(b, steps);
    const [mx, my] = mean2(b.model.sample(500, new Rng(9)));
    expect(Math.hypot(before[0] - 1, before[1] + 1)).toBeGreaterThan(0.8);
    expect(Math.hypot(mx - 1, my + 1)).toBeLessThan(tolerance);
    return losses;
  } finally {
    b.model.dispose();
  }
}
