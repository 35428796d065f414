/**
 * Test helpers shared by the family tests: a model's full training state (every variable and
 * every optimiser slot) saved to plain arrays and restored into a fresh model, the family-level
 * check that an interrupted-and-resumed run reproduces the uninterrupted one, and a leak check.
 * These mirror what the training loop's checkpoints must do, without its file format.
 */
import { expect } from 'vitest';
import type { DataType as DType } from '@tensorflow/tfjs';
import type { Dataset } from '../data/datasets.js';
import type { Batch, FamilyDefinition, HyperParams, TF, TrainableModel } from '../family.js';
import type { SlotArray } from '../nn/optimizers.js';
import { Rng } from '../rng.js';
import { build, testTf, train, type Built } from './family.test-helper.js';

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
export async function expectResumeEquivalent<H extends HyperParams>(
  def: FamilyDefinition<H>,
  overrides: Partial<H & { batchSize: number; lr: number }>,
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

/** Tensors alive after `a` and after `b` total steps must be the same (no per-step leak). */
export function expectNoLeak(built: Built, a = 10, b = 50, seed = 1): void {
  train(built, a, seed);
  const atA = built.tf.memory().numTensors;
  train(built, b - a, seed, a + 1);
  expect(built.tf.memory().numTensors).toBe(atA);
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
export async function buildOn<H extends HyperParams>(
  def: FamilyDefinition<H>,
  overrides: Partial<H & { batchSize: number; lr: number }>,
  data: Dataset,
  seed = 1,
): Promise<Built> {
  const tf = await testTf();
  const hp = { ...def.defaults, ...overrides } as H & { batchSize: number; lr: number };
  const model = def.create({ tf, hp, data: { dims: data.dims, ...(data.classes ? { classes: data.classes } : {}) }, rng: Rng.stream(seed, 'init') });
  return { tf, model, data, hp };
}
