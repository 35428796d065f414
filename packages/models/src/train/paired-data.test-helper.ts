/**
 * A paired image data set for tests of the loop's paired routes, built on MNIST without the data
 * slice's edge maps: each input is its target's every `scale`-th pixel (scale 1: the negated
 * image), so a test can tell inputs, outputs and targets apart and knows what a perfect model returns.
 */
import { resolveDataset } from '../data/datasets.js';
import type { Dataset } from '../data/dataset.js';
import type { Batch, SampleOptions } from '../family.js';
import type { Rng } from '../rng.js';

const SIDE = 28;

/** The input of each 28×28 target in `x`: every `scale`-th pixel (scale 1: −x). */
export function inputsOf(x: Float32Array, scale: number): Float32Array {
  if (scale === 1) return x.map((v) => -v);
  const s = SIDE / scale;
  const n = x.length / (SIDE * SIDE);
  const out = new Float32Array(n * s * s);
  for (let i = 0; i < n; i++) for (let y = 0; y < s; y++) for (let c = 0; c < s; c++) out[(i * s + y) * s + c] = x[(i * SIDE + y * scale) * SIDE + c * scale]!;
  return out;
}

/** MNIST paired with {@link inputsOf} its images, held-out pairs from its test split. */
export function pairedMnist(scale = 1): Dataset {
  const base = resolveDataset('mnist');
  const s = SIDE / scale;
  const pair = (b: Batch): Batch => ({ ...b, input: inputsOf(b.x, scale) });
  return {
    ...base,
    name: scale === 1 ? 'mnist-negated-pairs' : 'mnist-subsampled-pairs',
    input: { dims: s * s, image: { height: s, width: s, channels: 1 } },
    sample: (n: number, rng: Rng) => pair(base.sample(n, rng)),
    heldOut: (n: number, rng: Rng) => pair(base.heldOut!(n, rng)),
  };
}

/**
 * A model that undoes {@link inputsOf} (scale 1: negates back; else repeats each pixel), plus
 * `noise` times a uniform draw per image: 0 gives the targets exactly where scale is 1.
 */
export function inverseModel(scale: number, noise = 0) {
  return {
    sample(n: number, rng: Rng, o?: SampleOptions): Float32Array {
      const input = o!.input!;
      const s = SIDE / scale;
      const out = new Float32Array(n * SIDE * SIDE);
      for (let i = 0; i < n; i++) {
        const e = noise * rng.uniform();
        for (let y = 0; y < SIDE; y++)
          for (let c = 0; c < SIDE; c++) {
            const v = input[(i * s + Math.floor(y / scale)) * s + Math.floor(c / scale)]!;
            out[(i * SIDE + y) * SIDE + c] = Math.max(-1, Math.min(1, (scale === 1 ? -v : v) + e));
          }
      }
      return out;
    },
  };
}
