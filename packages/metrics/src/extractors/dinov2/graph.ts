/**
 * DINOv2 as an ONNX graph (through the shared ViT builder). Input `images`: float32 NCHW
 * [batch, 3, S, S] RGB in [0, 1] (S = 224 by default); the ImageNet mean/std normalisation happens
 * inside the graph. Output `features`: the final-norm class token (`x_norm_clstoken`), [batch, dim].
 */
import type { ModelSpec } from '../../onnx/proto.js';
import { internalError } from '../../errors.js';
import type { StateDict } from '../torch/pth-reader.js';
import type { BlockWeights, LinearWeights, MlpWeights } from '../vit/transformer-graph.js';
import { buildVitModel } from '../vit/vit-graph.js';
import { DINOV2_EPS, DINOV2_INPUT_SIZE, DINOV2_PATCH, IMAGENET_MEAN, IMAGENET_STD } from './architecture.js';
import { interpolateDinov2PosEmbed } from './position.js';
import type { Dinov2Weights } from './weights.js';

/** Bump when the graph changes, so cached models built by an older version are not reused. */
export const DINOV2_GRAPH_VERSION = 1;

function tensor(sd: StateDict, key: string): Float32Array {
  const t = sd.get(key);
  if (t === undefined) throw internalError(`dinov2 graph: weight ${key} missing (validate first)`);
  return t.data;
}

function linear(sd: StateDict, key: string): LinearWeights {
  const t = sd.get(`${key}.weight`);
  if (t === undefined) throw internalError(`dinov2 graph: weight ${key}.weight missing (validate first)`);
  return { weight: t.data, bias: tensor(sd, `${key}.bias`), outFeatures: t.shape[0]!, inFeatures: t.shape[1]! };
}

/** The model spec for `w` at an input of `inputSize` pixels (a multiple of 14). */
export function buildDinov2Model(w: Dinov2Weights, inputSize = DINOV2_INPUT_SIZE): ModelSpec {
  const sd = w.stateDict;
  const { dim, heads } = w.arch;
  const ln = (key: string) => ({ weight: tensor(sd, `${key}.weight`), bias: tensor(sd, `${key}.bias`) });
  const blocks: BlockWeights[] = [];
  for (let i = 0; i < w.depth; i++) {
    const b = `blocks.${i}`;
    const mlp: MlpWeights =
      w.arch.ffn === 'swiglu'
        ? { kind: 'swiglu', w12: linear(sd, `${b}.mlp.w12`), w3: linear(sd, `${b}.mlp.w3`) }
        : { kind: 'gelu', fc1: linear(sd, `${b}.mlp.fc1`), fc2: linear(sd, `${b}.mlp.fc2`) };
    blocks.push({
      norm1: ln(`${b}.norm1`),
      qkv: linear(sd, `${b}.attn.qkv`),
      proj: linear(sd, `${b}.attn.proj`),
      ls1: tensor(sd, `${b}.ls1.gamma`),
      norm2: ln(`${b}.norm2`),
      mlp,
      ls2: tensor(sd, `${b}.ls2.gamma`),
    });
  }
  return buildVitModel({
    dim,
    heads,
    eps: DINOV2_EPS,
    blocks,
    inChannels: 3,
    patchSize: DINOV2_PATCH,
    imageSize: [inputSize, inputSize],
    patchWeight: tensor(sd, 'patch_embed.proj.weight'),
    patchBias: tensor(sd, 'patch_embed.proj.bias'),
    classToken: tensor(sd, 'cls_token'),
    posEmbed: interpolateDinov2PosEmbed(tensor(sd, 'pos_embed'), dim, inputSize / DINOV2_PATCH),
    norm: ln('norm'),
    normalize: { mean: IMAGENET_MEAN, std: IMAGENET_STD },
  });
}
