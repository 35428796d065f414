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

/**
 * A network made of named parts: its variables (under `${prefix}.${name}`), its trainable list and
 * its disposal follow the parts in order — the names a checkpoint stores and the order an
 * optimiser's slots take.
 */
export abstract class PartsModule implements ParamModule {
  /** The parts in order; a null part (an optional layer left out) holds nothing. */
  protected abstract parts(): readonly [string, ParamModule | null][];

  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(prefix, this.parts());
  }

  trainable(): Variable[] {
    return this.parts().flatMap(([, m]) => (m ? m.trainable() : []));
  }

  dispose(): void {
    for (const [, m] of this.parts()) m?.dispose();
  }
}

/** The variables of named parts (in order; null parts have none), each under `${prefix}.${name}`. */
export function namedVariablesOf(prefix: string, parts: readonly [string, ParamModule | null][]): [string, Variable][] {
  return parts.flatMap(([name, m]) => (m ? m.namedVariables(`${prefix}.${name}`) : []));
}
