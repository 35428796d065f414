/**
 * CycleGAN (Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation using
 * Cycle-Consistent Adversarial Networks"): two generators G: A → B and F: B → A, trained on
 * unpaired samples of the two domains with two discriminators D_A, D_B, least-squares (LSGAN)
 * adversarial losses (§4, "Training details") and the cycle-consistency loss (eq. 2):
 *
 *   L_cyc = E_a ‖F(G(a)) − a‖₁ + E_b ‖G(F(b)) − b‖₁
 *
 * for each step:
 *   a ~ domain A (the batch's x), b ~ domain B (the batch's y, data set `dataB`)
 *   G, F ← Adam(∇ [ mean (D_B(G(a)) − 1)² + mean (D_A(F(b)) − 1)²
 *                   + λ L_cyc + λ_id (‖G(b) − b‖₁ + ‖F(a) − a‖₁) ])
 *   D_A, D_B ← Adam(∇ ½[ mean (D_B(b) − 1)² + mean D_B(G(a))² ]
 *                    + ½[ mean (D_A(a) − 1)² + mean D_A(F(b))² ])     (½ as in §4)
 *
 * ‖·‖₁ is PyTorch's L1Loss as the authors' released code (junyanz/pytorch-CycleGAN-and-pix2pix)
 * uses it: the mean absolute difference over every element. The reported `cycle_loss` is L_cyc
 * before the λ weight (so it reads in data units);
 * `g_loss` is the whole generator objective, λ included. The paper's history buffer of 50 fakes
 * is left out: it fights oscillation of image discriminators, and 2-D MLPs do not need it.
 *
 * Generators are residual, x + MLP(x): the translation between two similar point sets is close to
 * the identity, and the residual form starts near it. The default second domain, ring-easy-rot,
 * is ring-easy rotated by π/8, so G should learn (about) that rotation and F its inverse.
 *
 * `sample(n, rng, { from, input })` translates `input` (n × dims points of the source domain):
 * from 'a' (default) with G into domain B, from 'b' with F into domain A. The model holds no
 * data of its own, so `sample` without `input` throws; the training loop passes held-out points.
 *
 * Images (`data.image` set; the same algorithm box, other networks): G and F are nn/translator.ts's
 * ResnetTranslator (conv stem → stride-2 conv → 3 residual blocks → ConvT up → conv → tanh,
 * instance norm, `hidden` channels at full resolution), D_A and D_B its PatchDiscriminator (LSGAN
 * scores on a map of patches; the loss averages over patches, as the authors' code does). For the
 * pair mnist ↔ mnist-inverted (`--hp dataB=mnist-inverted`, the image default) G and F should
 * each learn x ↦ −x. The identity loss stays off by default (the paper uses it only for
 * painting ↔ photo; an inversion is the opposite of the identity), and the 50-image history
 * buffer is still left out (its contents would be training state to checkpoint). Image
 * defaults: batch 16, width 16, the paper's Adam 2e-4, β1 0.5 and λ 10, which learn x ↦ −x on
 * MNIST within two minutes of CPU (docs/tuning.md, GAN families).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition, Optimizer, TF, TrainableModel, Variable } from '../family.js';
import { Mlp } from '../nn/mlp.js';
import { PatchDiscriminator, ResnetTranslator } from '../nn/translator.js';
import { adam, disposeAll, namedVariables } from './model-state.js';
import { batchTensor } from './tensors.js';
import { usageError } from '@gen-eval/metrics/errors';
import { dataSet, real, type HpValues } from '../hyper-param-schema.js';
import { GAN_LOSSES, lossSpec } from './losses.js';
import { adamHyperParams, batchSize, width } from './shared-hyper-params.js';

/** The paper's Adam 2e-4, β1 0.5 and λ 10; images: batch 16 and width 16 (CPU-sized). */
const hyperParams = {
  ...adamHyperParams({ batchSize: 256, lr: 2e-4, beta1: 0.5, beta2: 0.999 }, 'Adam learning rate (generators and discriminators)'),
  batchSize: batchSize({ points: 256, images: 16 }, 'samples per batch (of each domain)'),
  hidden: width({ points: 128, images: 16 }, 'width of the two hidden layers of G, F, D_A and D_B (images: channels of their full-resolution convs)'),
  lambdaCycle: real({ min: 0, max: 1000, default: 10, help: 'weight λ of the cycle-consistency loss' }),
  lambdaIdentity: real({ min: 0, max: 1000, default: 0, help: 'weight of the identity loss ‖G(b) − b‖₁ + ‖F(a) − a‖₁ (0: off)' }),
  dataB: dataSet({ default: { points: 'ring-easy-rot', images: 'mnist-inverted' }, help: 'data set of domain B (unpaired with the training data, domain A)' }),
};

/** A residual generator x ↦ x + MLP(x). */
function residual(tf: TF, net: Mlp, x: tfNs.Tensor2D): tfNs.Tensor2D {
  return tf.add(x, net.apply(x)) as tfNs.Tensor2D;
}

/** Mean absolute difference over every element (PyTorch's L1Loss). */
function l1(tf: TF, a: tfNs.Tensor, b: tfNs.Tensor): tfNs.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b))) as tfNs.Scalar;
}

/** Mean squared distance of the scores from a target label (the LSGAN loss). */
function ls(tf: TF, scores: tfNs.Tensor, target: 0 | 1): tfNs.Scalar {
  return tf.mean(tf.square(target === 1 ? tf.sub(scores, 1) : scores)) as tfNs.Scalar;
}

export const cyclegan: FamilyDefinition<typeof hyperParams> = {
  name: 'cyclegan',
  title: 'CycleGAN (Zhu et al. 2017): unpaired translation A ↔ B, LSGAN losses + cycle consistency',
  defaultData: 'ring-easy',
  // Unpaired: G translates a → b, F b → a.
  condition: { kind: 'image', paired: false, from: ['a', 'b'] },
  hyperParams,
  metrics: { ...GAN_LOSSES, cycle_loss: lossSpec('cycle loss', [0, Infinity]) },
  create(ctx) {
    const { tf, hp, rng, data } = ctx;
    const d = data.dims;
    if (data.image) {
      const { height, channels } = data.image;
      const opts = { size: height, channels, width: hp.hidden };
      const G = new ResnetTranslator(tf, rng, opts);
      const F = new ResnetTranslator(tf, rng, opts);
      const DA = new PatchDiscriminator(tf, rng, opts);
      const DB = new PatchDiscriminator(tf, rng, opts);
      return translationModel(tf, hp, d, {
        G: (x) => G.apply(x),
        F: (x) => F.apply(x),
        DA: (x) => DA.apply(x),
        DB: (x) => DB.apply(x),
        variables: namedVariables([
          ['G', G],
          ['F', F],
          ['D_A', DA],
          ['D_B', DB],
        ]),
        genVars: [...G.trainable(), ...F.trainable()],
        discVars: [...DA.trainable(), ...DB.trainable()],
        chunk: 256,
      });
    }
    const G = new Mlp(tf, rng, [d, hp.hidden, hp.hidden, d]);
    const F = new Mlp(tf, rng, [d, hp.hidden, hp.hidden, d]);
    const DA = new Mlp(tf, rng, [d, hp.hidden, hp.hidden, 1]);
    const DB = new Mlp(tf, rng, [d, hp.hidden, hp.hidden, 1]);
    return translationModel(tf, hp, d, {
      G: (x) => residual(tf, G, x),
      F: (x) => residual(tf, F, x),
      DA: (x) => DA.apply(x),
      DB: (x) => DB.apply(x),
      variables: namedVariables([
        ['G', G],
        ['F', F],
        ['D_A', DA],
        ['D_B', DB],
      ]),
      genVars: [...G.trainable(), ...F.trainable()],
      discVars: [...DA.trainable(), ...DB.trainable()],
      chunk: 4096,
    });
  },
};

/** The four networks of a CycleGAN as functions of [N, dims] rows, and their variables. */
interface CycleNets {
  G: (x: tfNs.Tensor2D) => tfNs.Tensor2D;
  F: (x: tfNs.Tensor2D) => tfNs.Tensor2D;
  DA: (x: tfNs.Tensor2D) => tfNs.Tensor;
  DB: (x: tfNs.Tensor2D) => tfNs.Tensor;
  variables: Map<string, Variable>;
  genVars: Variable[];
  discVars: Variable[];
  /** Rows per network call when translating. */
  chunk: number;
}

type CycleHp = HpValues<typeof hyperParams>;

/** The algorithm box above, for any four networks. */
function translationModel(tf: TF, hp: CycleHp, d: number, nets: CycleNets): TrainableModel {
  const optG: Optimizer = adam(tf, hp);
  const optD: Optimizer = adam(tf, hp);
  const variables = nets.variables;
  const optimizers = new Map([
    ['G', optG],
    ['D', optD],
  ]);
  const { genVars, discVars } = nets;
  return {
    variables,
    optimizers,
    step(batches) {
      const batch = batches();
      // The fakes outlive the generators' tape: the discriminators' update uses them below.
      let fakes: tfNs.Tensor2D[] = [];
      const g = tf.tidy(() => {
        const a = batchTensor(tf, batch, 'x');
        const b = batchTensor(tf, batch, 'y');
        return optG.minimize(() => {
          const fakeB = nets.G(a);
          const fakeA = nets.F(b);
          const adv = tf.add(ls(tf, nets.DB(fakeB), 1), ls(tf, nets.DA(fakeA), 1));
          const cycle = tf.add(l1(tf, nets.F(fakeB), a), l1(tf, nets.G(fakeA), b)) as tfNs.Scalar;
          fakes = [tf.keep(fakeB), tf.keep(fakeA)];
          let total = tf.add(adv, tf.mul(hp.lambdaCycle, cycle));
          if (hp.lambdaIdentity > 0) {
            total = tf.add(total, tf.mul(hp.lambdaIdentity, tf.add(l1(tf, nets.G(b), b), l1(tf, nets.F(a), a))));
          }
          return { loss: total as tfNs.Scalar, cycle };
        }, genVars);
      });
      // Then the discriminators, on the same fakes (made before the generators' update and
      // outside this tape, so detached), the order of the two updates in the authors' code.
      const [fakeB, fakeA] = fakes as [tfNs.Tensor2D, tfNs.Tensor2D];
      const dLoss = tf.tidy(() => {
        const a = batchTensor(tf, batch, 'x');
        const b = batchTensor(tf, batch, 'y');
        return optD.minimize(() => {
          const lB = tf.add(ls(tf, nets.DB(b), 1), ls(tf, nets.DB(fakeB), 0));
          const lA = tf.add(ls(tf, nets.DA(a), 1), ls(tf, nets.DA(fakeA), 0));
          return tf.mul(0.5, tf.add(lA, lB)) as tfNs.Scalar;
        }, discVars);
      }).loss;
      fakeA.dispose();
      fakeB.dispose();
      return { d_loss: dLoss, g_loss: g.loss, cycle_loss: g.cycle };
    },
    sample(n, _rng, opts = {}) {
      const from = opts.from ?? 'a';
      const input = opts.input;
      if (!input) {
        throw usageError(
          `cyclegan translates points between domains and cannot draw domain ${from.toUpperCase()} itself: pass sample(n, rng, { from, input }) with n × ${d} points`,
        );
      }
      if (input.length !== n * d) throw usageError(`cyclegan sample: input holds ${input.length} values, expected n × dims = ${n * d}`);
      const net = from === 'a' ? nets.G : nets.F;
      const out = new Float32Array(n * d);
      const chunk = nets.chunk;
      for (let start = 0; start < n; start += chunk) {
        const count = Math.min(chunk, n - start);
        const y = tf.tidy(() => net(tf.tensor2d(input.subarray(start * d, (start + count) * d), [count, d])));
        out.set(y.dataSync(), start * d);
        y.dispose();
      }
      return out;
    },
    dispose: () => disposeAll(variables, optimizers),
  };
}
