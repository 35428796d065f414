/**
 * StackGAN (Zhang et al. 2017, "StackGAN: Text to Photo-realistic Image Synthesis with Stacked
 * Generative Adversarial Networks"): two conditional GANs stacked. Stage I draws a low-resolution
 * image (14×14) from noise and the caption; stage II redraws it at 28×28 from the stage-I image
 * and the caption. Each generator conditions on c from its own Conditioning Augmentation (§3.1):
 *
 *   (μ, log σ²) = split(ReLU(W·φ(t) + b)),   c = μ + exp(½ log σ²) ⊙ ε,   ε ~ N(0, I)
 *   L_KL = mean over batch and dims of −½(1 + log σ² − μ² − σ²)
 *
 * for each step s (one run holds both stages; s counts stage I's steps first):
 *   (x, t) ~ captioned data, φ = the batch's text embeddings, z ~ N(0, I), ε ~ N(0, I)
 *   if s ≤ stage1Steps:                                   (stage I; x₁ = x downsampled ×2)
 *     x̂ = G₁(z, c₁)
 *     D₁ ← Adam(∇ [ bce(D₁(x₁, φ), 1) + ½(bce(D₁(x̂, φ), 0) + bce(D₁(x₁, φ[w]), 0)) ])
 *     G₁ ← Adam(∇ [ bce(D₁(G₁(z, c₁), φ), 1) + klWeight · L_KL(μ₁, σ₁) ])
 *   else:                                                 (stage II; G₁ frozen)
 *     s₀ = G₁(z, c₁) in evaluation mode, no gradient;  x̂ = G₂(s₀, c₂)
 *     D₂ ← Adam(∇ [ ½(bce(D₂(x, φ), 1) + bce(U₂(x), 1)) + ⅓(bce(D₂(x̂, φ), 0) + bce(D₂(x, φ[w]), 0) + bce(U₂(x̂), 0)) ])
 *     G₂ ← Adam(∇ [ bce(D₂(G₂(s₀, c₂), φ), 1) + bce(U₂(G₂(s₀, c₂)), 1) + klWeight · L_KL(μ₂, σ₂) ])
 *
 * The discriminators are matching-aware (Reed et al. 2016's GAN-CLS, as StackGAN uses it): the
 * "wrong" pairs are the real images with the condition of w(i), a sample of another class drawn
 * by gan-cls's `wrongIndices` — the reference code shifts the batch by one, which on ten classes
 * pairs an image with a caption of its own digit one time in ten and teaches D that such pairs do
 * not match; U₂ are stage II's unconditional logits. D(x, ·) reads the caption through its own
 * Linear → LeakyReLU compression of φ (the paper, §3.2; `dText`); with `dText` false it scores
 * pairs with its generator's μ, detached, as hanzhanggit/StackGAN-Pytorch does (φ above reads μ) —
 * then the KL term, which pulls μ to 0, erases the caption from D's view as well, and nothing
 * pushes G to follow it (at 16 dims stage II's μ₂ collapsed within 300 steps). The
 * KL coefficient 2 and the mean over batch and dims are that code's. `ca` false is the paper's
 * no-CA ablation (c = ReLU(W·φ + b), deterministic, no KL); `klWeight` 0 keeps the sampling and
 * drops the penalty.
 *
 * Both stages train in one run so that the loop's contract holds unchanged — one `step`, one
 * checkpoint of all four networks and their optimisers, bit-exact resume: the first
 * `stage1Steps` steps train stage I, the rest stage II with stage I frozen (its weights and its
 * batch-norm averages no longer change), as the paper trains stage II on a finished stage I.
 * Stage I's real images are the batch's downsampled ×2 by Pillow's bicubic (the project's port;
 * antialiased), the same resampling that upsamples stage I's images for comparison.
 *
 * `sample(n, rng, { text })` draws n images for n caption embeddings; `stage` 1 returns stage I's
 * images upsampled ×2 by the same bicubic (the baseline stage II must beat), 2 stage II's. Both
 * draw z, ε₁, ε₂ alike, so the two stages of one draw show the same sample.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { usageError } from '@gen-eval/metrics/errors';
import type { FamilyDefinition, Optimizer, Variable } from '../family.js';
import { bool, int, real } from '../hyper-param-schema.js';
import { caKlDivergence, Stage1Generator, Stage2Generator, StageDiscriminator } from '../nn/stackgan-networks.js';
import type { Rng } from '../rng.js';
import { resizeBicubic } from '../train/paired-eval.js';
import { rowsInChunks } from './chunked-sampling.js';
import { wrongIndices } from './gan-cls.js';
import { GAN_LOSSES, lossSpec } from './losses.js';
import { adam, disposeAll, namedVariables } from './model-state.js';
import { adamHyperParams, latentDim, width } from './shared-hyper-params.js';
import { batchText, bce } from './tensors.js';

/**
 * CPU-sized as gan-cls (width 16, batch 32, Adam 1e-3 with the reference's β1 0.5; its 2e-4 leaves
 * stage I near noise after hundreds of steps), z of 100, and the reference's KL pull per dimension
 * (2 over 128 dims = 0.25 over 16). The loop's default 2 000 steps give each stage 1 000.
 */
const hyperParams = {
  ...adamHyperParams({ batchSize: 32, lr: 1e-3, beta1: 0.5, beta2: 0.999 }, 'Adam learning rate (every network)'),
  latentDim: latentDim(100),
  hidden: width(16, 'channel width w of both stages’ generators and discriminators (the paper: 128 and up)'),
  condDim: int({ min: 1, max: 1024, default: 16, help: 'dimension of the condition c (the paper: 128)' }),
  ca: bool({ default: true, help: 'Conditioning Augmentation: c ~ N(μ, σ²) with its KL term (false: c is the projected text, the paper’s ablation)' }),
  klWeight: real({
    min: 0,
    max: 100,
    default: 0.25,
    help: 'coefficient of the augmentation’s KL term (mean over batch and dims) in the generators’ losses; each dimension’s pull scales as klWeight / condDim (the reference: 2 at 128 dims, matched by 0.25 at 16)',
  }),
  stage1Steps: int({ min: 1, max: 10_000_000, default: 1000, help: 'steps that train stage I; the later ones train stage II with stage I frozen' }),
  dText: bool({
    default: true,
    help: 'each discriminator compresses the caption by its own Linear → LeakyReLU 0.2 (the paper, §3.2); false: it reads its generator’s μ, detached (StackGAN-Pytorch)',
  }),
  resBlocks: int({ min: 0, max: 8, default: 2, help: 'residual blocks of stage II’s generator' }),
};

export const stackgan: FamilyDefinition<typeof hyperParams> = {
  name: 'stackgan',
  title: 'StackGAN (Zhang et al. 2017): text → 14×14 stage I → 28×28 stage II, Conditioning Augmentation, matching-aware Ds',
  defaultData: 'captioned-mnist',
  condition: { kind: 'text' },
  hyperParams,
  metrics: { ...GAN_LOSSES, kl_loss: lossSpec('KL of the conditioning augmentation', [0, Infinity]) },
  create({ tf, hp, rng, data }) {
    const image = data.image;
    if (!image || image.height !== 28 || image.width !== 28 || !data.text) {
      throw usageError('stackgan draws 28×28 images from captions: it needs captioned 28 px image data (captioned-mnist, captioned-fashion)');
    }
    if (hp.batchSize < 2) throw usageError('stackgan needs batchSize ≥ 2: its discriminators pair each real image with the next one’s caption');
    const C = image.channels;
    const T = data.text.dims;
    const low = { height: 14, width: 14, channels: C };
    const sizes = { textDims: T, condDim: hp.condDim, augment: hp.ca, width: hp.hidden, channels: C };
    const G1 = new Stage1Generator(tf, rng, { ...sizes, latentDim: hp.latentDim });
    const dText = hp.dText ? { textDims: T } : {};
    const D1 = new StageDiscriminator(tf, rng, { size: 14, channels: C, width: hp.hidden, condDim: hp.condDim, unconditional: false, ...dText });
    const G2 = new Stage2Generator(tf, rng, { ...sizes, blocks: hp.resBlocks });
    const D2 = new StageDiscriminator(tf, rng, { size: 28, channels: C, width: hp.hidden, condDim: hp.condDim, unconditional: true, ...dText });
    const optD1 = adam(tf, hp);
    const optG1 = adam(tf, hp);
    const optD2 = adam(tf, hp);
    const optG2 = adam(tf, hp);
    const variables = namedVariables([
      ['G1', G1],
      ['D1', D1],
      ['G2', G2],
      ['D2', D2],
    ]);
    const optimizers = new Map([
      ['D1', optD1],
      ['G1', optG1],
      ['D2', optD2],
      ['G2', optG2],
    ]);

    /** z, ε₁, ε₂ for n samples, drawn sample by sample (a sample's noise does not depend on n). */
    const noise = (r: Rng, n: number) => {
      const [L, D] = [hp.latentDim, hp.condDim];
      const z = new Float32Array(n * L);
      const eps1 = hp.ca ? new Float32Array(n * D) : null;
      const eps2 = hp.ca ? new Float32Array(n * D) : null;
      for (let i = 0; i < n; i++) {
        z.set(r.normals(L), i * L);
        eps1?.set(r.normals(D), i * D);
        eps2?.set(r.normals(D), i * D);
      }
      return { z, eps1, eps2 };
    };
    const t2 = (v: Float32Array | null, n: number, d: number) => (v ? tf.tensor2d(v, [n, d]) : null);

    /** Matching-aware D loss: real pairs, fakes and real images with another class's condition (`wrong` indexes `cond`, D's condition input: text rows or μ). */
    const dLoss = (D: StageDiscriminator, real: tfNs.Tensor4D, fake: tfNs.Tensor4D, cond: tfNs.Tensor2D, wrong: tfNs.Tensor1D): tfNs.Scalar => {
      const cr = D.code(real);
      const cf = D.code(fake);
      const errReal = bce(tf, D.condLogits(cr, cond), 1);
      const errWrong = bce(tf, D.condLogits(cr, tf.gather(cond, wrong)), 0);
      const errFake = bce(tf, D.condLogits(cf, cond), 0);
      const uReal = D.uncondLogits(cr);
      const uFake = D.uncondLogits(cf);
      if (!uReal || !uFake) return tf.add(errReal, tf.mul(0.5, tf.add(errFake, errWrong))) as tfNs.Scalar;
      const realTerm = tf.mul(0.5, tf.add(errReal, bce(tf, uReal, 1)));
      return tf.add(realTerm, tf.div(tf.addN([errFake, errWrong, bce(tf, uFake, 0)]), 3)) as tfNs.Scalar;
    };
    /** G's adversarial loss (non-saturating, + unconditional logits at stage II) plus the weighted KL. */
    const gLoss = (D: StageDiscriminator, out: ReturnType<Stage1Generator['apply']>, cond: tfNs.Tensor2D): { loss: tfNs.Scalar } | { loss: tfNs.Scalar; kl: tfNs.Scalar } => {
      const code = D.code(out.image);
      const u = D.uncondLogits(code);
      let adv = bce(tf, D.condLogits(code, cond), 1);
      if (u) adv = tf.add(adv, bce(tf, u, 1));
      const { mu: m, logvar } = out.code;
      if (!logvar) return { loss: adv as tfNs.Scalar };
      const kl = caKlDivergence(tf, m, logvar);
      return { loss: tf.add(adv, tf.mul(hp.klWeight, kl)) as tfNs.Scalar, kl };
    };
    /** One round of a stage's game on (real, condition input) with fixed noise; returns the losses. */
    const game = (
      D: StageDiscriminator,
      optD: Optimizer,
      optG: Optimizer,
      G: { trainable(): Variable[] },
      real: tfNs.Tensor4D,
      generate: () => ReturnType<Stage1Generator['apply']>,
      cond: tfNs.Tensor2D,
      wrong: tfNs.Tensor1D,
    ): Record<string, number> => {
      // The fakes D sees are made outside its tape: D's update does not reach G.
      const d = tf.tidy(() => {
        const fake = generate().image;
        return optD.minimize(() => dLoss(D, real, fake, cond, wrong), D.trainable());
      });
      const g = tf.tidy(() => optG.minimize(() => gLoss(D, generate(), cond), G.trainable()));
      return { d_loss: d.loss, g_loss: g.loss, ...('kl' in g ? { kl_loss: g.kl } : {}) };
    };

    return {
      variables,
      optimizers,
      step(batches, stepRng) {
        const batch = batches();
        const n = batch.n;
        const text = batchText(batch, T);
        const { z, eps1, eps2 } = noise(stepRng, n);
        const stage1 = optG1.iterations < hp.stage1Steps;
        const t = tf.tensor2d(text, [n, T]);
        const zt = tf.tensor2d(z, [n, hp.latentDim]);
        const e1 = t2(eps1, n, hp.condDim);
        const wrong = tf.tensor1d(wrongIndices(batch, stepRng), 'int32');
        const made: tfNs.Tensor[] = [t, zt, wrong, ...(e1 ? [e1] : [])];
        const keep = <R extends tfNs.Tensor>(x: R): R => (made.push(x), x);
        try {
          if (stage1) {
            const real = keep(tf.tensor4d(resizeBicubic(batch.x, image, 14, 14), [n, 14, 14, C]));
            // D's condition: the text (its own projection), or μ computed once before either update, a constant (no gradient to CA).
            const cond = hp.dText ? t : keep(tf.tidy(() => G1.ca.apply(t, null).mu));
            return game(D1, optD1, optG1, G1, real, () => G1.apply(zt, t, e1, true), cond, wrong);
          }
          const real = keep(tf.tensor4d(batch.x, [n, 28, 28, C]));
          const cond = hp.dText ? t : keep(tf.tidy(() => G2.ca.apply(t, null).mu));
          const s0 = keep(tf.tidy(() => G1.apply(zt, t, e1, false).image));
          const e2 = t2(eps2, n, hp.condDim);
          if (e2) keep(e2);
          return game(D2, optD2, optG2, G2, real, () => G2.apply(s0, t, e2, true), cond, wrong);
        } finally {
          tf.dispose(made);
        }
      },
      sample(n, sampleRng, opts = {}) {
        const text = opts.text;
        if (!text) throw usageError(`stackgan draws images for captions: pass sample(n, rng, { text }) with n × ${T} caption embeddings`);
        if (text.length !== n * T) throw usageError(`stackgan sample: text holds ${text.length} values, expected n × ${T} = ${n * T}`);
        const stage = opts.stage ?? (optG2.iterations > 0 ? 2 : 1);
        let start = 0;
        return rowsInChunks(n, data.dims, (count) => {
          const { z, eps1, eps2 } = noise(sampleRng, count);
          const rowsText = text.subarray(start * T, (start + count) * T);
          start += count;
          const out = tf.tidy(() => {
            const t = tf.tensor2d(rowsText, [count, T]);
            const s0 = G1.apply(tf.tensor2d(z, [count, hp.latentDim]), t, t2(eps1, count, hp.condDim), false).image;
            return stage === 1 ? s0 : G2.apply(s0, t, t2(eps2, count, hp.condDim), false).image;
          });
          const values = out.dataSync() as Float32Array;
          out.dispose();
          return stage === 1 ? resizeBicubic(values, low, 28, 28) : values;
        });
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
