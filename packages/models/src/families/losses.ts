/**
 * Loss keys that several families report under one meaning, declared once (each family lists
 * the ones it reports in its `metrics`, beside any of its own). A loss is lower-is-better within
 * one run and never ranked against other families (kind `loss` of the metric table).
 */
import type { MetricSpec } from '@gen-eval/metrics';

const loss = (label: string, range: readonly [number, number] = [-Infinity, Infinity]): MetricSpec => ({ label, direction: 'lower', range, unit: '', kind: 'loss' });

/** The adversarial pair's losses: discriminator (critic) and generator objectives. */
export const GAN_LOSSES = { d_loss: loss('discriminator loss'), g_loss: loss('generator loss') } as const satisfies Record<string, MetricSpec>;

/** The one training objective of a likelihood or denoising model (−ELBO, NLL, ε-MSE). */
export const LOSS = { loss: loss('loss') } as const satisfies Record<string, MetricSpec>;

/** A loss spec of the metric table's shape (lower is better, kind `loss`). */
export { loss as lossSpec };

/** The critic's running Wasserstein-1 estimate, mean D(x) − mean D(G(z)): reported, not minimised. */
export const W_ESTIMATE: MetricSpec = { label: 'Wasserstein estimate', direction: 'none', range: [-Infinity, Infinity], unit: '', kind: 'loss' };
