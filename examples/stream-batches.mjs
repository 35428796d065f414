#!/usr/bin/env node
/**
 * Streaming evaluation, as in a training loop (torchmetrics' update/compute): image batches from
 * memory go into two feature accumulators, which give FID (and, as they keep their features,
 * KID) without any file. Batches are NHWC bytes (or floats in [0, 1]); the statistics do not
 * depend on how the images are split into batches.
 *
 *   node examples/stream-batches.mjs
 *
 * Uses the embedded `mnist` extractor on the digits of examples/mnist-digits.mjs (offline).
 * Prints `{ fid, kid_mean, kid_std, n_real, n_fake }` as JSON.
 */
import { createFeatureAccumulator, evaluate, fidFromStats } from '@gen-eval/metrics';
import { digitSets } from './mnist-digits.mjs';

const BATCH = 32;
const { real, fake } = digitSets();
// One accumulator per set; keepFeatures because KID needs the rows (FID alone needs only statistics).
const accReal = await createFeatureAccumulator({ extractor: 'mnist', keepFeatures: true });
const accFake = await createFeatureAccumulator({ extractor: 'mnist', keepFeatures: true });
try {
  for (const [acc, set] of [
    [accReal, real],
    [accFake, fake],
  ]) {
    // In a training loop these would be the generator's samples of each step.
    for (let start = 0; start < set.n; start += BATCH) {
      const n = Math.min(BATCH, set.n - start);
      await acc.update({ data: set.images.subarray(start * 784, (start + n) * 784), n, height: 28, width: 28, channels: 1 });
    }
  }
  // FID from the streamed float64 statistics alone ...
  const fid = await fidFromStats(await accReal.statistics(), await accFake.statistics());
  // ... and every metric the kept features allow, in one call.
  const { result } = await evaluate({ real: accReal, fake: accFake, metrics: ['fid', 'kid'], kid: { subsetSize: 100 } });
  console.log(
    JSON.stringify({ fid: fid.fid, fid_evaluate: result.fid, kid_mean: result.kid_mean, kid_std: result.kid_std, n_real: accReal.count, n_fake: accFake.count }, null, 2),
  );
} finally {
  await accReal.dispose();
  await accFake.dispose();
}
