/**
 * The TensorFlow.js types every layer of the package names: a file of its own so that the family
 * contract (family.ts) and the optimisers (nn/optimizers.ts), which each need the other's types,
 * do not import each other.
 */
import type * as tfNs from '@tensorflow/tfjs';

/** The TensorFlow.js namespace a model is built with (the backend is chosen at run time). */
export type TF = typeof tfNs;
/** A trainable TensorFlow.js variable. */
export type Variable = tfNs.Variable;
