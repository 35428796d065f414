/**
 * CLIP's text tower (openai/CLIP `clip/model.py`, `CLIP.encode_text`) as an ONNX graph:
 * token embedding + positional embedding, a causal pre-LayerNorm transformer with QuickGELU MLPs,
 * ln_final, the features at the end-of-text token, `@ text_projection`, then L2-normalised.
 */
import { internalError } from '../../errors.js';
import { DataType, encodeModel, type NodeSpec, type TensorSpec } from '../../onnx/proto.js';
import type { StateDict } from '../torch/pth-reader.js';

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
  const shape = (k: string) => {
    const t = weights.get(k);
    if (t === undefined) throw internalError(`CLIP text tower: weight ${k} missing`);
    return t.shape;
  };
  const [vocabSize, width] = shape('token_embedding.weight') as [number, number];
  const [contextLength] = shape('positional_embedding') as [number];
  const [, embedDim] = shape('text_projection') as [number, number];
  let layers = 0;
  while (weights.has(`transformer.resblocks.${layers}.ln_1.weight`)) layers++;
  return { width, layers, heads: heads ?? width / 64, contextLength, vocabSize, embedDim };
}

/** torch's Linear weight [out, in] → [in, out] for a MatMul on the right. */
function transposed(t: { shape: readonly number[]; data: Float32Array }): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c]!;
  return out;
}

const int = (value: number) => ({ kind: 'int', value }) as const;

/**
 * Encodes the text tower as ONNX bytes (opset 17). Inputs: `ids` int64 [batch, context] (as
 * `clipTokenize`), `eot` float [batch, 1, context] one-hot at each row's end-of-text token (the
 * reference's `text.argmax(dim=-1)`). Output: `embeddings` [batch, embedDim], L2-normalised.
 */
export function buildClipTextGraph(weights: StateDict, config: ClipTextConfig): Uint8Array {
  const { width: w, heads, contextLength: ctx, embedDim } = config;
  if (w % heads !== 0) throw internalError(`CLIP text tower: width ${w} is not a multiple of ${heads} heads`);
  const dh = w / heads;
  const initializers: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  const get = (k: string) => {
    const t = weights.get(k);
    if (t === undefined) throw internalError(`CLIP text tower: weight ${k} missing`);
    return t;
  };
  const init = (name: string, dims: readonly number[], data: Float32Array | BigInt64Array) => {
    const dataType = data instanceof BigInt64Array ? DataType.INT64 : DataType.FLOAT;
    initializers.push({ name, dataType, dims, data });
    return name;
  };
  const weight = (k: string) => init(k, get(k).shape, get(k).data);
  const op = (type: string, inputs: readonly string[], out: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, name: out, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  const linear = (x: string, prefix: string, out: string, wKey = `${prefix}.weight`, bKey = `${prefix}.bias`) => {
    const t = get(wKey);
    init(`${wKey}.T`, [t.shape[1]!, t.shape[0]!], transposed(t));
    return op('Add', [op('MatMul', [x, `${wKey}.T`], `${out}.mm`), weight(bKey)], out);
  };
  const layerNorm = (x: string, prefix: string) =>
    op('LayerNormalization', [x, weight(`${prefix}.weight`), weight(`${prefix}.bias`)], `${prefix}.out`, {
      axis: int(-1),
      epsilon: { kind: 'float', value: 1e-5 },
    });

  // Causal mask as `build_attention_mask`: −inf above the diagonal.
  const mask = new Float32Array(ctx * ctx);
  for (let i = 0; i < ctx; i++) for (let j = i + 1; j < ctx; j++) mask[i * ctx + j] = -Infinity;
  init('causal_mask', [ctx, ctx], mask);
  init('scale', [], Float32Array.of(1 / Math.sqrt(dh)));
  init('gelu_alpha', [], Float32Array.of(1.702));
  init('split_qkv', [3], BigInt64Array.of(BigInt(w), BigInt(w), BigInt(w)));
  init('heads_shape', [4], BigInt64Array.of(0n, 0n, BigInt(heads), BigInt(dh)));
  init('merge_shape', [3], BigInt64Array.of(0n, 0n, BigInt(w)));
  init('rows_shape', [2], BigInt64Array.of(-1n, BigInt(w)));

  let x = op('Gather', [weight('token_embedding.weight'), 'ids'], 'embedded');
  x = op('Add', [x, weight('positional_embedding')], 'positioned');
  for (let i = 0; i < config.layers; i++) {
    const p = `transformer.resblocks.${i}`;
    const h = layerNorm(x, `${p}.ln_1`);
    const qkv = linear(h, `${p}.attn`, `${p}.qkv`, `${p}.attn.in_proj_weight`, `${p}.attn.in_proj_bias`);
    nodes.push({ op: 'Split', name: `${p}.split`, inputs: [qkv, 'split_qkv'], outputs: [`${p}.q`, `${p}.k`, `${p}.v`], attributes: { axis: int(2) } });
    const heads4 = (t: string, perm: number[]) =>
      op('Transpose', [op('Reshape', [`${p}.${t}`, 'heads_shape'], `${p}.${t}.r`)], `${p}.${t}.t`, { perm: { kind: 'ints', value: perm } });
    const q = heads4('q', [0, 2, 1, 3]);
    const k = heads4('k', [0, 2, 3, 1]);
    const v = heads4('v', [0, 2, 1, 3]);
    const scores = op('Add', [op('Mul', [op('MatMul', [q, k], `${p}.qk`), 'scale'], `${p}.scaled`), 'causal_mask'], `${p}.masked`);
    const attn = op('Softmax', [scores], `${p}.softmax`, { axis: int(-1) });
    const ctxv = op('Transpose', [op('MatMul', [attn, v], `${p}.av`)], `${p}.av.t`, { perm: { kind: 'ints', value: [0, 2, 1, 3] } });
    const merged = op('Reshape', [ctxv, 'merge_shape'], `${p}.merged`);
    x = op('Add', [x, linear(merged, `${p}.attn.out_proj`, `${p}.attn.out`)], `${p}.res1`);
    const fc = linear(layerNorm(x, `${p}.ln_2`), `${p}.mlp.c_fc`, `${p}.fc`);
    // QuickGELU: x·σ(1.702·x), the activation OpenAI trained CLIP with.
    const gelu = op('Mul', [fc, op('Sigmoid', [op('Mul', [fc, 'gelu_alpha'], `${p}.fc.a`)], `${p}.fc.s`)], `${p}.gelu`);
    x = op('Add', [x, linear(gelu, `${p}.mlp.c_proj`, `${p}.mlp.out`)], `${p}.res2`);
  }
  x = layerNorm(x, 'ln_final');
  const pooled = op('Reshape', [op('MatMul', ['eot', x], 'eot_features'), 'rows_shape'], 'pooled');
  const projected = op('MatMul', [pooled, weight('text_projection')], 'text_features');
  const norm = op('ReduceL2', [projected], 'norm', { axes: { kind: 'ints', value: [1] }, keepdims: int(1) });
  op('Div', [projected, norm], 'embeddings');
  return encodeModel({
    nodes,
    initializers,
    inputs: [
      { name: 'ids', dataType: DataType.INT64, dims: ['batch', ctx] },
      { name: 'eot', dataType: DataType.FLOAT, dims: ['batch', 1, ctx] },
    ],
    outputs: [{ name: 'embeddings', dataType: DataType.FLOAT, dims: ['batch', embedDim] }],
    graphName: 'clip-text',
    opset: 17,
  });
}
