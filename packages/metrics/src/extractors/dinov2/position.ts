/**
 * DINOv2's `interpolate_pos_encoding`, computed once when the graph is built: the 37×37 patch
 * position embeddings resized by torch's bicubic interpolate with scale factor (grid + 0.1)/37 (the
 * hub's `interpolate_offset`, no antialiasing); the class token's embedding is kept.
 */
import { internalError } from '../../errors.js';
import { resizeTorchBicubic } from '../../image/resize-torch-bicubic.js';
import { DINOV2_INTERPOLATE_OFFSET } from './architecture.js';

/**
 * `pos` holds [1 + M², dim] values (M×M pretraining grid); returns [1 + grid², dim] for a
 * grid × grid input.
 */
export function interpolateDinov2PosEmbed(pos: Float32Array, dim: number, grid: number): Float32Array {
  const m = Math.round(Math.sqrt(pos.length / dim - 1));
  if ((1 + m * m) * dim !== pos.length) throw internalError(`dinov2 pos_embed: ${pos.length} values is not (1 + M²)·${dim}`);
  if (m === grid) return pos;
  // [M·M, dim] → [dim, M, M] (the permute before F.interpolate) → resize → back to [grid², dim].
  const chw = new Float32Array(dim * m * m);
  for (let p = 0; p < m * m; p++) for (let c = 0; c < dim; c++) chw[c * m * m + p] = pos[(1 + p) * dim + c]!;
  const s = (grid + DINOV2_INTERPOLATE_OFFSET) / m;
  const r = resizeTorchBicubic(chw, dim, m, m, { scaleFactor: [s, s] });
  if (r.height !== grid || r.width !== grid) throw internalError(`dinov2 pos_embed: interpolated to ${r.height}×${r.width}, expected ${grid}×${grid}`);
  const out = new Float32Array((1 + grid * grid) * dim);
  out.set(pos.subarray(0, dim));
  for (let p = 0; p < grid * grid; p++) for (let c = 0; c < dim; c++) out[(1 + p) * dim + c] = r.data[c * grid * grid + p]!;
  return out;
}
