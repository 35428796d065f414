/**
 * ONNX graph of a pre-LN vision transformer (DINOv2, CLIP's image tower): optional per-channel
 * input normalisation, patch embedding (Conv with kernel = stride = patch), class token, position
 * embedding (already at the input's patch grid), optional ln_pre, the blocks, the final LayerNorm,
 * and the class token as output (optionally projected, as CLIP's `x @ proj`).
 *
 * Input `images`: float32 NCHW [batch, C, H, W]. Output `features`: [batch, dim or projection width].
 */
import { DataType, type ModelSpec } from '../../onnx/proto.js';
import { internalError } from '../../errors.js';
import { TransformerGraph, type LayerNormWeights, type TransformerWeights } from './transformer-graph.js';

/** Everything `buildVitModel` needs: geometry, weights (torch layouts) and options. */
export interface VitWeights extends TransformerWeights {
  readonly inChannels: number;
  readonly patchSize: number;
  /** Input height and width; both multiples of `patchSize`. */
  readonly imageSize: readonly [number, number];
  /** Conv weight [dim, inChannels, patch, patch]. */
  readonly patchWeight: Float32Array;
  /** Conv bias [dim] (DINOv2 has one, CLIP does not). */
  readonly patchBias?: Float32Array;
  /** The class token [dim]. */
  readonly classToken: Float32Array;
  /** Position embedding [1 + gridH·gridW, dim] at this input's grid (interpolate beforehand). */
  readonly posEmbed: Float32Array;
  /** CLIP's ln_pre, applied after adding the position embedding. */
  readonly lnPre?: LayerNormWeights;
  /** Final LayerNorm (DINOv2 `norm`, CLIP `ln_post` — which CLIP applies to the class token only; same result). */
  readonly norm: LayerNormWeights;
  /** Optional projection [dim, outDim] applied as cls·P (CLIP's `proj`). */
  readonly projection?: { readonly matrix: Float32Array; readonly outDim: number };
  /** Optional input normalisation (x − mean)/std per channel, inside the graph. */
  readonly normalize?: { readonly mean: readonly number[]; readonly std: readonly number[] };
}

/** Builds the model spec (nodes, initializers, inputs, outputs); encode with `encodeModel`. */
export function buildVitModel(w: VitWeights): ModelSpec {
  const g = new TransformerGraph();
  const [h, wd] = w.imageSize;
  const p = w.patchSize;
  if (h % p !== 0 || wd % p !== 0) throw internalError(`vit graph: input ${h}×${wd} is not a multiple of patch ${p}`);
  const tokens = 1 + (h / p) * (wd / p);
  let x = 'images';
  if (w.normalize) {
    const c = w.inChannels;
    const mean = g.constant('mean', [1, c, 1, 1], Float32Array.from(w.normalize.mean));
    const std = g.constant('std', [1, c, 1, 1], Float32Array.from(w.normalize.std));
    x = g.op('Div', [g.op('Sub', [x, mean], 'center'), std], 'normalized');
  }
  const convInputs = [x, g.constant('patch.w', [w.dim, w.inChannels, p, p], w.patchWeight)];
  if (w.patchBias) convInputs.push(g.constant('patch.b', [w.dim], w.patchBias));
  const conv = g.op('Conv', convInputs, 'patch', { kernel_shape: { kind: 'ints', value: [p, p] }, strides: { kind: 'ints', value: [p, p] } });
  const flat = g.op('Reshape', [conv, g.int64('patch.shape', [0, 0, -1])], 'patch.flat');
  const patches = g.op('Transpose', [flat], 'patch.tokens', { perm: { kind: 'ints', value: [0, 2, 1] } }); // [B, P, D]
  // Broadcast the class token to [B, 1, D]: Expand to (batch of the patches, 1, D).
  const batch = g.op('Slice', [g.op('Shape', [patches], 'shape'), g.int64('s0', [0]), g.int64('s1', [1])], 'batch');
  const clsShape = g.op('Concat', [batch, g.int64('cls.tail', [1, w.dim])], 'cls.shape', { axis: { kind: 'int', value: 0 } });
  const cls = g.op('Expand', [g.constant('cls', [1, 1, w.dim], w.classToken), clsShape], 'cls.batch');
  const seq = g.op('Concat', [cls, patches], 'tokens', { axis: { kind: 'int', value: 1 } });
  x = g.op('Add', [seq, g.constant('pos', [1, tokens, w.dim], w.posEmbed)], 'pos.add');
  if (w.lnPre) x = g.layerNorm(x, w.lnPre, w.eps, 'ln_pre');
  x = g.layerNorm(g.transformer(x, w), w.norm, w.eps, 'norm');
  const first = g.op('Gather', [x, g.int64('cls.index', [0])], 'cls.out', { axis: { kind: 'int', value: 1 } }); // [B, 1, D]
  let out = g.op('Flatten', [first], 'cls.flat', { axis: { kind: 'int', value: 1 } });
  let outDim = w.dim;
  if (w.projection) {
    out = g.op('MatMul', [out, g.constant('proj', [w.dim, w.projection.outDim], w.projection.matrix)], 'proj');
    outDim = w.projection.outDim;
  }
  g.nodes.push({ op: 'Identity', name: 'features', inputs: [out], outputs: ['features'] });
  return {
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: 'images', dataType: DataType.FLOAT, dims: ['batch', w.inChannels, h, wd] }],
    outputs: [{ name: 'features', dataType: DataType.FLOAT, dims: ['batch', outDim] }],
    opset: 17,
  };
}
