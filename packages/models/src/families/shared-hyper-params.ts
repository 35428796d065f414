/**
 * Hyper-parameters that several families share, declared once: each family states its own
 * defaults for them (and may word their help its own way). The measurements behind the defaults
 * are in docs/tuning.md.
 */
import { int, real, type IntHp, type PerKind, type RealHp } from '../hyper-param-schema.js';

type Default = number | PerKind<number>;

/** Largest batch: 65 536 points; 1 024 images (a batch of 64 px RGB images is 50 MB). */
export const MAX_BATCH = { points: 65_536, images: 1024 } as const;

/** Samples per batch (every family). */
export const batchSize = (d: Default, help = 'samples per batch'): IntHp => int({ min: 1, max: MAX_BATCH.points, imageMax: MAX_BATCH.images, default: d, help });

/** The learning rate (every family). No upper bound: a rate too large for the data shows as divergence, which the loop detects. */
export const lr = (d: Default, help = 'Adam learning rate'): RealHp => real({ min: 0, minExclusive: true, default: d, help });

/** Adam's β1: a moving-average decay, in [0, 1). */
export const beta1 = (d: Default): RealHp => real({ min: 0, max: 1, maxExclusive: true, default: d, help: 'Adam β1' });

/** Adam's β2: a moving-average decay, in [0, 1). */
export const beta2 = (d: Default): RealHp => real({ min: 0, max: 1, maxExclusive: true, default: d, help: 'Adam β2' });

/**
 * A network width: up to 4096 units on 2-D data; on images the conv width doubles per level, so
 * 256 already gives 2048-channel layers at 64 px.
 */
export const width = (d: Default, help: string): IntHp => int({ min: 1, max: 4096, imageMax: 256, default: d, help });

/** Dimensions of a latent z. */
export const latentDim = (d: Default, help = "dimension of the generator's Gaussian noise z"): IntHp => int({ min: 1, max: 4096, default: d, help });

/**
 * Discriminator (critic) updates per generator update — one name in every family (wgan and
 * wgan-gp called it nCritic, sngan nDis: runs of older builds are read under this name). A
 * training step is synchronous, so a signal is handled between steps only; the cap keeps one step
 * short (papers use 1–5).
 */
export const dSteps = (d: Default, help = 'discriminator (critic) updates per generator update', formerly?: readonly string[]): IntHp =>
  int({ min: 1, max: 20, default: d, help, ...(formerly ? { formerly } : {}) });

/** The common Adam hyper-parameters with one family's defaults. */
export const adamHyperParams = (d: { batchSize: Default; lr: Default; beta1: Default; beta2: Default }, lrHelp?: string) => ({
  batchSize: batchSize(d.batchSize),
  lr: lr(d.lr, lrHelp),
  beta1: beta1(d.beta1),
  beta2: beta2(d.beta2),
});

/**
 * The GAN families' shared setting. 2-D: G = MLP latent 64 → 128 → 128 → 2, D = MLP 2 → 128 →
 * 128 → 1, ReLU, batch 256, Adam(1e-3, β = (0.5, 0.999)) — DCGAN's β1, and the learning rate that
 * covers ring-easy's modes (docs/tuning.md). Images: DCGAN's setting (Radford et al. 2016): Adam
 * 2e-4, β = (0.5, 0.999), batch 64, z of 100 dimensions; `hidden`, the conv channel width, is
 * CPU-sized: 32 (DCGAN used 64 → 1024 channels at 64 px).
 */
export const GAN_HYPER_PARAMS = {
  ...adamHyperParams({ batchSize: { points: 256, images: 64 }, lr: { points: 1e-3, images: 2e-4 }, beta1: 0.5, beta2: 0.999 }, 'Adam learning rate (G and D)'),
  latentDim: latentDim({ points: 64, images: 100 }),
  hidden: width({ points: 128, images: 32 }, 'width of G and D: 2-D data, their two hidden layers; images, the conv channel width (doubling per level)'),
};
