/**
 * openai/CLIP `ResidualAttentionBlock` stacks (`transformer.resblocks.*` of the text tower,
 * `visual.transformer.resblocks.*` of the image tower) as the shared transformer builder's weights:
 * `nn.MultiheadAttention`'s fused `in_proj` is the builder's qkv, the MLP is QuickGELU, LayerNorm ε 1e-5.
 */
import { internalError } from '../../errors.js';
import type { StateDict } from '../torch/pth-reader.js';
import type { BlockWeights, LayerNormWeights, LinearWeights, TransformerWeights } from '../vit/transformer-graph.js';

/** Reads a tensor of a validated CLIP state dict. */
export function clipTensor(sd: StateDict, key: string): { shape: readonly number[]; data: Float32Array } {
  const t = sd.get(key);
  if (t === undefined) throw internalError(`CLIP weights: tensor ${key} missing (validate the checkpoint first)`);
  return t;
}

function linear(sd: StateDict, weightKey: string, biasKey: string): LinearWeights {
  const w = clipTensor(sd, weightKey);
  return { weight: w.data, bias: clipTensor(sd, biasKey).data, outFeatures: w.shape[0]!, inFeatures: w.shape[1]! };
}

/** `prefix.weight` / `prefix.bias` of a LayerNorm. */
export function clipLayerNorm(sd: StateDict, prefix: string): LayerNormWeights {
  return { weight: clipTensor(sd, `${prefix}.weight`).data, bias: clipTensor(sd, `${prefix}.bias`).data };
}

/** The blocks `${prefix}0.`, `${prefix}1.`, … (prefix e.g. `transformer.resblocks.`) with `heads` heads. */
export function clipTransformerWeights(sd: StateDict, prefix: string, heads: number): TransformerWeights {
  const blocks: BlockWeights[] = [];
  for (let i = 0; sd.has(`${prefix}${i}.ln_1.weight`); i++) {
    const p = `${prefix}${i}`;
    blocks.push({
      norm1: clipLayerNorm(sd, `${p}.ln_1`),
      qkv: linear(sd, `${p}.attn.in_proj_weight`, `${p}.attn.in_proj_bias`),
      proj: linear(sd, `${p}.attn.out_proj.weight`, `${p}.attn.out_proj.bias`),
      norm2: clipLayerNorm(sd, `${p}.ln_2`),
      mlp: { kind: 'quick-gelu', fc1: linear(sd, `${p}.mlp.c_fc.weight`, `${p}.mlp.c_fc.bias`), fc2: linear(sd, `${p}.mlp.c_proj.weight`, `${p}.mlp.c_proj.bias`) },
    });
  }
  if (blocks.length === 0) throw internalError(`CLIP weights: no blocks under ${prefix}`);
  return { dim: blocks[0]!.norm1.weight.length, heads, eps: 1e-5, blocks };
}
