/**
 * GAN-CLS and GAN-INT (Reed, Akata, Yan, Logeswaran, Schiele & Lee 2016, "Generative Adversarial
 * Text to Image Synthesis"): a GAN conditioned on a caption's embedding h = φ(t) (the data's
 * conditioning encoder; Batch.text), whose discriminator is *matching-aware* — it is shown real
 * images with the wrong caption as a third kind of pair, so it must judge whether image and text
 * match, not only whether the image looks real. Algorithm 1 of the paper, with GAN-INT (§4.3):
 *
 * for each step:
 *   (x, t) ~ captioned data, t̂ ~ wrong captions, z ~ N(0, I)
 *   h ← φ(t), ĥ ← φ(t̂), x̂ ← G(z, h)
 *   s_r ← D(x, h), s_w ← D(x, ĥ), s_f ← D(x̂, h)
 *   D ← Adam(∇ [ L(s_r, 1) + ½(L(s_w, 0) + L(s_f, 0)) ])          (cls off: L(s_r, 1) + L(s_f, 0))
 *   h_G ← h for the first half of the batch, (h_i + h_{i+1})/2 for the second (int off: h)
 *   G ← Adam(∇ L(D(G(z', h_G), h_G), 1))
 *
 * with L the binary cross-entropy on logits (softplus), G's loss the non-saturating one of the
 * paper's code (reedscot/icml2016, main_cls_int.lua). The wrong caption of sample i is drawn from
 * the step's Rng among the batch's samples of another class (labelled data; a different caption
 * where there are no labels; any other sample where neither exists): a caption of another class is
 * sure to mean something else, whereas the reference code's shifted batch pairs an image with a
 * caption of its own class one time in ten on ten classes. GAN-INT's interpolations
 * (β = 0.5, the paper's value) pair sample i with sample i + 1 of the batch as that code does;
 * D judges them only through G's loss, never as data. `cls` and `int` off are the paper's ablation.
 *
 * Networks (nn/text-networks.ts): DCGAN's generator on [z, LeakyReLU(Linear(φ(t)))] and a DCGAN
 * discriminator whose 7×7 map (28 px) gets the projected text tiled and concatenated, then a 1×1
 * conv and a 7×7 conv to the logit. The paper's nz 100, text code 128 and Adam β1 0.5; CPU-sized
 * otherwise: conv width 16 (the paper's 64 → 512 channels at 64 px), batch 32 (the paper: 64) and
 * Adam 1e-3 (the paper: 2e-4, at which a 500-step run on captioned-mnist still draws no digits:
 * class accuracy 0.19 against 0.81 at 1e-3; docs/tuning/gan-cls.md).
 *
 * `sample(n, rng, { text })` draws one image per row of `text` (n × φ's width): the routes set it
 * from a caption, a captions file or an interpolation (train/condition-routes.ts).
 */
import type * as tfNs from '@tensorflow/tfjs';
import { usageError } from '@gen-eval/metrics/errors';
import type { Batch, FamilyDefinition } from '../family.js';
import { bool, int } from '../hyper-param-schema.js';
import { TextDiscriminator, TextGenerator } from '../nn/text-networks.js';
import type { Rng } from '../rng.js';
import { sampleInChunks } from './chunked-sampling.js';
import { GAN_LOSSES } from './losses.js';
import { adam, disposeAll, pairState } from './model-state.js';
import { adamHyperParams, latentDim, width } from './shared-hyper-params.js';
import { batchText, bce, gaussianNoise } from './tensors.js';

const hyperParams = {
  ...adamHyperParams({ batchSize: 32, lr: 1e-3, beta1: 0.5, beta2: 0.999 }, 'Adam learning rate (G and D)'),
  latentDim: latentDim(100),
  hidden: width(16, 'conv channel width of G and D (doubling per level)'),
  textDim: int({ min: 1, max: 1024, default: 128, help: 'width of the projected text code LeakyReLU(Linear(φ(t))) that G concatenates to z and D tiles over its feature map' }),
  cls: bool({ default: true, help: 'matching-aware D: real images with wrong captions as a third kind of fake pair (GAN-CLS; false: the paper’s ablation)' }),
  int: bool({ default: true, help: 'half of G’s batch drawn for interpolated text codes (h_i + h_{i+1})/2 (GAN-INT, β = 0.5; false: the paper’s ablation)' }),
};

/**
 * For each sample, the index of its wrong caption: uniform among the samples of another class, else
 * (no labels, or one class in the batch) of another caption, else any other sample.
 */
export function wrongIndices(b: Pick<Batch, 'n' | 'labels' | 'captions'>, rng: Rng): Int32Array {
  const out = new Int32Array(b.n);
  for (let i = 0; i < b.n; i++) {
    const others = Array.from({ length: b.n }, (_, j) => j).filter((j) => j !== i);
    const tiers = [b.labels ? others.filter((j) => b.labels![j] !== b.labels![i]) : [], b.captions ? others.filter((j) => b.captions![j] !== b.captions![i]) : [], others];
    const pool = tiers.find((t) => t.length > 0);
    out[i] = pool ? pool[rng.int(pool.length)]! : i;
  }
  return out;
}

export const ganCls: FamilyDefinition<typeof hyperParams> = {
  name: 'gan-cls',
  title: 'GAN-CLS / GAN-INT (Reed et al. 2016): text-to-image GAN with a matching-aware D and interpolated text codes',
  defaultData: 'captioned-mnist',
  condition: { kind: 'text' },
  hyperParams,
  metrics: GAN_LOSSES,
  create({ tf, hp, rng, data }) {
    if (!data.image || !data.text) throw usageError('gan-cls draws images for captions: it needs a captioned image data set (captioned-mnist, captioned-fashion)');
    const { height: size, channels } = data.image;
    const textDims = data.text.dims;
    const spec = { size, channels, width: hp.hidden, textDims, projDim: hp.textDim };
    const G = new TextGenerator(tf, rng, { ...spec, latentDim: hp.latentDim });
    const D = new TextDiscriminator(tf, rng, spec);
    const optD = adam(tf, hp);
    const optG = adam(tf, hp);
    const { variables, optimizers } = pairState(G, D, optG, optD);

    /** G's text codes: the batch's, the second half interpolated with the next sample's (GAN-INT). */
    const generatorText = (h: Float32Array, n: number): Float32Array => {
      if (!hp.int) return h;
      const out = h.slice();
      for (let i = Math.ceil(n / 2); i < n; i++) {
        const j = (i + 1) % n;
        for (let d = 0; d < textDims; d++) out[i * textDims + d] = 0.5 * (h[i * textDims + d]! + h[j * textDims + d]!);
      }
      return out;
    };
    const rows = (values: Float32Array, idx: Int32Array): Float32Array => {
      const out = new Float32Array(idx.length * textDims);
      idx.forEach((j, i) => out.set(values.subarray(j * textDims, (j + 1) * textDims), i * textDims));
      return out;
    };

    return {
      variables,
      optimizers,
      step(batches, stepRng) {
        const batch = batches();
        const n = batch.n;
        const h = batchText(batch, textDims);
        const wrong = hp.cls ? rows(h, wrongIndices(batch, stepRng)) : undefined;
        const dLoss = tf.tidy(() => {
          const x = tf.tensor2d(batch.x, [n, batch.dims]);
          const right = tf.tensor2d(h, [n, textDims]);
          // x̂ is made outside D's tape: D's update does not reach G.
          const fake = G.apply(gaussianNoise(tf, stepRng, n, hp.latentDim), right);
          const wrongT = wrong ? tf.tensor2d(wrong, [n, textDims]) : undefined;
          return optD.minimize(() => {
            const real = bce(tf, D.apply(x, right), 1);
            const sf = bce(tf, D.apply(fake, right), 0);
            return tf.add(real, wrongT ? tf.mul(0.5, tf.add(bce(tf, D.apply(x, wrongT), 0), sf)) : sf) as tfNs.Scalar;
          }, D.trainable());
        }).loss;
        const hG = generatorText(h, n);
        const gLoss = tf.tidy(() => {
          const t = tf.tensor2d(hG, [n, textDims]);
          const z = gaussianNoise(tf, stepRng, n, hp.latentDim);
          return optG.minimize(() => bce(tf, D.apply(G.apply(z, t), t), 1), G.trainable());
        }).loss;
        return { d_loss: dLoss, g_loss: gLoss };
      },
      sample(n, sampleRng, opts = {}) {
        const text = opts.text;
        if (!text) throw usageError(`gan-cls draws images for captions: pass sample(n, rng, { text }) with n × ${textDims} caption embeddings (the data's encoder's)`);
        if (text.length !== n * textDims) throw usageError(`gan-cls sample: text holds ${text.length} values, expected n × ${textDims} = ${n * textDims}`);
        let start = 0;
        return sampleInChunks(tf, n, data.dims, (count) => {
          const t = tf.tensor2d(text.subarray(start * textDims, (start + count) * textDims), [count, textDims]);
          start += count;
          return G.apply(gaussianNoise(tf, sampleRng, count, hp.latentDim), t, false);
        });
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
