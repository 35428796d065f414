/**
 * Everything trains on wasm (what installs everywhere) and must give the gradients the reference
 * cpu backend gives: the gradients of whole family losses — ns-gan's D and G losses, and the
 * WGAN-GP critic loss with its second-order penalty — agree between the two backends.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { resolveDataset } from '../data/datasets.js';
import { gradientPenalty } from '../nn/gradient-penalty.js';
import { Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';

beforeAll(async () => {
  await selectBackend(['wasm']); // registers wasm; cpu is always there
  installTrainingFixes(tf);
});

/** The gradients of `loss` w.r.t. a fresh D (and G) on `backend`, all inputs from fixed seeds. */
async function gradients(backend: 'wasm' | 'cpu', loss: 'ns-gan-d' | 'ns-gan-g' | 'wgan-gp'): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const init = new Rng(11);
  const G = new Mlp(tf, init, [8, 32, 32, 2]);
  const D = new Mlp(tf, init, [2, 32, 32, 1]);
  const noise = new Rng(12);
  const n = 64;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(resolveDataset('ring-easy').sample(n, noise).x, [n, 2]);
    const z = tf.tensor2d(noise.normals(n * 8), [n, 8]);
    const eps = tf.tensor2d(noise.uniforms(n), [n, 1]);
    const f = () => {
      const fake = G.apply(z);
      if (loss === 'ns-gan-g') return tf.mean(tf.softplus(tf.neg(D.apply(fake)))) as tf.Scalar;
      if (loss === 'ns-gan-d') return tf.add(tf.mean(tf.softplus(tf.neg(D.apply(x)))), tf.mean(tf.softplus(D.apply(fake)))) as tf.Scalar;
      const wDist = tf.sub(tf.mean(D.apply(x)), tf.mean(D.apply(fake)));
      return tf.add(
        tf.neg(wDist),
        gradientPenalty(tf, (v) => D.apply(v), x, fake, eps, 10),
      ) as tf.Scalar;
    };
    const vars = [...D.trainable(), ...G.trainable()];
    const { grads } = tf.variableGrads(f, vars);
    return vars.map((v) => grads[v.name]!);
  });
  const values = out.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(out);
  for (const v of [...D.trainable(), ...G.trainable()]) v.dispose();
  return values;
}

describe('wasm and cpu backends', () => {
  it.each(['ns-gan-d', 'ns-gan-g', 'wgan-gp'] as const)('give the same gradients for the %s loss', async (loss) => {
    const cpu = await gradients('cpu', loss);
    const wasm = await gradients('wasm', loss);
    expect(wasm).toHaveLength(cpu.length);
    let nonZero = 0;
    cpu.forEach((c, i) => {
      const w = wasm[i]!;
      const scale = Math.max(...Array.from(c, Math.abs), 1e-6);
      for (let k = 0; k < c.length; k++) expect(Math.abs(w[k]! - c[k]!) / scale).toBeLessThan(1e-4);
      if (scale > 1e-6) nonZero++;
    });
    // The loss reaches every D layer (and G's, except for the D-only parts of the losses).
    expect(nonZero).toBeGreaterThanOrEqual(6);
  });
});
