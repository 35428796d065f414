/**
 * Seeded synthetic DINOv2 weights in the official key order, drawn exactly as
 * fixtures/scripts/gen_dinov2_golden.py draws them from np.random.RandomState(seed): LayerNorm
 * weights and LayerScale γ = 1 + 0.1·N, every other tensor 0.05·N, each value rounded once to float32.
 */
import { RandomState } from '../../random.js';
import type { StateDict } from '../torch/pth-reader.js';
import { dinov2Keys, type Dinov2Arch } from './architecture.js';

/** A state dict of `depth` blocks of `arch` (tests and benchmarks only: not meaningful features). */
export function syntheticDinov2StateDict(arch: Dinov2Arch, depth: number, seed: number): StateDict {
  const rs = new RandomState(seed);
  const sd: StateDict = new Map();
  for (const { key, shape } of dinov2Keys(arch, depth)) {
    const unit = /(\.gamma|(^|\.)norm\d*\.weight)$/.test(key);
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      const x = rs.normal();
      data[i] = unit ? 1 + 0.1 * x : 0.05 * x;
    }
    sd.set(key, { shape, dtype: 'float32', data });
  }
  return sd;
}
