/**
 * Inputs shared by the tests against fixtures/golden/metrics (gen_metrics.py):
 * inputs are regenerated from their seed instead of being committed (the tolerance is
 * GOLDEN_TOLERANCE of ./testing/expect.ts).
 */
import type { Matrix } from './matrix.js';
import { RandomState } from './random.js';

/** How gen_metrics.py made an input: RandomState(seed).standard_normal(n·d) · scale + shift. */
export interface Spec {
  seed: number;
  n: number;
  d: number;
  scale: number;
  shift: number;
}

/** The golden script's input, bit-identical (our RandomState reproduces numpy's stream). */
export function fromSpec(s: Spec): Matrix & { data: Float64Array } {
  const data = new RandomState(s.seed).normals(s.n * s.d);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * s.scale + s.shift;
  return { rows: s.n, cols: s.d, data };
}
