/**
 * A model's state as the loop checkpoints it: its variables by name and its optimisers (ours:
 * nn/optimizers.ts, whose state restores exactly; never tf.train.*), built and released the same
 * way by every family.
 */
import type { Optimizer, TF, Variable } from '../family.js';
import { Adam, RmsProp } from '../nn/optimizers.js';

/** Adam with the family's lr and betas (our Adam: its state checkpoints exactly; never tf.train.*). */
export function adam(tf: TF, hp: { lr: number; beta1: number; beta2: number }): Optimizer {
  return new Adam(tf, hp.lr, hp.beta1, hp.beta2);
}

/** RMSprop with PyTorch's defaults (α = 0.99) at learning rate `lr` (never tf.train.*). */
export function rmsprop(tf: TF, lr: number): Optimizer {
  return new RmsProp(tf, lr);
}

/** Anything whose variables have names under a prefix (Mlp, Network, the conv modules). */
export interface Named {
  namedVariables(prefix: string): [string, Variable][];
}

/** Map of named variables from [prefix, network] pairs, plus any extra named variables. */
export function namedVariables(nets: [string, Named][], extra: [string, Variable][] = []): Map<string, Variable> {
  return new Map([...nets.flatMap(([p, net]) => net.namedVariables(p)), ...extra]);
}

/**
 * The checkpointed state of a generator–discriminator pair, each with its own optimiser: variables
 * `G.*` then `D.*`, optimisers `D` then `G` (the names and order every GAN family's checkpoints hold).
 */
export function pairState(G: Named, D: Named, optG: Optimizer, optD: Optimizer): { variables: Map<string, Variable>; optimizers: Map<string, Optimizer> } {
  const variables = namedVariables([
    ['G', G],
    ['D', D],
  ]);
  const optimizers = new Map([
    ['D', optD],
    ['G', optG],
  ]);
  return { variables, optimizers };
}

/** Disposes every variable and optimiser of a model. */
export function disposeAll(variables: ReadonlyMap<string, Variable>, optimizers: ReadonlyMap<string, Optimizer>): void {
  for (const v of variables.values()) v.dispose();
  for (const o of optimizers.values()) o.dispose();
}
