/**
 * InfoGAN (Chen et al. 2016): G(z, c) receives latent codes c besides the noise z, and an
 * auxiliary network Q(c | x), sharing D's body, recovers c from G's output. Maximising the
 * variational lower bound L_I(G, Q) = E[log Q(c | G(z, c))] + H(c) of the mutual information
 * I(c; G(z, c)) forces the codes to control salient, disentangled factors of the data (on the
 * ring: the categorical code tends to pick the mode). The game is
 *   min_{G,Q} max_D V(D, G) − λ L_I(G, Q)
 * with V the non-saturating GAN game of `ns-gan`. Codes: a categorical code of `catCodes`
 * classes (one-hot; −log Q is the cross-entropy) and `contCodes` continuous codes ~ U(−1, 1),
 * for which Q outputs the mean of a Gaussian of fixed σ, so −log Q is, up to a constant, a
 * squared error (the paper: "factored Gaussian"; eriklindernoren/PyTorch-GAN's
 * infogan uses MSE with weight 0.1).
 *
 * Networks: G = [z | c_cat one-hot | c_cont] → hidden → hidden → dims; D's body
 * dims → hidden → hidden (ReLU), feeding two linear heads: D's real/fake logit and Q's outputs
 * (categorical logits | continuous means). On images (the paper's MNIST experiment: a 10-way
 * categorical code and 2 continuous ones, 62 noise variables): DCGAN's G with the codes
 * concatenated to z, D's body DCGAN's conv trunk with batch norm, its flattened last feature
 * map read by both linear heads; Adam 2e-4 for D and Q and 1e-3 for G (the paper's appendix;
 * `gLr`: with G at 2e-4 too the categorical code barely learnt the digit, docs/tuning.md), batch 64.
 *
 * for each step:
 *   x ~ data, z ~ N(0, I), c ~ p(c); h = body(G(z, c))
 *   L_I = λ_cat · CE(c_cat, Q_cat(h)) + λ_cont · mean (c_cont − Q_cont(h))²          ("mi_loss")
 *   θ_D, θ_body, θ_Q ← Adam(∇ [ mean softplus(−D(x)) + mean softplus(D_head(h)) + L_I ])
 *   z ~ N(0, I), c ~ p(c); h = body(G(z, c))
 *   θ_G ← Adam(∇ [ mean softplus(−D_head(h)) + L_I ])
 *
 * So Q and the shared body descend L_I with D's optimiser and G descends it with its own — the
 * paper's min over G and Q, without PyTorch-GAN's third optimiser over all parameters. Reported
 * per step: d_loss and g_loss (the adversarial parts only) and mi_loss (L_I of the G step).
 * `sample(n, rng, { label })` fixes the categorical code to `label` (other codes random).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition } from '../family.js';
import { Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import { adam, disposeAll } from './model-state.js';
import { adversarialPair, sampleGenerator } from './adversarial-pair.js';
import { batchTensor, gaussianNoise, oneHot } from './tensors.js';
import { usageError } from '@gen-eval/metrics/errors';
import { GAN_LOSSES, lossSpec } from './losses.js';
import { int, real, withDefault } from '../hyper-param-schema.js';
import { GAN_HYPER_PARAMS } from './shared-hyper-params.js';

/** Images: the paper's MNIST codes (10-way categorical, 2 continuous; z of 62), DCGAN's optimiser, G at its 1e-3. */
const hyperParams = {
  ...GAN_HYPER_PARAMS,
  latentDim: withDefault(GAN_HYPER_PARAMS.latentDim, { points: 64, images: 62 }),
  // The code-recovery metric (infogan-codes.ts) scores up to 20 classes.
  catCodes: int({ min: 0, max: 20, default: { points: 8, images: 10 }, help: 'classes of the categorical code (0: none)' }),
  contCodes: int({ min: 0, max: 64, default: 2, help: 'number of continuous codes ~ U(−1, 1) (0: none)' }),
  lambdaCat: real({ min: 0, max: 1000, default: 1, help: 'weight λ of the categorical information term (cross-entropy)' }),
  lambdaCont: real({ min: 0, max: 1000, default: 0.1, help: 'weight of the continuous information term (squared error; fixed-σ Gaussian)' }),
  gLr: real({ min: 0, default: { points: 0, images: 1e-3 }, help: "G's Adam learning rate (0: the same as lr, which D and Q use)" }),
};

/** One draw of the latent codes, host side (from the step's Rng). */
interface Codes {
  readonly cat: Int32Array;
  readonly cont: Float32Array;
}

export const infogan: FamilyDefinition<typeof hyperParams> = {
  name: 'infogan',
  title: 'InfoGAN (Chen et al. 2016): latent codes kept recoverable by an auxiliary Q network',
  defaultData: 'ring-easy',
  // `sample`'s `code` fixes the categorical code (one of catCodes values).
  condition: { kind: 'code', categorical: 'catCodes' },
  hyperParams,
  metrics: { ...GAN_LOSSES, mi_loss: lossSpec('mutual-information loss', [0, Infinity]) },
  create(ctx) {
    const { tf, hp, rng } = ctx;
    const { catCodes, contCodes } = hp;
    if (catCodes + contCodes === 0) throw usageError('infogan needs at least one latent code (catCodes or contCodes > 0)');
    const codeDim = catCodes + contCodes;

    // D = body then head; D.features(x) is the body's output (after its non-linearity), the
    // shared hidden representation both heads read. Variables D.body.*, D.head.* (2-D).
    const { G, D, optD, optG, model } = adversarialPair(ctx, {
      gCondDim: codeDim,
      D: { norm: ctx.data.image ? 'batch' : 'none', bodyHeadNames: true },
      optimizer: (net) => adam(tf, net === 'G' && hp.gLr > 0 ? { ...hp, lr: hp.gLr } : hp),
    });
    const body = (x: tfNs.Tensor2D): tfNs.Tensor2D => D.features(x);
    const dHead = (h: tfNs.Tensor2D): tfNs.Tensor2D => D.head(h);
    // Q's head, drawn after D from the same Rng, trained with D's optimiser.
    const qHead = new Mlp(tf, rng, [D.featureDim, codeDim]);
    const variables = new Map([...model.variables, ...qHead.namedVariables('Q.head')]);
    const dVars = [...D.trainable(), ...qHead.trainable()];

    const drawCodes = (rng: Rng, n: number, label?: number): Codes => ({
      cat: catCodes > 0 ? (label === undefined ? rng.ints(n, catCodes) : new Int32Array(n).fill(label)) : new Int32Array(0),
      cont: rng.uniforms(n * contCodes, -1, 1),
    });
    /** The codes as G's extra input columns: [one-hot(cat) | cont]. */
    const codeTensor = (c: Codes, n: number): tfNs.Tensor2D => {
      const parts: tfNs.Tensor2D[] = [];
      if (catCodes > 0) parts.push(oneHot(tf, c.cat, catCodes));
      if (contCodes > 0) parts.push(tf.tensor2d(c.cont, [n, contCodes]));
      return parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tfNs.Tensor2D);
    };
    /** L_I for features h of fakes made from codes c. */
    const infoLoss = (h: tfNs.Tensor2D, c: Codes, n: number): tfNs.Scalar => {
      const q = qHead.apply(h);
      let loss: tfNs.Scalar = tf.scalar(0);
      if (catCodes > 0) {
        const logits = tf.slice(q, [0, 0], [n, catCodes]);
        const ce = tf.neg(tf.mean(tf.sum(tf.mul(oneHot(tf, c.cat, catCodes), tf.logSoftmax(logits)), 1)));
        loss = tf.add(loss, tf.mul(ce, hp.lambdaCat));
      }
      if (contCodes > 0) {
        const mu = tf.slice(q, [0, catCodes], [n, contCodes]);
        const mse = tf.mean(tf.squaredDifference(mu, tf.tensor2d(c.cont, [n, contCodes])));
        loss = tf.add(loss, tf.mul(mse, hp.lambdaCont));
      }
      return loss;
    };
    const fakes = (rng: Rng, n: number): { x: tfNs.Tensor2D; codes: Codes } => {
      const z = gaussianNoise(tf, rng, n, hp.latentDim);
      const codes = drawCodes(rng, n);
      return { x: G.apply(z, { cond: codeTensor(codes, n) }), codes };
    };

    return {
      ...model,
      variables,
      dispose: () => disposeAll(variables, model.optimizers),
      step(batches, rng) {
        const batch = batches();
        // D's update descends adversarial + information loss; d_loss reports the adversarial part.
        const d = tf.tidy(() => {
          const x = batchTensor(tf, batch);
          const fake = fakes(rng, batch.n);
          return optD.minimize(() => {
            const h = body(fake.x);
            const adv = tf.add(tf.mean(tf.softplus(tf.neg(dHead(body(x))))), tf.mean(tf.softplus(dHead(h)))) as tfNs.Scalar;
            return { loss: tf.add(adv, infoLoss(h, fake.codes, batch.n)) as tfNs.Scalar, adv };
          }, dVars);
        });
        const n = hp.batchSize;
        const g = tf.tidy(() =>
          optG.minimize(() => {
            const fake = fakes(rng, n);
            const h = body(fake.x);
            const adv = tf.mean(tf.softplus(tf.neg(dHead(h)))) as tfNs.Scalar;
            const info = infoLoss(h, fake.codes, n);
            return { loss: tf.add(adv, info) as tfNs.Scalar, adv, info };
          }, G.trainable()),
        );
        const [dLoss, gLoss, mi] = [d.adv, g.adv, g.info];
        return { d_loss: dLoss, g_loss: gLoss, mi_loss: mi };
      },
      sample(n, rng, opts) {
        const label = opts?.label;
        if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < catCodes)) {
          throw usageError(`label (the categorical code) must be an integer in [0, ${catCodes - 1}], got ${label}`);
        }
        return sampleGenerator(tf, G, hp.latentDim, n, rng, (count) => codeTensor(drawCodes(rng, count, label), count));
      },
    };
  },
};
