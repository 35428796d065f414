/**
 * CLIP's text tower (openai/CLIP `clip/model.py`, `CLIP.encode_text`) as an ONNX graph:
 * token embedding + positional embedding, the causal pre-LN transformer (shared builder, QuickGELU),
 * ln_final, the features at the end-of-text token, `@ text_projection`, then L2-normalised.
 */
import { internalError } from '../../errors.js';
import { DataType, encodeModel } from '../../onnx/proto.js';
import type { StateDict } from '../torch/pth-reader.js';
import { TransformerGraph } from '../vit/transformer-graph.js';
import { clipLayerNorm, clipTensor, clipTransformerWeights } from './clip-blocks.js';

/** Bumped whenever the graph below changes (cached networks are keyed by it). */
export const CLIP_TEXT_GRAPH_VERSION = 1;

/** Shape of a CLIP text tower, read from its state dict as `clip/model.py`'s `build_model` does. */
export interface ClipTextConfig {
  width: number;
  layers: number;
  heads: number;
  contextLength: number;
  vocabSize: number;
  embedDim: number;
}

/** Infers the text tower's shape from official key names; `heads` defaults to width / 64 (as `build_model`). */
export function clipTextConfig(weights: StateDict, heads?: number): ClipTextConfig {
  const [vocabSize, width] = clipTensor(weights, 'token_embedding.weight').shape as [number, number];
  const [contextLength] = clipTensor(weights, 'positional_embedding').shape as [number];
  const [, embedDim] = clipTensor(weights, 'text_projection').shape as [number, number];
  let layers = 0;
  while (weights.has(`transformer.resblocks.${layers}.ln_1.weight`)) layers++;
  return { width, layers, heads: heads ?? Math.floor(width / 64), contextLength, vocabSize, embedDim };
}

/**
 * Encodes the text tower as ONNX bytes (opset 17). Inputs: `ids` int64 [batch, context] (as
 * `clipTokenize`), `eot` float [batch, 1, context] one-hot at each row's end-of-text token (the
 * reference's `text.argmax(dim=-1)`). Output: `embeddings` [batch, embedDim], L2-normalised.
 */
export function buildClipTextGraph(weights: StateDict, config: ClipTextConfig): Uint8Array {
  const { width, contextLength: ctx, embedDim, vocabSize } = config;
  if (config.heads < 1 || width % config.heads !== 0) throw internalError(`CLIP text tower: width ${width} is not a multiple of ${config.heads} heads`);
  const g = new TransformerGraph();
  const emb = g.constant('token_embedding', [vocabSize, width], clipTensor(weights, 'token_embedding.weight').data);
  let x = g.op('Gather', [emb, 'ids'], 'embedded');
  x = g.op('Add', [x, g.constant('positional_embedding', [ctx, width], clipTensor(weights, 'positional_embedding').data)], 'positioned');
  // Causal mask as `build_attention_mask`: −∞ above the diagonal.
  const mask = new Float32Array(ctx * ctx);
  for (let i = 0; i < ctx; i++) for (let j = i + 1; j < ctx; j++) mask[i * ctx + j] = -Infinity;
  const blocks = clipTransformerWeights(weights, 'transformer.resblocks.', config.heads);
  x = g.layerNorm(g.transformer(x, blocks, { tokens: ctx, values: mask }), clipLayerNorm(weights, 'ln_final'), 1e-5, 'ln_final');
  const pooled = g.op('Reshape', [g.op('MatMul', ['eot', x], 'eot_features'), g.int64('rows', [-1, width])], 'pooled');
  const projected = g.op('MatMul', [pooled, g.constant('text_projection', [width, embedDim], clipTensor(weights, 'text_projection').data)], 'text_features');
  const norm = g.op('ReduceL2', [projected], 'norm', { axes: { kind: 'ints', value: [1] }, keepdims: { kind: 'int', value: 1 } });
  g.nodes.push({ op: 'Div', name: 'embeddings', inputs: [projected, norm], outputs: ['embeddings'] });
  return encodeModel({
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: 'ids', dataType: DataType.INT64, dims: ['batch', ctx] },
      { name: 'eot', dataType: DataType.FLOAT, dims: ['batch', 1, ctx] },
    ],
    outputs: [{ name: 'embeddings', dataType: DataType.FLOAT, dims: ['batch', embedDim] }],
    graphName: 'clip-text',
    opset: 17,
  });
}
