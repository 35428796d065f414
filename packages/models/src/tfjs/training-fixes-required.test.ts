/**
 * The training fixes are installed once, where the backend is chosen (train/loop.ts
 * activateBackend); what depends on them — conv layers, the gradient penalty — refuses to run
 * without them. This file runs in its own process (vitest's forks pool), so tfjs's gradient
 * registry starts with the stock gradients.
 */
import { schemaDefaults } from '../hyper-param-schema.js';
import * as tf from '@tensorflow/tfjs';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { resolveDataset } from '../data/datasets.js';
import { wganGp } from '../families/wgan-gp.js';
import { Conv2d, ConvTranspose2d } from '../nn/conv.js';
import { gradientPenalty } from '../nn/gradient-penalty.js';
import { Rng } from '../rng.js';
import { stepBatches, stepNoise } from '../train/batches.js';
import { activateBackend } from '../train/loop.js';
import { scoped } from './scoped.test-helper.js';
import { installTrainingFixes, trainingFixesInstalled } from './training-fixes.js';

/** Expects `f` to throw the internal error that names installTrainingFixes. */
function expectMissingFixes(f: () => unknown): void {
  expectGenEvalError(f, { code: 'internal', message: /needs the TensorFlow\.js training fixes: call installTrainingFixes\(tf\)/ });
}

const conv = (): Conv2d => new Conv2d(tf, new Rng(1), 1, 2, { kernel: 3, pad: 1 });
const convT = (): ConvTranspose2d => new ConvTranspose2d(tf, new Rng(1), 2, 1, { kernel: 4, stride: 2, pad: 1 });
const penalty = (): number =>
  scoped(() => {
    const real = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const fake = tf.tensor2d([0, 1, 1, 0], [2, 2]);
    return gradientPenalty(tf, (x) => tf.tanh(tf.sum(x, 1, true)) as tf.Tensor2D, real, fake, new Float32Array([0.3, 0.6])).dataSync()[0]!;
  });

/** The 2-D WGAN-GP model (MLP critic: nothing refuses at construction) built on the current tf. */
function wganGp2d() {
  return wganGp.create({ tf, hp: schemaDefaults(wganGp.hyperParams, 'points'), data: { dims: 2, classes: 8 }, rng: Rng.stream(1, 'init') });
}

describe('the training fixes are required where they matter', () => {
  it('before they are installed: conv layers, the gradient penalty and a WGAN-GP critic built outside the loop all refuse', async () => {
    await selectBackend(['wasm']);
    expect(trainingFixesInstalled(tf)).toBe(false);
    expectMissingFixes(conv);
    expectMissingFixes(convT);
    expectMissingFixes(penalty);
    // Before activateBackend: the critic's tanh/sigmoid second-order gradients would be silently
    // wrong, so its first step must fail instead.
    const model = wganGp2d();
    const data = resolveDataset('ring-easy');
    expectMissingFixes(() => model.step(stepBatches(data, undefined, 8, 1, 1), stepNoise(1, 1)));
    model.dispose();
    // An image model's conv networks refuse as soon as they are built.
    const image = { height: 28, width: 28, channels: 1 };
    expectMissingFixes(() => wganGp.create({ tf, hp: schemaDefaults(wganGp.hyperParams, 'images'), data: { dims: 784, image }, rng: Rng.stream(1, 'init') }));
  });

  it('activateBackend installs them, and then everything builds and runs', async () => {
    const sel = await activateBackend('wasm');
    expect(sel.tf).toBe(tf);
    expect(trainingFixesInstalled(tf)).toBe(true);
    conv().dispose();
    convT().dispose();
    expect(penalty()).toBeGreaterThan(0);
    const model = wganGp2d();
    const losses = model.step(stepBatches(resolveDataset('ring-easy'), undefined, 8, 1, 1), stepNoise(1, 1));
    expect(Number.isFinite(losses['gp'])).toBe(true);
    model.dispose();
  });

  it('reads the registry: one kernel whose gradient is replaced (even by an equal copy) counts as not installed, and installing again restores it', () => {
    installTrainingFixes(tf);
    for (const kernel of ['Tanh', 'Conv2D', 'Greater']) {
      const fixed = tf.getGradient(kernel);
      tf.registerGradient({ ...fixed });
      expect(trainingFixesInstalled(tf)).toBe(false);
      expectMissingFixes(conv);
      expectMissingFixes(penalty);
      installTrainingFixes(tf);
      expect(trainingFixesInstalled(tf)).toBe(true);
      conv().dispose();
    }
  });
});
