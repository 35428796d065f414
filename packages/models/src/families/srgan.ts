/**
 * SRGAN (Ledig et al. 2017, "Photo-Realistic Single Image Super-Resolution Using a Generative
 * Adversarial Network"): a residual generator G maps a low-resolution image to one with twice its
 * side, trained on (low, high) pairs with the perceptual loss (eq. 3)
 *
 *   l_SR = l_X + 10⁻³ · l_Gen,   l_Gen = mean −log D(G(I_LR))   (eq. 6; non-saturating)
 *
 * for each step:
 *   (I_LR, I_HR) ~ pairs (the batch's input and x)
 *   θ_G ← Adam(∇ [ l_X(G(I_LR), I_HR) + w_adv · mean softplus(−D(G(I_LR))) ])
 *   θ_D ← Adam(∇ [ mean softplus(−D(I_HR)) + mean softplus(D(G(I_LR))) ])   (if w_adv > 0)
 *
 * D's loss is the binary cross-entropy on logits, on the fakes G made in its own update (kept off
 * D's tape). `adversarialWeight` 0 is SRResNet, the paper's content-only baseline: D is then
 * built (the checkpoint has one shape) but never trained, and no d_loss is reported.
 *
 * Content loss l_X (`content`): 'mse', the pixel MSE (eq. 4, SRResNet-MSE), or 'features', the
 * MSE between feature maps of a fixed network (eq. 5). The paper takes VGG19's φ_{5,4}, the
 * deepest conv map before the last pooling; VGG19 cannot be downloaded here, so the fixed network
 * is the embedded digit/fashion classifier of @gen-eval/metrics that knows the data's domain
 * (`ctx.data.classifier`), and the map is its deepest conv, ReLU(conv3) before pool 3 (7×7×64 at
 * 28 px, nn/classifier-features.ts): φ_{3,1} in the paper's notation, the same choice of the
 * most semantic conv features (the paper found the deeper VGG maps to give better texture detail). Data no
 * embedded classifier knows must use 'mse'.
 *
 * Networks: nn/sr-networks.ts (residual blocks with BN and PReLU, a long skip, sub-pixel or
 * transposed-conv ×2 upsampling, tanh; D the paper's strided conv stack with BN and LeakyReLU
 * 0.2), CPU-sized. Adam β1 0.9 as the paper, learning rate 1e-3 rather than its 1e-4: at a few
 * hundred CPU steps 1e-4 leaves SRResNet close to bicubic. G is in training mode during
 * the step and in evaluation mode (BN's running averages) when sampling.
 *
 * `sample(n, rng, { input })` upscales n low-resolution inputs (n × `data.input.dims`) into n
 * × dims images; the model has no inputs of its own, so `sample` without `input` throws.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { usageError } from '@gen-eval/metrics/errors';
import type { Batch, FamilyDefinition, TF } from '../family.js';
import { oneOf, real, int } from '../hyper-param-schema.js';
import { ClassifierFeatures } from '../nn/classifier-features.js';
import { SrDiscriminator, SrResNet } from '../nn/sr-networks.js';
import { sampleInChunks } from './chunked-sampling.js';
import { GAN_LOSSES, lossSpec } from './losses.js';
import { adam, disposeAll, pairState } from './model-state.js';
import { adamHyperParams, width } from './shared-hyper-params.js';
import { batchTensor } from './tensors.js';

/** The paper's Adam β1 0.9 and 10⁻³ adversarial weight; learning rate, networks and batch CPU-sized (docs/tuning/srgan.md). */
const hyperParams = {
  ...adamHyperParams({ batchSize: 16, lr: 1e-3, beta1: 0.9, beta2: 0.999 }, 'Adam learning rate (G and D)'),
  hidden: width(16, "channels of the generator's convs (the paper: 64)"),
  blocks: int({ min: 1, max: 16, default: 3, help: 'residual blocks of the generator (the paper: 16)' }),
  upsampling: oneOf(['pixel-shuffle', 'transposed'] as const, {
    default: 'pixel-shuffle',
    help: '×2 upsampling: sub-pixel convolution (pixel shuffle, the paper) or a transposed conv',
  }),
  dHidden: width(8, "channels of the discriminator's first conv, doubling every other conv (the paper: 64)"),
  adversarialWeight: real({ min: 0, max: 1, default: 1e-3, help: 'weight of the adversarial loss (0: SRResNet, the content-only baseline; D untrained)' }),
  content: oneOf(['features', 'mse'] as const, {
    default: 'features',
    help: "content loss: MSE of the data's embedded classifier's conv3 feature maps (the paper's VGG loss) or pixel MSE",
  }),
};

/** Mean squared difference over every element. */
function mse(tf: TF, a: tfNs.Tensor, b: tfNs.Tensor): tfNs.Scalar {
  return tf.mean(tf.squaredDifference(a, b)) as tfNs.Scalar;
}

export const srgan: FamilyDefinition<typeof hyperParams> = {
  name: 'srgan',
  title: 'SRGAN (Ledig et al. 2017): ×2 super-resolution, content loss on fixed features + 10⁻³·adversarial',
  defaultData: 'mnist',
  condition: { kind: 'image', paired: true, from: ['a'], scale: 2 },
  hyperParams,
  metrics: { ...GAN_LOSSES, content_loss: lossSpec('content loss', [0, Infinity]) },
  create(ctx) {
    const { tf, hp, rng, data } = ctx;
    const target = data.image;
    const input = data.input;
    if (!target || !input)
      throw usageError('srgan super-resolves images: it needs image data (mnist, fashion-mnist or a folder), made into (low, high) pairs; 2-D points have no resolution to raise');
    const { height: h, channels: C } = target;
    if (input.image.height * 2 !== h || input.image.width * 2 !== target.width || input.image.channels !== C) {
      throw usageError(
        `srgan raises the resolution ×2: its inputs must be ${h / 2}×${target.width / 2}×${C} for ${h}×${target.width}×${C} targets, got ${input.image.height}×${input.image.width}×${input.image.channels}`,
      );
    }
    if (hp.content === 'features' && !data.classifier) {
      throw usageError('srgan: content=features needs data an embedded classifier knows (mnist, fashion-mnist); use --hp content=mse on other images');
    }
    const G = new SrResNet(tf, rng, { size: input.image.height, channels: C, width: hp.hidden, blocks: hp.blocks, upsampling: hp.upsampling });
    const D = new SrDiscriminator(tf, rng, { size: h, channels: C, width: hp.dHidden });
    const phi = hp.content === 'features' && data.classifier ? new ClassifierFeatures(tf, data.classifier, C) : null;
    const content = (sr: tfNs.Tensor2D, hr: tfNs.Tensor2D): tfNs.Scalar => {
      if (!phi) return mse(tf, sr, hr);
      const img = (t: tfNs.Tensor2D) => tf.reshape(t, [t.shape[0], h, target.width, C]) as tfNs.Tensor4D;
      return mse(tf, phi.apply(img(sr)), phi.apply(img(hr)));
    };
    const optG = adam(tf, hp);
    const optD = adam(tf, hp);
    const { variables, optimizers } = pairState(G, D, optG, optD);
    const lowRes = (b: Batch): tfNs.Tensor2D => {
      if (!b.input) throw usageError('srgan trains on (low, high) pairs: the batch has no inputs');
      return tf.tensor2d(b.input, [b.n, input.dims]);
    };
    const adversarial = hp.adversarialWeight > 0;
    return {
      variables,
      optimizers,
      step(batches) {
        const batch = batches();
        // SR(G) outlives G's tape: D's update scores it below (made outside D's tape, so detached).
        const fakes: tfNs.Tensor2D[] = [];
        const g = tf.tidy(() => {
          const lr = lowRes(batch);
          const hr = batchTensor(tf, batch);
          return optG.minimize(() => {
            const sr = G.apply(lr);
            const lX = content(sr, hr);
            if (!adversarial) return lX;
            fakes.push(tf.keep(sr));
            const lGen = tf.mean(tf.softplus(tf.neg(D.apply(sr))));
            return { loss: tf.add(lX, tf.mul(hp.adversarialWeight, lGen)) as tfNs.Scalar, content: lX };
          }, G.trainable());
        });
        const losses: Record<string, number> = { g_loss: g.loss, content_loss: 'content' in g ? g.content : g.loss };
        const [sr] = fakes;
        if (sr) {
          losses.d_loss = tf.tidy(() => {
            const hr = batchTensor(tf, batch);
            return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(hr)))), tf.mean(tf.softplus(D.apply(sr)))) as tfNs.Scalar, D.trainable());
          }).loss;
          sr.dispose();
        }
        return losses;
      },
      sample(n, _rng, opts = {}) {
        const x = opts.input;
        if (!x) throw usageError(`srgan upscales low-resolution images and draws none itself: pass sample(n, rng, { input }) with n × ${input.dims} values`);
        if (x.length !== n * input.dims) throw usageError(`srgan sample: input holds ${x.length} values, expected n × ${input.dims} = ${n * input.dims}`);
        let start = 0;
        return sampleInChunks(tf, n, data.dims, (count) => {
          const rows = tf.tensor2d(x.subarray(start * input.dims, (start + count) * input.dims), [count, input.dims]);
          start += count;
          return G.apply(rows, false);
        });
      },
      dispose: () => {
        disposeAll(variables, optimizers);
        phi?.dispose();
      },
    };
  },
};
