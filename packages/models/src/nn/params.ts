/**
 * What every layer and network with parameters offers (ParamModule), and the two helpers they
 * share: a variable filled from drawn values, and the named variables of a module's parts (the
 * names a checkpoint stores).
 */
import type { TF, Variable } from '../family.js';

/** Anything holding parameters: enumerable for optimisers and checkpoints, and disposable. */
export interface ParamModule {
  /** Every variable (trainable and persistent state) as [`${prefix}.…`, variable] pairs. */
  namedVariables(prefix: string): [string, Variable][];
  /** The trainable variables, in a fixed order (an optimiser's var list). */
  trainable(): Variable[];
  dispose(): void;
}

/** A variable of `shape` filled from `values` (the initial tensor is released). */
export function variableFrom(tf: TF, values: Float32Array, shape: number[], trainable = true): Variable {
  const t = tf.tensor(values, shape, 'float32');
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/** The variables of named parts (in order; null parts have none), each under `${prefix}.${name}`. */
export function namedVariablesOf(prefix: string, parts: readonly [string, ParamModule | null][]): [string, Variable][] {
  return parts.flatMap(([name, m]) => (m ? m.namedVariables(`${prefix}.${name}`) : []));
}
