/**
 * Reading CLIP checkpoints without Python, in OpenAI's parameter names:
 *  - OpenAI's TorchScript archives as `clip.load` downloads them (`torch.jit.save` zip; the module
 *    objects are read as attribute holders, their code never runs), or a zip state dict;
 *  - Hugging Face `model.safetensors` (`openai/clip-vit-*`), whose names are mapped back to
 *    OpenAI's (q/k/v projections concatenated into `in_proj_*`, projections transposed).
 * Every size is inferred from the tensors as openai/CLIP's `clip/model.py` `build_model` does.
 */
import { inputError } from '../../errors.js';
import { readInputFile } from '../../io/read-input-file.js';
import { toFloat32, type TorchDtype } from '../torch/dtypes.js';
import { detectTorchFormat, parseTorchScriptArchive, type StateDict, type TorchTensor } from '../torch/pth-reader.js';

/** The sizes of a ViT CLIP model, as `build_model` infers them from a state dict. */
export interface ClipConfig {
  readonly embedDim: number;
  readonly imageResolution: number;
  readonly visionLayers: number;
  readonly visionWidth: number;
  readonly visionPatchSize: number;
  /** `vision_width // 64`, as `build_model` sets it. */
  readonly visionHeads: number;
  readonly contextLength: number;
  readonly vocabSize: number;
  readonly transformerWidth: number;
  readonly transformerHeads: number;
  readonly transformerLayers: number;
}

/** A CLIP checkpoint: its inferred configuration and float32 tensors in OpenAI's names. */
export interface ClipWeights {
  readonly config: ClipConfig;
  readonly tensors: StateDict;
}

const SAFETENSORS_DTYPES: Readonly<Record<string, TorchDtype>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', I64: 'int64' };

/** Parses a `.safetensors` file: 8-byte little-endian header length, JSON header, raw data. */
export function parseSafetensors(bytes: Uint8Array, file: string): StateDict {
  if (bytes.length < 8) throw inputError(file, 'truncated safetensors file (no header length)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (headerLen <= 0 || 8 + headerLen > bytes.length) throw inputError(file, 'not a safetensors file (bad header length)');
  let header: Record<string, { dtype?: unknown; shape?: unknown; data_offsets?: unknown }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as typeof header;
  } catch {
    throw inputError(file, 'not a safetensors file (the header is not JSON)');
  }
  const base = 8 + headerLen;
  const out: StateDict = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const dtype = SAFETENSORS_DTYPES[String(info.dtype)];
    if (dtype === undefined) throw inputError(file, `tensor "${name}": unsupported dtype ${String(info.dtype)}`);
    const shape = info.shape;
    const offsets = info.data_offsets;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw inputError(file, `tensor "${name}": malformed shape or data_offsets in the header`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const elem = dtype === 'float64' || dtype === 'int64' ? 8 : dtype === 'float32' ? 4 : 2;
    if (end - begin !== count * elem || base + end > bytes.length || begin < 0) {
      throw inputError(file, `tensor "${name}": its data range does not match its shape or lies past the end of the file`);
    }
    out.set(name, { shape: shape as number[], dtype, data: toFloat32(bytes, dtype, base + begin, count) });
  }
  return out;
}

function transpose2d(t: TorchTensor): TorchTensor {
  const [r, c] = t.shape as [number, number];
  const data = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = t.data[i * c + j]!;
  return { shape: [c, r], dtype: t.dtype, data };
}

function concat0(parts: readonly TorchTensor[]): TorchTensor {
  const data = new Float32Array(parts.reduce((a, p) => a + p.data.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p.data, o);
    o += p.data.length;
  }
  return { shape: [parts.reduce((a, p) => a + p.shape[0]!, 0), ...parts[0]!.shape.slice(1)], dtype: parts[0]!.dtype, data };
}

/** Block-level renames from Hugging Face `CLIPEncoderLayer` to OpenAI `ResidualAttentionBlock`. */
const HF_BLOCK: ReadonlyArray<readonly [string, string]> = [
  ['self_attn.out_proj.', 'attn.out_proj.'],
  ['layer_norm1.', 'ln_1.'],
  ['layer_norm2.', 'ln_2.'],
  ['mlp.fc1.', 'mlp.c_fc.'],
  ['mlp.fc2.', 'mlp.c_proj.'],
];

const HF_TOP: Readonly<Record<string, string>> = {
  'vision_model.embeddings.class_embedding': 'visual.class_embedding',
  'vision_model.embeddings.patch_embedding.weight': 'visual.conv1.weight',
  'vision_model.embeddings.position_embedding.weight': 'visual.positional_embedding',
  'vision_model.pre_layrnorm.weight': 'visual.ln_pre.weight',
  'vision_model.pre_layrnorm.bias': 'visual.ln_pre.bias',
  'vision_model.post_layernorm.weight': 'visual.ln_post.weight',
  'vision_model.post_layernorm.bias': 'visual.ln_post.bias',
  'text_model.embeddings.token_embedding.weight': 'token_embedding.weight',
  'text_model.embeddings.position_embedding.weight': 'positional_embedding',
  'text_model.final_layer_norm.weight': 'ln_final.weight',
  'text_model.final_layer_norm.bias': 'ln_final.bias',
  logit_scale: 'logit_scale',
};

/**
 * Maps a Hugging Face `CLIPModel` state dict (transformers' `modeling_clip.py` names) to OpenAI's
 * names: q/k/v projections → `attn.in_proj_*`, `visual_projection`/`text_projection` (Linear,
 * [embed, width]) → `visual.proj`/`text_projection` ([width, embed]).
 */
export function fromHuggingFaceNames(sd: StateDict, file: string): StateDict {
  const out: StateDict = new Map();
  const qkv = new Map<string, Partial<Record<'q' | 'k' | 'v', TorchTensor>>>();
  for (const [name, t] of sd) {
    const top = HF_TOP[name];
    if (top !== undefined) {
      out.set(top, t);
      continue;
    }
    if (name === 'visual_projection.weight') out.set('visual.proj', transpose2d(t));
    else if (name === 'text_projection.weight') out.set('text_projection', transpose2d(t));
    const m = /^(vision|text)_model\.encoder\.layers\.(\d+)\.(.+)$/.exec(name);
    if (m === null) continue; // position_ids buffers and the like
    const prefix = `${m[1] === 'vision' ? 'visual.' : ''}transformer.resblocks.${m[2]}.`;
    const rest = m[3]!;
    const proj = /^self_attn\.([qkv])_proj\.(weight|bias)$/.exec(rest);
    if (proj !== null) {
      const key = `${prefix}attn.in_proj_${proj[2]}`;
      const entry = qkv.get(key) ?? {};
      entry[proj[1] as 'q' | 'k' | 'v'] = t;
      qkv.set(key, entry);
      continue;
    }
    const rule = HF_BLOCK.find(([from]) => rest.startsWith(from));
    if (rule !== undefined) out.set(prefix + rule[1] + rest.slice(rule[0].length), t);
  }
  for (const [key, { q, k, v }] of qkv) {
    if (q === undefined || k === undefined || v === undefined) throw inputError(file, `incomplete attention projections for ${key} (need q_proj, k_proj and v_proj)`);
    out.set(key, concat0([q, k, v]));
  }
  return out;
}

function need(sd: StateDict, name: string, file: string, rank: number): readonly number[] {
  const t = sd.get(name);
  if (t === undefined) throw inputError(file, `not a CLIP checkpoint: tensor "${name}" is missing`);
  if (t.shape.length !== rank) throw inputError(file, `tensor "${name}" has shape [${t.shape.join(', ')}], expected ${rank} dimensions`);
  return t.shape;
}

function countBlocks(sd: StateDict, prefix: string): number {
  const ids = new Set<string>();
  for (const k of sd.keys()) if (k.startsWith(prefix)) ids.add(k.slice(prefix.length).split('.')[0]!);
  return ids.size;
}

/** Infers a ViT CLIP's sizes as `clip.model.build_model` does; ResNet CLIPs are refused. */
export function inferClipConfig(sd: StateDict, file: string): ClipConfig {
  if (!sd.has('visual.proj')) {
    if (sd.has('visual.layer1.0.conv1.weight') || sd.has('visual.attnpool.positional_embedding')) {
      throw inputError(file, 'a ResNet CLIP (RN50…); only ViT image towers are supported');
    }
    throw inputError(file, 'not a CLIP checkpoint: tensor "visual.proj" is missing');
  }
  const conv = need(sd, 'visual.conv1.weight', file, 4);
  const visionWidth = conv[0]!;
  const visionPatchSize = conv[3]!;
  const visionLayers = [...sd.keys()].filter((k) => k.startsWith('visual.') && k.endsWith('.attn.in_proj_weight')).length;
  const positions = need(sd, 'visual.positional_embedding', file, 2)[0]!;
  const grid = Math.round(Math.sqrt(positions - 1));
  if (grid * grid + 1 !== positions) throw inputError(file, `visual.positional_embedding has ${positions} rows, not 1 + a square grid`);
  const embedDim = need(sd, 'text_projection', file, 2)[1]!;
  const transformerWidth = need(sd, 'ln_final.weight', file, 1)[0]!;
  const config: ClipConfig = {
    embedDim,
    imageResolution: visionPatchSize * grid,
    visionLayers,
    visionWidth,
    visionPatchSize,
    visionHeads: Math.floor(visionWidth / 64),
    contextLength: need(sd, 'positional_embedding', file, 2)[0]!,
    vocabSize: need(sd, 'token_embedding.weight', file, 2)[0]!,
    transformerWidth,
    transformerHeads: Math.floor(transformerWidth / 64),
    transformerLayers: countBlocks(sd, 'transformer.resblocks.'),
  };
  if (config.visionLayers === 0 || config.transformerLayers === 0 || config.visionHeads === 0 || config.transformerHeads === 0) {
    throw inputError(file, 'not a CLIP checkpoint: no transformer blocks, or a width under 64');
  }
  checkShapes(sd, config, file);
  return config;
}

/** The shape of every tensor the image and text towers use, for `config`. */
export function clipTensorShapes(c: ClipConfig): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  const block = (prefix: string, w: number): void => {
    shapes.set(`${prefix}attn.in_proj_weight`, [3 * w, w]);
    shapes.set(`${prefix}attn.in_proj_bias`, [3 * w]);
    shapes.set(`${prefix}attn.out_proj.weight`, [w, w]);
    shapes.set(`${prefix}attn.out_proj.bias`, [w]);
    for (const ln of ['ln_1', 'ln_2']) for (const p of ['weight', 'bias']) shapes.set(`${prefix}${ln}.${p}`, [w]);
    shapes.set(`${prefix}mlp.c_fc.weight`, [4 * w, w]);
    shapes.set(`${prefix}mlp.c_fc.bias`, [4 * w]);
    shapes.set(`${prefix}mlp.c_proj.weight`, [w, 4 * w]);
    shapes.set(`${prefix}mlp.c_proj.bias`, [w]);
  };
  const vw = c.visionWidth;
  const grid = c.imageResolution / c.visionPatchSize;
  shapes.set('visual.conv1.weight', [vw, 3, c.visionPatchSize, c.visionPatchSize]);
  shapes.set('visual.class_embedding', [vw]);
  shapes.set('visual.positional_embedding', [grid * grid + 1, vw]);
  for (const ln of ['ln_pre', 'ln_post']) for (const p of ['weight', 'bias']) shapes.set(`visual.${ln}.${p}`, [vw]);
  shapes.set('visual.proj', [vw, c.embedDim]);
  for (let i = 0; i < c.visionLayers; i++) block(`visual.transformer.resblocks.${i}.`, vw);
  const tw = c.transformerWidth;
  shapes.set('token_embedding.weight', [c.vocabSize, tw]);
  shapes.set('positional_embedding', [c.contextLength, tw]);
  shapes.set('ln_final.weight', [tw]);
  shapes.set('ln_final.bias', [tw]);
  shapes.set('text_projection', [tw, c.embedDim]);
  for (let i = 0; i < c.transformerLayers; i++) block(`transformer.resblocks.${i}.`, tw);
  return shapes;
}

function checkShapes(sd: StateDict, c: ClipConfig, file: string): void {
  for (const [name, shape] of clipTensorShapes(c)) {
    const t = sd.get(name);
    if (t === undefined) throw inputError(file, `not a complete CLIP checkpoint: tensor "${name}" is missing`);
    if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
      throw inputError(file, `tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] for this configuration`);
    }
  }
}

/**
 * Parses CLIP weights from bytes: a TorchScript/zip `.pt` (OpenAI names) or a `.safetensors` file
 * (Hugging Face names). fp16 tensors come back as float32.
 */
export function parseClipWeights(bytes: Uint8Array, file: string): ClipWeights {
  let tensors: StateDict;
  if (detectTorchFormat(bytes) !== 'unknown') tensors = parseTorchScriptArchive(bytes, file);
  else if (bytes.length < 9 || bytes[8] !== 0x7b) {
    // Neither a zip nor a JSON header after the 8-byte length: say what was expected, not how safetensors failed.
    throw inputError(file, 'not a CLIP checkpoint (neither an OpenAI .pt zip archive nor a Hugging Face .safetensors file)');
  } else {
    const sd = parseSafetensors(bytes, file);
    tensors = [...sd.keys()].some((k) => k.startsWith('vision_model.')) ? fromHuggingFaceNames(sd, file) : sd;
  }
  return { config: inferClipConfig(tensors, file), tensors };
}

/** Reads CLIP weights from a file (see {@link parseClipWeights}). */
export function readClipWeights(path: string): ClipWeights {
  return parseClipWeights(readInputFile(path, 'a CLIP weights file'), path);
}
