/**
 * Test harness for family modules: a tfjs backend with the training fixes, a model built from a
 * family's defaults (plus overrides) on a data set, and a few seeded training steps.
 */
import type { FamilyDefinition, HpSchema, HpValues, HyperParams, TF, TrainableModel } from '../family.js';
import { schemaDefaults } from '../hyper-param-schema.js';
import type { RunHyperParams } from '../train/hyper-params.js';
import { selectBackend, type BackendChoice } from '../backend.js';
import { resolveDataset, type Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { stepBatches, stepNoise } from '../train/batches.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';

let active: { tf: TF; choice: BackendChoice } | undefined;

/** The tfjs namespace on `backend` (default wasm, what installs everywhere), fixes installed. */
export async function testTf(backend: BackendChoice = 'wasm'): Promise<TF> {
  if (active?.choice === backend) return active.tf;
  const sel = await selectBackend([backend]);
  installTrainingFixes(sel.tf); // as train/loop.ts activateBackend does
  active = { tf: sel.tf, choice: backend };
  return sel.tf;
}

export interface Built {
  tf: TF;
  model: TrainableModel;
  data: Dataset;
  dataB?: Dataset;
  hp: RunHyperParams;
}

/** Builds a family's model on `data` (default: the family's default data set). */
export async function build<S extends HpSchema>(
  def: FamilyDefinition<S>,
  overrides: Partial<HpValues<S>> = {},
  opts: { data?: string; seed?: number; backend?: BackendChoice } = {},
): Promise<Built> {
  const tf = await testTf(opts.backend);
  const hp = { ...schemaDefaults(def.hyperParams, 'points'), ...overrides } as HpValues<S>;
  const data = resolveDataset(opts.data ?? def.defaultData);
  const dataBName = (hp as HyperParams).dataB;
  const dataB = def.condition.kind === 'image' && typeof dataBName === 'string' ? resolveDataset(dataBName) : undefined;
  const model = def.create({
    tf,
    hp,
    data: { dims: data.dims, ...(data.image ? { image: data.image } : {}), ...(data.classes ? { classes: data.classes } : {}) },
    rng: Rng.stream(opts.seed ?? 1, 'init'),
  });
  return { tf, model, data, ...(dataB ? { dataB } : {}), hp: hp as RunHyperParams };
}

/** Runs `steps` training steps with the loop's seeding; returns each step's losses. */
export function train(b: Built, steps: number, seed = 1, from = 1): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  for (let step = from; step < from + steps; step++) {
    out.push(b.model.step(stepBatches(b.data, b.dataB, b.hp.batchSize, seed, step), stepNoise(seed, step)));
  }
  return out;
}

/** The keys of one training step's losses and of `evaluate` on 16 held-out rows; the model is disposed. */
export function reportedKeys(b: Built): { step: string[]; evaluate: string[] } {
  const step = Object.keys(train(b, 1)[0]!);
  const held = b.data.heldOut?.(16, new Rng(1)) ?? b.data.sample(16, new Rng(1));
  const evaluate = Object.keys(b.model.evaluate!(held, new Rng(2)));
  b.model.dispose();
  return { step, evaluate };
}
