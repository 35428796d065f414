/**
 * pix2pix (Isola, Zhu, Zhou & Efros 2017, "Image-to-Image Translation with Conditional Adversarial
 * Networks"): a conditional GAN that learns a map from an input image x to its paired target y,
 * with the objective (eq. 4)
 *
 *   G* = arg min_G max_D  λ_GAN · L_cGAN(G, D) + λ_L1 · L_L1(G),   L_L1 = E ‖y − G(x, z)‖₁
 *
 * where z is dropout in G (§3.1: "we provide noise only in the form of dropout, applied on several
 * layers of our generator at both training and test time").
 *
 * for each step:                                       (§3.3: one step on D, then one on G)
 *   (x, y) ~ paired data (the batch's input and x), dropout masks z from the step's Rng
 *   ŷ = G(x, z)
 *   D ← Adam(∇ ½[ mean softplus(−D(x, y)) + mean softplus(D(x, ŷ)) ])     (½: "divide the objective by 2")
 *   G ← Adam(∇ [ λ_GAN · mean softplus(−D(x, G(x, z))) + λ_L1 · mean |G(x, z) − y| ])
 *
 * D(x, ·) is a PatchGAN on the channel concatenation of the input and a target or an output; its
 * logits score patches and the cross-entropies average over them, as the authors' released code
 * (junyanz/pytorch-CycleGAN-and-pix2pix) does with its vanilla GANLoss. G's adversarial term is
 * that code's non-saturating form (target 1 on the fake), its L1 PyTorch's L1Loss (the mean over
 * every value) with the paper's λ_L1 = 100. λ_GAN = 0 is the paper's "L1 alone" ablation: D is
 * then neither trained nor called (the run reports no d_loss, and D's weights stay at their
 * initial values). The reported `l1_loss` is L_L1 before its λ; `g_loss` the whole G objective.
 *
 * Networks (images only; nothing here is defined on 2-D points): nn/unet.ts's U-Net with dropout
 * in its two inner decoder levels (p = 0.1, where the paper has 0.5: in decoder levels of 32 and
 * 64 channels, half of them dropped at sampling time leaves the outputs noisy, and the FID of the
 * default run nearly triples), and nn/translator.ts's PatchDiscriminator with one
 * stride-2 layer (the reference code's n_layers = 1: each logit sees a 16×16 patch of the 28×28
 * pair, so D judges local texture and L1 the layout, the split of §3.2.2; the rest of the image
 * reaches a logit only through the normalisation's image-wide mean and variance). Both use instance
 * norm where the authors' code uses BatchNorm at batch size 1: the same per-image statistics,
 * and no running averages for sampling to use or change. Adam β1 0.5 as in the paper, but a
 * learning rate of 1e-3 rather than 2e-4: at 2e-4 a CPU-length run is far from converged.
 *
 * `sample(n, rng, { input })` translates n inputs (n × `DataInfo.input.dims` values) with fresh
 * dropout masks from `rng`, image by image (a sample does not depend on its chunk); without input
 * it throws, as the model holds no data of its own.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { usageError } from '@gen-eval/metrics/errors';
import type { Batch, FamilyDefinition } from '../family.js';
import { int, real } from '../hyper-param-schema.js';
import { PatchDiscriminator } from '../nn/translator.js';
import { dropoutMasks, UnetGenerator } from '../nn/unet.js';
import type { Rng } from '../rng.js';
import { sampleInChunks } from './chunked-sampling.js';
import { GAN_LOSSES, lossSpec } from './losses.js';
import { adam, disposeAll, pairState } from './model-state.js';
import { bce } from './tensors.js';
import { adamHyperParams, width } from './shared-hyper-params.js';

/**
 * The paper's β1 0.5 and λ_L1 100; batch 16, width 32, Adam 1e-3 (the paper: 2e-4) so that a CPU
 * run of 1 000 steps gets somewhere, dropout 0.1 (the paper: 0.5; docs/tuning/pix2pix.md).
 */
const hyperParams = {
  ...adamHyperParams({ batchSize: 16, lr: 1e-3, beta1: 0.5, beta2: 0.999 }, 'Adam learning rate (G and D)'),
  hidden: width(32, 'channels of the U-Net’s first level and of the PatchGAN’s first conv (doubling per level)'),
  lambdaL1: real({ min: 0, max: 1000, default: 100, help: 'weight λ_L1 of the L1 loss ‖y − G(x)‖₁' }),
  lambdaGan: real({ min: 0, max: 1000, default: 1, help: 'weight of the cGAN loss (0: the paper’s L1-only ablation; D is not trained)' }),
  dropout: real({
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0.1,
    help: 'dropout probability in the U-Net’s two inner decoder levels, at training and sampling time (G’s noise)',
  }),
  patchLayers: int({ min: 1, max: 3, default: 1, help: 'stride-2 convs of the PatchGAN: 1, 2, 3 see 16, 34, 70 px patches' }),
};

export const pix2pix: FamilyDefinition<typeof hyperParams> = {
  name: 'pix2pix',
  title: 'pix2pix (Isola et al. 2017): paired image-to-image translation, U-Net + PatchGAN, cGAN + λ·L1',
  defaultData: 'edges2fashion',
  condition: { kind: 'image', paired: true, from: ['a'] },
  hyperParams,
  metrics: { ...GAN_LOSSES, l1_loss: lossSpec('L1 loss', [0, 2]) },
  create({ tf, hp, rng, data }) {
    if (!data.image || !data.input) {
      throw usageError(
        `pix2pix translates images paired with input images (edges2fashion, edges2shoes, edges2digits or --data-pairs); this data is ${data.image ? 'unpaired images' : '2-D points'}`,
      );
    }
    const { height: size, channels } = data.image;
    const inImage = data.input.image;
    if (inImage.height !== size || inImage.width !== data.image.width) {
      throw usageError(`pix2pix maps an image to one of the same size: inputs are ${inImage.height}×${inImage.width}, targets ${size}×${data.image.width}`);
    }
    const inDims = data.input.dims;
    const G = new UnetGenerator(tf, rng, { size, inChannels: inImage.channels, outChannels: channels, width: hp.hidden });
    const D = new PatchDiscriminator(tf, rng, { size, channels: inImage.channels + channels, width: hp.hidden, layers: hp.patchLayers });
    const optD = adam(tf, hp);
    const optG = adam(tf, hp);
    const { variables, optimizers } = pairState(G, D, optG, optD);
    // D scores the (input, image) pair stacked along the channels.
    const pair = (x: tfNs.Tensor2D, y: tfNs.Tensor2D) =>
      D.applyImages(tf.concat([tf.reshape(x, [x.shape[0], size, size, inImage.channels]), tf.reshape(y, [y.shape[0], size, size, channels])], 3) as tfNs.Tensor4D);
    const tensors = (b: Batch) => {
      if (!b.input) throw usageError('pix2pix trains on paired data: the batch has no inputs');
      return { x: tf.tensor2d(b.input, [b.n, inDims]), y: tf.tensor2d(b.x, [b.n, b.dims]) };
    };
    return {
      variables,
      optimizers,
      step(batches, stepRng) {
        const batch = batches();
        const masks = dropoutMasks(tf, G, batch.n, hp.dropout, stepRng);
        const out: Record<string, number> = {};
        if (hp.lambdaGan > 0) {
          out.d_loss = tf.tidy(() => {
            const { x, y } = tensors(batch);
            // ŷ is made outside D's tape: D's update does not reach G.
            const fake = G.apply(x, masks);
            return optD.minimize(() => tf.mul(0.5, tf.add(bce(tf, pair(x, y), 1), bce(tf, pair(x, fake), 0))) as tfNs.Scalar, D.trainable());
          }).loss;
        }
        const g = tf.tidy(() => {
          const { x, y } = tensors(batch);
          return optG.minimize(() => {
            const fake = G.apply(x, masks); // the same masks: the same ŷ as D's step saw
            const l1 = tf.mean(tf.abs(tf.sub(fake, y))) as tfNs.Scalar;
            let loss = tf.mul(hp.lambdaL1, l1) as tfNs.Scalar;
            if (hp.lambdaGan > 0) loss = tf.add(loss, tf.mul(hp.lambdaGan, bce(tf, pair(x, fake), 1)));
            return { loss, l1 };
          }, G.trainable());
        });
        if (masks) tf.dispose([masks.inner, masks.up]);
        return { ...out, g_loss: g.loss, l1_loss: g.l1 };
      },
      sample(n: number, sampleRng: Rng, opts = {}) {
        const input = opts.input;
        if (!input) throw usageError(`pix2pix translates input images and cannot draw targets itself: pass sample(n, rng, { input }) with n × ${inDims} input values`);
        if (input.length !== n * inDims) throw usageError(`pix2pix sample: input holds ${input.length} values, expected n × ${inDims} = ${n * inDims}`);
        let start = 0;
        return sampleInChunks(tf, n, data.dims, (count) => {
          const x = tf.tensor2d(input.subarray(start * inDims, (start + count) * inDims), [count, inDims]);
          start += count;
          const masks = dropoutMasks(tf, G, count, hp.dropout, sampleRng);
          return G.apply(x, masks);
        });
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
