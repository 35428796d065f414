import * as tf from '@tensorflow/tfjs';

/** Runs f in a tfjs scope that frees every tensor it made (tf.tidy only returns tensors). */
export function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}
