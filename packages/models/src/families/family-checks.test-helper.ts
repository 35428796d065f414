/**
 * Checks every family's tests run the same way (shapes, determinism, tensor leaks), so each
 * family's test file keeps only what is specific to its algorithm.
 */
import { expect } from 'vitest';
import type { FamilyDefinition, HyperParams, SampleOptions } from '../family.js';
import { Rng } from '../rng.js';
import { build, train } from './family.test-helper.js';

type Overrides<H extends HyperParams> = Partial<H & { batchSize: number; lr: number }>;

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
export async function expectFiniteSamples<H extends HyperParams>(
  def: FamilyDefinition<H>,
  overrides: Overrides<H>,
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
export async function expectDeterministic<H extends HyperParams>(def: FamilyDefinition<H>, overrides: Overrides<H>): Promise<void> {
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
export async function expectNoLeaks<H extends HyperParams>(
  def: FamilyDefinition<H>,
  overrides: Overrides<H>,
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
