/**
 * `gen-eval demo`: every metric on the feature files shipped in fixtures/demo — a 10-class mixture
 * standing in for real features, and a generated set that drops three classes and is noisier
 * (see fixtures/scripts/gen_demo.py). Runs offline in seconds.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate, ExtractorSession, GenEvalError, loadInput, METRIC_NAMES, readFeatureMatrix } from '@gen-eval/metrics';
import { emit, log } from '../output.js';

/** fixtures/demo, found from this module (src/ or dist/), whatever the working directory. */
export function demoDir(): string {
  const dir = fileURLToPath(new URL('../../../../fixtures/demo/', import.meta.url));
  if (!existsSync(dir)) throw new GenEvalError(`the demo files are missing (${dir}); run gen-eval demo from a checkout of the repository`);
  return dir;
}

export async function run(opts: { json?: boolean }): Promise<void> {
  const dir = demoDir();
  const session = new ExtractorSession({ quiet: true });
  const real = await loadInput(`${dir}real.npy`, session);
  const fake = await loadInput(`${dir}fake.npy`, session);
  const fakeLogits = readFeatureMatrix(`${dir}fake-logits.npy`);
  if (!opts.json) log(`gen-eval demo: ${dir}real.npy vs fake.npy (2048 × 64 features each; the fake set drops 3 of 10 modes)`);
  const { result, details, warnings } = await evaluate(real, fake, METRIC_NAMES, { fakeLogits });
  const human = [
    `FID:        ${result.fid!.toFixed(4)}`,
    `IS:         ${result.is_mean!.toFixed(4)} ± ${result.is_std!.toFixed(4)}   (10 classes; 7 generated ⇒ IS ≤ 7)`,
    `KID:        ${result.kid_mean!.toFixed(6)} ± ${result.kid_std!.toFixed(6)}`,
    `precision:  ${result.precision!.toFixed(4)}   recall: ${result.recall!.toFixed(4)}   (Kynkäänniemi, k = 3)`,
    `density:    ${result.density!.toFixed(4)}   coverage: ${result.coverage!.toFixed(4)}   (Naeem, k = 5)`,
  ].join('\n');
  emit({ ...result, details }, opts, human, warnings);
}
