/**
 * The image half of `npm run bench:train -- --images`: trains each family's image variant
 * on an image data set (default mnist, 28 px) for a time budget and reads the final FID, KID and
 * IS with the data set's embedded classifier from the run's summary.json, next to the FID of the
 * same run after a single step (the untrained model: one Adam step of 2e-4 barely moves it) and
 * their ratio (the target: ≥ 5× within ≤ 10 minutes). For infogan it also measures whether
 * the categorical code captures digit identity: 200 images per code value, classified by the
 * embedded `mnist` classifier, scored by the best one-to-one code → digit mapping.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createExtractor } from '@gen-eval/metrics/extract';
import { conditionNeeds, readRunConfig, resolveDataset, Rng, selectBackend, trainNew } from '../dist/index.js';
import { bestCodeMapping, confusion } from '../dist/train/code-accuracy.js';
import { loadCheckpoint } from '../dist/train/checkpoint.js';
import { installTrainingFixes } from '../dist/tfjs/training-fixes.js';

const fmt = (v, d = 3) => (typeof v === 'number' ? v.toPrecision(d) : '–');

/** A paired translation family (pix2pix) trains on paired data: its own default set unless `--data` names one. */
const isPaired = (family) => family.condition.kind === 'image' && family.condition.paired;

/** The data set a family's image run uses: `--data`, else its default when paired, else mnist. */
export const benchData = (family, data) => data ?? (isPaired(family) ? family.defaultData : 'mnist');

/** The run options of one family on image data (cyclegan: MNIST ↔ inverted MNIST). */
function runOptions(family, given, imageSize, out, seed) {
  const data = benchData(family, given);
  const hp = conditionNeeds(family.condition).secondDomain && !isPaired(family) ? { dataB: `${data}-inverted` } : undefined;
  return { model: family.name, data, imageSize, seed, out, force: true, ...(hp ? { hp } : {}) };
}

/**
 * Rebuilds a finished infogan run from its checkpoint and scores its categorical code: the
 * accuracy of the best code → digit mapping of the classifier's predictions.
 */
export async function infoganCodeAccuracy(dir, family, perCode = 200) {
  const config = readRunConfig(dir);
  const sel = await selectBackend([config.backend.choice]);
  installTrainingFixes(sel.tf);
  const data = resolveDataset(config.data.name, { imageSize: config.data.imageSize ?? 28 });
  const model = family.create({ tf: sel.tf, hp: config.hp, data: { dims: data.dims, image: data.image, classes: data.classes }, rng: Rng.stream(config.seed, 'init') });
  loadCheckpoint(sel.tf, dir, model);
  const K = config.hp.catCodes;
  const extractor = await createExtractor('mnist');
  const codes = [];
  const predicted = [];
  try {
    for (let c = 0; c < K; c++) {
      const x = model.sample(perCode, Rng.stream(1, 'codes', c), { label: c });
      const { height: h, width: w } = data.image;
      const input = new Float32Array(perCode * 3 * h * w);
      for (let i = 0; i < perCode; i++) {
        for (let p = 0; p < h * w; p++) {
          const v = Math.min(1, Math.max(0, (x[i * h * w + p] + 1) / 2));
          for (let ch = 0; ch < 3; ch++) input[(i * 3 + ch) * h * w + p] = v;
        }
      }
      const { logits } = await extractor.run(input, perCode);
      for (let i = 0; i < perCode; i++) {
        let best = 0;
        for (let k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
        codes.push(c);
        predicted.push(best);
      }
    }
  } finally {
    model.dispose();
    await extractor.dispose();
  }
  return bestCodeMapping(confusion(codes, predicted, K, 10));
}

/** Trains each image family and prints one row each. */
export async function runImageBench({ families, budget, steps, seeds, data, imageSize, root }) {
  const rows = [];
  for (const family of families) {
    for (const seed of seeds) {
      const out = join(root, `${family.name}-${benchData(family, data)}-seed${seed}`);
      const untrained = await trainNew({ ...runOptions(family, data, imageSize, `${out}-step1`, seed), steps: 1, evalEvery: 1 });
      const length = steps ? { steps: steps(family.name) } : { timeBudget: budget };
      await trainNew({ ...runOptions(family, data, imageSize, out, seed), ...length, evalEvery: 1_000_000 });
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      const m = summary.metrics;
      const fid0 = untrained.metrics.fid;
      const row = {
        model: family.name,
        data: `${benchData(family, data)} ${imageSize}px`,
        seed,
        steps: summary.steps,
        seconds: summary.wall_seconds.toFixed(1),
        'steps/s': summary.steps_per_second.toFixed(2),
        'FID step 1': fmt(fid0),
        FID: fmt(m.fid),
        'FID drop': typeof fid0 === 'number' && typeof m.fid === 'number' ? `${(fid0 / m.fid).toFixed(1)}×` : '–',
        KID: fmt(m.kid_mean),
        IS: fmt(m.is_mean),
        ...(m.psnr !== undefined ? { PSNR: fmt(m.psnr), SSIM: fmt(m.ssim) } : {}),
      };
      if (family.name === 'infogan') {
        const codes = await infoganCodeAccuracy(out, family);
        row['code→digit'] = `${(100 * codes.accuracy).toFixed(1)}% (purity ${(100 * codes.purity).toFixed(1)}%, code→digit ${codes.mapping.join(',')})`;
      }
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  console.log(
    `\n${steps ? 'fixed step counts' : `budget ${budget} s of training`} per run (evaluation excluded); FID/KID/IS from the final evaluation in summary.json, embedded classifier of each row's data (paired runs: outputs of held-out inputs against their targets)`,
  );
  console.table(rows);
  return rows;
}

/**
 * Training speed alone: each family trains `steps` steps (evaluation kept small and excluded from
 * the figure) and reports steps/s, so that fixed-step results (`--steps`) can be stated as time on
 * an idle machine: seconds = steps ÷ steps/s. Run it with nothing else on the machine.
 */
export async function runImageSpeed({ families, steps, data, imageSize, root }) {
  const rows = [];
  for (const family of families) {
    const out = join(root, `${family.name}-${benchData(family, data)}-speed`);
    await trainNew({ ...runOptions(family, data, imageSize, out, 0), steps: steps(family.name), evalEvery: 1_000_000, evalSamples: 100 });
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const row = { model: family.name, steps: s.steps, seconds: s.wall_seconds.toFixed(1), 'steps/s': s.steps_per_second.toFixed(2) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.table(rows);
  return rows;
}
