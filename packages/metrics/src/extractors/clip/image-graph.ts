/**
 * CLIP's image tower as an ONNX graph (openai/CLIP `clip/model.py` `VisionTransformer`, through the
 * shared ViT builder): conv1 without bias, class embedding, positional embedding, ln_pre, the
 * residual attention blocks with QuickGELU, ln_post on the class token, `@ proj`, then the L2
 * normalisation that CLIP score and CMMD apply to `encode_image`. Input `images`: float32 NCHW
 * [batch, 3, R, R] RGB in [0, 1] at the model's resolution; CLIP's mean/std is applied inside.
 */
import type { ModelSpec } from '../../onnx/proto.js';
import { internalError } from '../../errors.js';
import { CLIP_MEAN_STD } from '../onnx-extractor.js';
import type { BlockWeights, LinearWeights } from '../vit/transformer-graph.js';
import { buildVitModel } from '../vit/vit-graph.js';
import type { ClipWeights } from './weights.js';

/** Bump when the graph changes, so cached models built by an older version are not reused. */
export const CLIP_IMAGE_GRAPH_VERSION = 1;
/** openai/CLIP's `LayerNorm` keeps torch's default epsilon. */
const CLIP_EPS = 1e-5;

/** The model spec of `w`'s image tower; output `features`: L2-normalised embeddings [batch, embedDim]. */
export function buildClipImageModel(w: ClipWeights): ModelSpec {
  const sd = w.tensors;
  const c = w.config;
  const data = (key: string): Float32Array => {
    const t = sd.get(key);
    if (t === undefined) throw internalError(`clip graph: weight ${key} missing (validate first)`);
    return t.data;
  };
  const linear = (key: string, outFeatures: number, inFeatures: number, weight = `${key}.weight`, bias = `${key}.bias`): LinearWeights => ({
    weight: data(weight),
    bias: data(bias),
    outFeatures,
    inFeatures,
  });
  const ln = (key: string) => ({ weight: data(`${key}.weight`), bias: data(`${key}.bias`) });
  const width = c.visionWidth;
  const blocks: BlockWeights[] = [];
  for (let i = 0; i < c.visionLayers; i++) {
    const b = `visual.transformer.resblocks.${i}`;
    blocks.push({
      norm1: ln(`${b}.ln_1`),
      // nn.MultiheadAttention's in_proj rows are q, k, v, heads contiguous: the builder's fused layout.
      qkv: linear(`${b}.attn`, 3 * width, width, `${b}.attn.in_proj_weight`, `${b}.attn.in_proj_bias`),
      proj: linear(`${b}.attn.out_proj`, width, width),
      norm2: ln(`${b}.ln_2`),
      mlp: { kind: 'quick-gelu', fc1: linear(`${b}.mlp.c_fc`, 4 * width, width), fc2: linear(`${b}.mlp.c_proj`, width, 4 * width) },
    });
  }
  const spec = buildVitModel({
    dim: width,
    heads: c.visionHeads,
    eps: CLIP_EPS,
    blocks,
    inChannels: 3,
    patchSize: c.visionPatchSize,
    imageSize: [c.imageResolution, c.imageResolution],
    patchWeight: data('visual.conv1.weight'),
    classToken: data('visual.class_embedding'),
    posEmbed: data('visual.positional_embedding'),
    lnPre: ln('visual.ln_pre'),
    norm: ln('visual.ln_post'),
    projection: { matrix: data('visual.proj'), outDim: c.embedDim },
    normalize: CLIP_MEAN_STD,
  });
  // Re-route the builder's `features` through an L2 normalisation (x / ‖x‖₂ over the embedding).
  const last = spec.nodes[spec.nodes.length - 1]!;
  if (last.op !== 'Identity' || last.outputs[0] !== 'features') throw internalError('clip graph: unexpected ViT builder output');
  const nodes = [
    ...spec.nodes.slice(0, -1),
    {
      op: 'LpNormalization',
      name: 'features',
      inputs: last.inputs,
      outputs: ['features'],
      attributes: { axis: { kind: 'int' as const, value: -1 }, p: { kind: 'int' as const, value: 2 } },
    },
  ];
  return { ...spec, nodes };
}
