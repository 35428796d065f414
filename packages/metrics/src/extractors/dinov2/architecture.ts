/**
 * The DINOv2 backbones as facebookresearch/dinov2's hub builds them (`dinov2_vit{s,b,l,g}14`:
 * patch 14, 518-pixel pretraining grid of 37×37, LayerScale, no register tokens, position
 * embeddings interpolated bicubically with offset 0.1 and no antialiasing), and the state-dict keys
 * and shapes of their `_pretrain.pth` files.
 */

/** The four published sizes. */
export const DINOV2_SIZES = ['vits14', 'vitb14', 'vitl14', 'vitg14'] as const;
/** One of `DINOV2_SIZES`. */
export type Dinov2Size = (typeof DINOV2_SIZES)[number];

/** Width, depth, heads and MLP of one size. */
export interface Dinov2Arch {
  readonly size: Dinov2Size;
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  /** `mlp` (fc1 → GELU → fc2) or `swiglu` (the hub's "swiglufused" for ViT-g). */
  readonly ffn: 'mlp' | 'swiglu';
  /** Hidden width: 4·dim, or for SwiGLU ⌊(⌊4·dim·2/3⌋ + 7)/8⌋·8 (dinov2's SwiGLUFFNFused rule). */
  readonly hidden: number;
}

const swigluHidden = (dim: number) => Math.floor((Math.floor((4 * dim * 2) / 3) + 7) / 8) * 8;

/** vit_small / vit_base / vit_large / vit_giant2 of dinov2/models/vision_transformer.py. */
export const DINOV2_ARCHS: Readonly<Record<Dinov2Size, Dinov2Arch>> = {
  vits14: { size: 'vits14', dim: 384, depth: 12, heads: 6, ffn: 'mlp', hidden: 1536 },
  vitb14: { size: 'vitb14', dim: 768, depth: 12, heads: 12, ffn: 'mlp', hidden: 3072 },
  vitl14: { size: 'vitl14', dim: 1024, depth: 24, heads: 16, ffn: 'mlp', hidden: 4096 },
  vitg14: { size: 'vitg14', dim: 1536, depth: 40, heads: 24, ffn: 'swiglu', hidden: swigluHidden(1536) },
};

/** Patch size of every published backbone. */
export const DINOV2_PATCH = 14;
/** Patch grid of the pretraining resolution (518 / 14). */
export const DINOV2_PRETRAIN_GRID = 37;
/** Input side we run at (dgm-eval's DINOv2 resolution): a 16×16 patch grid. */
export const DINOV2_INPUT_SIZE = 224;
/** LayerNorm epsilon of the backbones. */
export const DINOV2_EPS = 1e-6;
/** `interpolate_offset` of the hub models. */
export const DINOV2_INTERPOLATE_OFFSET = 0.1;
/** ImageNet normalisation applied inside the graph (the hub's transforms). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** ImageNet standard deviations. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** The state-dict keys and shapes, in the official order, for `depth` blocks of `arch`. */
export function dinov2Keys(arch: Dinov2Arch, depth = arch.depth): { key: string; shape: number[] }[] {
  const d = arch.dim;
  const tokens = 1 + DINOV2_PRETRAIN_GRID * DINOV2_PRETRAIN_GRID;
  const out = [
    { key: 'cls_token', shape: [1, 1, d] },
    { key: 'pos_embed', shape: [1, tokens, d] },
    { key: 'mask_token', shape: [1, d] },
    { key: 'patch_embed.proj.weight', shape: [d, 3, DINOV2_PATCH, DINOV2_PATCH] },
    { key: 'patch_embed.proj.bias', shape: [d] },
  ];
  const mlp: [string, number[]][] =
    arch.ffn === 'mlp'
      ? [
          ['mlp.fc1.weight', [arch.hidden, d]],
          ['mlp.fc1.bias', [arch.hidden]],
          ['mlp.fc2.weight', [d, arch.hidden]],
          ['mlp.fc2.bias', [d]],
        ]
      : [
          ['mlp.w12.weight', [2 * arch.hidden, d]],
          ['mlp.w12.bias', [2 * arch.hidden]],
          ['mlp.w3.weight', [d, arch.hidden]],
          ['mlp.w3.bias', [d]],
        ];
  for (let i = 0; i < depth; i++) {
    const block: [string, number[]][] = [
      ['norm1.weight', [d]],
      ['norm1.bias', [d]],
      ['attn.qkv.weight', [3 * d, d]],
      ['attn.qkv.bias', [3 * d]],
      ['attn.proj.weight', [d, d]],
      ['attn.proj.bias', [d]],
      ['ls1.gamma', [d]],
      ['norm2.weight', [d]],
      ['norm2.bias', [d]],
      ...mlp,
      ['ls2.gamma', [d]],
    ];
    for (const [k, shape] of block) out.push({ key: `blocks.${i}.${k}`, shape });
  }
  out.push({ key: 'norm.weight', shape: [d] }, { key: 'norm.bias', shape: [d] });
  return out;
}

/** The URL torch.hub downloads a size's weights from. */
export function dinov2WeightsUrl(size: Dinov2Size): string {
  return `https://dl.fbaipublicfiles.com/dinov2/dinov2_${size}/dinov2_${size}_pretrain.pth`;
}
