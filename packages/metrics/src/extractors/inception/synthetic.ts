/**
 * Seeded synthetic FID-Inception weights: every key, shape and dtype of pytorch-fid's state dict,
 * drawn exactly as fixtures/scripts/gen_inception.py draws them from np.random.RandomState(seed),
 * so tests (ours and the pipeline's) get the real network's structure without the real weights.
 * Not meaningful features — only a faithful, well-conditioned stand-in (He-scaled convolutions,
 * BatchNorm statistics near 1, activations stay O(1) through all 94 layers).
 */
import { RandomState } from '../../random.js';
import type { StateDict, TorchTensor } from '../torch/pth-reader.js';
import { INCEPTION_CONVS, NUM_CLASSES, POOL3_DIM } from './architecture.js';

/**
 * Draw order (must match gen_inception.py): for each conv in state-dict order
 *   conv.weight = N(0,1)·√(2/fan_in), bn.weight = 0.8 + 0.4·U, bn.bias = 0.1·N, bn.running_mean = 0.1·N,
 *   bn.running_var = 0.6 + 0.8·U, bn.num_batches_tracked = int64 0 (no draw);
 * then fc.weight = N·√(1/2048), fc.bias = 0.1·N. Each value is a float64 rounded once to float32.
 */
export function syntheticInceptionStateDict(seed: number): StateDict {
  const rs = new RandomState(seed);
  const sd: StateDict = new Map();
  const put = (key: string, shape: number[], data: Float32Array, dtype: TorchTensor['dtype'] = 'float32') => sd.set(key, { shape, dtype, data });
  const normal = (shape: number[], scale: number): Float32Array => {
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < out.length; i++) out[i] = rs.normal() * scale;
    return out;
  };
  const uniform = (shape: number[], lo: number, width: number): Float32Array => {
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < out.length; i++) out[i] = lo + width * rs.random();
    return out;
  };
  for (const c of INCEPTION_CONVS) {
    const w = [c.cout, c.cin, c.kh, c.kw];
    put(`${c.name}.conv.weight`, w, normal(w, Math.sqrt(2 / (c.cin * c.kh * c.kw))));
    put(`${c.name}.bn.weight`, [c.cout], uniform([c.cout], 0.8, 0.4));
    put(`${c.name}.bn.bias`, [c.cout], normal([c.cout], 0.1));
    put(`${c.name}.bn.running_mean`, [c.cout], normal([c.cout], 0.1));
    put(`${c.name}.bn.running_var`, [c.cout], uniform([c.cout], 0.6, 0.8));
    put(`${c.name}.bn.num_batches_tracked`, [], new Float32Array(1), 'int64');
  }
  put('fc.weight', [NUM_CLASSES, POOL3_DIM], normal([NUM_CLASSES, POOL3_DIM], Math.sqrt(1 / POOL3_DIM)));
  put('fc.bias', [NUM_CLASSES], normal([NUM_CLASSES], 0.1));
  return sd;
}
