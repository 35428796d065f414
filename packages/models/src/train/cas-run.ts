/**
 * `casRun`: the classification accuracy score of a trained class- or caption-conditioned image run (cas.ts),
 * its real-data baseline and the embedded classifier's class accuracy of the same samples, from the
 * run's latest checkpoint. Samples are balanced over the classes (n/K of each, as Ravuri & Vinyals
 * 2019 sample their class-conditional models; a text run is asked for class k by captions of class k
 * generated from the data's grammar), the real baseline draws n training images of the
 * run's data, and both classifiers are tested on the data's whole held-out split.
 */
import { usageError } from '@gen-eval/metrics/errors';
import { createExtractor } from '@gen-eval/metrics/extract';
import { readRunConfig } from '@gen-eval/metrics/runs';
import { familiesTaking } from '../catalog.js';
import { CONDITION_WORDS } from '../condition.js';
import type { BackendChoice } from '../backend.js';
import { DIGIT_CNN_SIDE } from '../nn/digit-cnn.js';
import { Rng } from '../rng.js';
import { CAS_BUDGET, classificationAccuracy, type CasBudget, type LabelledImages } from './cas.js';
import { balancedCounts, byCaption, byLabel, generatedClassAccuracy, labelClassifier, samplePerClass } from './class-accuracy.js';
import { activateBackend, buildModel } from './loop.js';
import { loadRunCheckpoint, planResume } from './setup.js';
import { CAS_DEFAULTS } from './defaults.js';

/** What `casRun` is asked. */
export interface CasRunOptions {
  /** Generated images the classifier trains on (and real ones its baseline trains on); default CAS_DEFAULTS.n. */
  n?: number;
  /** Seed of the samples, the real draws and the classifiers' weights and batch order. */
  seed?: number;
  /** Passes over the n images (default CAS_BUDGET.epochs). */
  epochs?: number;
  /** Told what is being done, once the run and options are checked (a CLI logs it). */
  onProgress?: (message: string) => void;
}

export interface CasRunResult {
  readonly run: string;
  readonly model: string;
  readonly data: string;
  /** The checkpoint's step. */
  readonly step: number;
  readonly n: number;
  readonly seed: number;
  readonly budget: CasBudget;
  /** Real held-out images both classifiers are tested on. */
  readonly test: number;
  /** Top-1 on real held-out images of the CNN trained on n generated images. */
  readonly cas: number;
  /** The same CNN, budget and seed trained on n real training images. */
  readonly cas_real: number;
  /** The embedded classifier's top-1 on the n generated images against their requested classes. */
  readonly class_accuracy: number;
  /** Seconds of the whole computation (sampling, both trainings, tests). */
  readonly seconds: number;
}

/** Scores the run in `dir` (see the module comment); a run conditioned on neither a class nor a caption, or not on 28×28 digits or clothes, is refused. */
export async function casRun(dir: string, o: CasRunOptions = {}): Promise<CasRunResult> {
  const t0 = performance.now();
  const n = o.n ?? CAS_DEFAULTS.n;
  const seed = o.seed ?? 0;
  const budget: CasBudget = { ...CAS_BUDGET, ...(o.epochs !== undefined ? { epochs: o.epochs } : {}) };
  if (!Number.isInteger(n) || n < 1) throw usageError(`\`n\` must be a positive integer, got "${n}"`, { options: ['n'] });
  if (!Number.isInteger(budget.epochs) || budget.epochs < 1) throw usageError(`\`epochs\` must be a positive integer, got "${budget.epochs}"`, { options: ['epochs'] });
  const config = readRunConfig(dir);
  const plan = await planResume(config, { resume: dir });
  const kind = plan.family.condition.kind;
  const data = plan.data;
  const condition = kind === 'label' ? byLabel : kind === 'text' ? byCaption(data) : undefined;
  if (!condition) {
    const families = [...familiesTaking('label'), ...familiesTaking('caption')].join(', ');
    throw usageError(
      kind === 'text'
        ? `${dir} is a run of ${config.model} on ${data.name}, whose captions no grammar generates: CAS needs captioned-mnist or captioned-fashion`
        : `${dir} is a run of ${config.model}, conditioned on ${CONDITION_WORDS[kind]}: CAS needs a model conditioned on a class label or a caption (${families})`,
    );
  }
  const classifier = labelClassifier(data);
  const shape = data.image;
  if (!classifier || !shape || shape.height !== DIGIT_CNN_SIDE || shape.width !== DIGIT_CNN_SIDE || shape.channels !== 1 || !data.heldOut || !data.heldOutSize) {
    throw usageError(
      `${dir} is a run on ${data.name}${shape ? ` (${shape.height}×${shape.width}×${shape.channels})` : ''}: CAS needs 28×28 grey digits or clothes (mnist, fashion-mnist or their captioned sets), whose held-out split and classifier it uses`,
    );
  }
  const classes = data.classes!;
  o.onProgress?.(`${dir}: ${n} samples; the CAS classifier trains on them, then on ${n} real images (${budget.epochs} epochs each)`);
  const sel = await activateBackend(config.backend.choice as BackendChoice);
  const model = buildModel(sel.tf, plan);
  let generated: LabelledImages;
  let step: number;
  try {
    step = loadRunCheckpoint(sel.tf, dir, model).step;
    generated = samplePerClass(model, balancedCounts(n, classes), data.dims, Rng.stream(seed, 'cas-samples'), condition);
  } finally {
    model.dispose();
  }
  const realBatch = data.sample(n, Rng.stream(seed, 'cas-real'));
  const testBatch = data.heldOut(data.heldOutSize, Rng.stream(seed, 'cas-test'));
  const test = { x: testBatch.x, labels: testBatch.labels! };
  const extractor = await createExtractor(classifier);
  let accuracy: number;
  try {
    accuracy = await generatedClassAccuracy(extractor, generated.x, shape, generated.labels);
  } finally {
    await extractor.dispose();
  }
  const cas = classificationAccuracy(sel.tf, generated, test, classes, seed, budget);
  const casReal = classificationAccuracy(sel.tf, { x: realBatch.x, labels: realBatch.labels! }, test, classes, seed, budget);
  return {
    run: dir,
    model: config.model,
    data: data.name,
    step,
    n,
    seed,
    budget,
    test: testBatch.n,
    cas,
    cas_real: casReal,
    class_accuracy: accuracy,
    seconds: (performance.now() - t0) / 1000,
  };
}
