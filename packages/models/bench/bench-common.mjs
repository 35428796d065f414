/**
 * The scaffolding the experiment benches share (pix2pix-ablation, srgan-ordering,
 * stackgan-stages): their common options, `k=v,…` hyper-parameters, the wasm backend with the
 * training fixes, a family built and trained with the loop's seeding (its batches and noise
 * streams, no evaluation during training), and FID / features by the data's embedded classifier.
 * Runs the built dist (npx turbo run build first).
 */
import { parseArgs } from 'node:util';
import { fid } from '@gen-eval/metrics';
import { createExtractor } from '@gen-eval/metrics/extract';
import { Rng, selectBackend } from '../dist/index.js';
import { stepBatches, stepNoise } from '../dist/train/batches.js';
import { imageFeatures } from '../dist/train/image-eval.js';
import { mergeHyperParams } from '../dist/train/hyper-params.js';
import { installTrainingFixes } from '../dist/tfjs/training-fixes.js';

/**
 * Parses the command line: `--data`, `--steps`, `--held-out`, `--hp` and, where `defaults.seed`
 * is given, `--seed`, plus the bench's own `extra` options (node:util parseArgs specs).
 * `defaults.heldOut` undefined leaves `--held-out` without a default.
 */
export function benchArgs(defaults, extra = {}) {
  const str = (value) => ({ type: 'string', ...(value !== undefined ? { default: value } : {}) });
  const { values } = parseArgs({
    options: {
      data: str(defaults.data),
      steps: str(defaults.steps),
      ...(defaults.seed !== undefined ? { seed: str(defaults.seed) } : {}),
      'held-out': str(defaults.heldOut),
      hp: str(''),
      ...extra,
    },
  });
  return { values, steps: Number(values.steps), seed: Number(values.seed), heldOut: values['held-out'] !== undefined ? Number(values['held-out']) : undefined };
}

/** `a=1,b=mse` → { a: '1', b: 'mse' }: raw strings, typed and checked by {@link benchHp}. */
export function parseHp(spec) {
  return Object.fromEntries(
    spec
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('=')),
  );
}

/** The family's image defaults overridden by each of `overrides` in turn, coerced and checked as a run's `--hp` is. */
export function benchHp(family, ...overrides) {
  return mergeHyperParams(family, Object.assign({}, ...overrides), true);
}

/** The wasm backend with the training fixes a run installs; returns its tf. */
export async function trainingTf() {
  const sel = await selectBackend(['wasm']);
  installTrainingFixes(sel.tf);
  return sel.tf;
}

/** Builds `family` on `info` (dataInfo of the set) with the loop's init stream for `seed`. */
export function buildModel(family, tf, hp, info, seed) {
  return family.create({ tf, hp, data: info, rng: Rng.stream(seed, 'init') });
}

/**
 * Trains `model` for steps [from, from + count) on `data` with the loop's batches and noise for
 * `seed`; `onStep(step, losses, seconds)` follows each step. Returns the seconds and the last losses.
 */
export function trainSteps(model, data, hp, seed, from, count, onStep) {
  let seconds = 0;
  let last = {};
  for (let step = from; step < from + count; step++) {
    const t0 = performance.now();
    last = model.step(stepBatches(data, undefined, hp.batchSize, seed, step), stepNoise(seed, step));
    const dt = (performance.now() - t0) / 1000;
    seconds += dt;
    onStep?.(step, last, dt);
  }
  return { seconds, last };
}

/**
 * The embedded classifier `classifier` as a scorer: `features(x, image, label)` (imageFeatures:
 * features, stats and logits), `fid(real, fake)` of two such results (stats once n exceeds the
 * feature dims, as the evaluation does), `dispose()`.
 */
export async function classifierScorer(classifier) {
  const extractor = await createExtractor(classifier);
  const fidInput = (s) => (s.n > s.dims ? s.stats : s.features);
  return {
    features: (x, image, label) => imageFeatures(extractor, x, image, false, label),
    fid: async (real, fake) => (await fid(fidInput(real), fidInput(fake))).fid,
    dispose: () => extractor.dispose(),
  };
}
