/**
 * ONNX building blocks of pre-LN transformers (ViT, CLIP's image and text towers, DINOv2):
 * linear layers, LayerNorm, multi-head self-attention with a fused qkv projection, the MLP variants
 * (exact GELU, CLIP's QuickGELU x·σ(1.702x), DINOv2's fused SwiGLU), optional LayerScale and an
 * optional additive attention mask. Token tensors are [batch, tokens, dim]; weights are given in
 * torch's layout (Linear weight [out, in]) and transposed here once.
 */
import { DataType, type AttributeValue, type NodeSpec, type TensorSpec } from '../../onnx/proto.js';
import { internalError } from '../../errors.js';

/** A torch `nn.Linear`: weight [outFeatures, inFeatures] (row-major), optional bias [outFeatures]. */
export interface LinearWeights {
  readonly weight: Float32Array;
  readonly bias?: Float32Array;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** A torch `nn.LayerNorm` over the last axis: weight and bias [dim]. */
export interface LayerNormWeights {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

/**
 * The MLP of a block: fc1 → activation → fc2 (`gelu` = torch's exact erf GELU, `quick-gelu` =
 * CLIP's x·σ(1.702x)), or DINOv2's `SwiGLUFFNFused`: w12 → split in halves (x1, x2) → SiLU(x1)·x2 → w3.
 */
export type MlpWeights =
  | { readonly kind: 'gelu' | 'quick-gelu'; readonly fc1: LinearWeights; readonly fc2: LinearWeights }
  | { readonly kind: 'swiglu'; readonly w12: LinearWeights; readonly w3: LinearWeights };

/** One pre-LN block: x + ls1·attn(norm1(x)), then x + ls2·mlp(norm2(x)); ls1/ls2 (LayerScale γ) optional. */
export interface BlockWeights {
  readonly norm1: LayerNormWeights;
  /** Fused q, k, v projection: outFeatures = 3·dim, rows ordered q, k, v, heads contiguous in each. */
  readonly qkv: LinearWeights;
  readonly proj: LinearWeights;
  readonly ls1?: Float32Array;
  readonly norm2: LayerNormWeights;
  readonly mlp: MlpWeights;
  readonly ls2?: Float32Array;
}

/** A stack of blocks: width, heads, LayerNorm epsilon (DINOv2 1e-6, CLIP 1e-5). */
export interface TransformerWeights {
  readonly dim: number;
  readonly heads: number;
  readonly eps: number;
  readonly blocks: readonly BlockWeights[];
}

const int = (value: number): AttributeValue => ({ kind: 'int', value });
const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });

/** Accumulates ONNX nodes and initializers; each helper returns the name of its output value. */
export class TransformerGraph {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private n = 0;

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}:${this.n++}`;
  }

  /** Adds a float32 constant and returns its name. */
  constant(prefix: string, dims: readonly number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw internalError(`transformer graph: ${prefix} has ${data.length} values, expected ${dims.join('×')}`);
    const name = this.fresh(prefix);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, data });
    return name;
  }

  /** Adds an int64 constant (shapes, indices) and returns its name. */
  int64(prefix: string, values: readonly number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dataType: DataType.INT64, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  }

  /** Adds one node with a single output. */
  op(op: string, inputs: readonly string[], prefix: string, attributes?: Readonly<Record<string, AttributeValue>>): string {
    const y = this.fresh(prefix);
    this.nodes.push({ op, name: y, inputs, outputs: [y], ...(attributes ? { attributes } : {}) });
    return y;
  }

  /** y = x·Wᵀ + b over the last axis. */
  linear(x: string, w: LinearWeights, prefix: string): string {
    const { inFeatures: fin, outFeatures: fout } = w;
    if (w.weight.length !== fin * fout) throw internalError(`transformer graph: ${prefix} weight is not ${fout}×${fin}`);
    const t = new Float32Array(fin * fout);
    for (let o = 0; o < fout; o++) for (let i = 0; i < fin; i++) t[i * fout + o] = w.weight[o * fin + i]!;
    const y = this.op('MatMul', [x, this.constant(`${prefix}.w`, [fin, fout], t)], `${prefix}.matmul`);
    return w.bias ? this.op('Add', [y, this.constant(`${prefix}.b`, [fout], w.bias)], prefix) : y;
  }

  /** LayerNorm over the last axis (ONNX LayerNormalization, opset 17). */
  layerNorm(x: string, w: LayerNormWeights, eps: number, prefix: string): string {
    const dim = w.weight.length;
    return this.op('LayerNormalization', [x, this.constant(`${prefix}.g`, [dim], w.weight), this.constant(`${prefix}.b`, [dim], w.bias)], prefix, {
      axis: int(-1),
      epsilon: { kind: 'float', value: eps },
    });
  }

  /** x·c for a scalar c. */
  scale(x: string, c: number, prefix: string): string {
    return this.op('Mul', [x, this.constant(`${prefix}.c`, [], Float32Array.of(c))], prefix);
  }

  /** Multi-head self-attention: softmax(q·kᵀ/√d + mask)·v, then the output projection. */
  attention(x: string, b: BlockWeights, t: TransformerWeights, mask: string | undefined, prefix: string): string {
    const hd = t.dim / t.heads;
    const qkv = this.linear(x, b.qkv, `${prefix}.qkv`);
    const split = this.op('Reshape', [qkv, this.int64(`${prefix}.shape5`, [0, 0, 3, t.heads, hd])], `${prefix}.reshape`);
    const perm = this.op('Transpose', [split], `${prefix}.perm`, { perm: ints([2, 0, 3, 1, 4]) }); // [3, B, H, T, hd]
    const pick = (i: number, name: string) => this.op('Gather', [perm, this.int64(`${prefix}.${name}i`, [i])], `${prefix}.${name}`, { axis: int(0) });
    const sq = (v: string, name: string) => this.op('Squeeze', [v, this.int64(`${prefix}.axis0`, [0])], `${prefix}.${name}sq`);
    const q = this.scale(sq(pick(0, 'q'), 'q'), 1 / Math.sqrt(hd), `${prefix}.qscale`);
    const kT = this.op('Transpose', [sq(pick(1, 'k'), 'k')], `${prefix}.kT`, { perm: ints([0, 1, 3, 2]) });
    const v = sq(pick(2, 'v'), 'v');
    let scores = this.op('MatMul', [q, kT], `${prefix}.scores`);
    if (mask !== undefined) scores = this.op('Add', [scores, mask], `${prefix}.masked`);
    const probs = this.op('Softmax', [scores], `${prefix}.softmax`, { axis: int(-1) });
    const ctx = this.op('MatMul', [probs, v], `${prefix}.ctx`); // [B, H, T, hd]
    const merged = this.op('Transpose', [ctx], `${prefix}.merge`, { perm: ints([0, 2, 1, 3]) });
    const flat = this.op('Reshape', [merged, this.int64(`${prefix}.shape3`, [0, 0, t.dim])], `${prefix}.flat`);
    return this.linear(flat, b.proj, `${prefix}.proj`);
  }

  /** The block's MLP. */
  mlp(x: string, m: MlpWeights, prefix: string): string {
    if (m.kind === 'swiglu') {
      const h = this.linear(x, m.w12, `${prefix}.w12`);
      const half = m.w12.outFeatures / 2;
      const [x1, x2] = [this.fresh(`${prefix}.x1`), this.fresh(`${prefix}.x2`)];
      this.nodes.push({ op: 'Split', name: `${prefix}.split`, inputs: [h, this.int64(`${prefix}.halves`, [half, half])], outputs: [x1, x2], attributes: { axis: int(-1) } });
      const silu = this.op('Mul', [x1, this.op('Sigmoid', [x1], `${prefix}.sig`)], `${prefix}.silu`);
      return this.linear(this.op('Mul', [silu, x2], `${prefix}.gate`), m.w3, `${prefix}.w3`);
    }
    const h = this.linear(x, m.fc1, `${prefix}.fc1`);
    let a: string;
    if (m.kind === 'gelu') {
      // torch's exact GELU: x·½(1 + erf(x/√2)) (ONNX Gelu needs opset 20).
      const erf = this.op('Erf', [this.scale(h, Math.SQRT1_2, `${prefix}.rs2`)], `${prefix}.erf`);
      const one = this.op('Add', [erf, this.constant(`${prefix}.one`, [], Float32Array.of(1))], `${prefix}.erf1`);
      a = this.scale(this.op('Mul', [h, one], `${prefix}.xerf`), 0.5, `${prefix}.gelu`);
    } else {
      a = this.op('Mul', [h, this.op('Sigmoid', [this.scale(h, 1.702, `${prefix}.s1702`)], `${prefix}.sig`)], `${prefix}.qgelu`);
    }
    return this.linear(a, m.fc2, `${prefix}.fc2`);
  }

  /** One pre-LN block with optional LayerScale. */
  block(x: string, b: BlockWeights, t: TransformerWeights, mask: string | undefined, prefix: string): string {
    const layerScale = (y: string, g: Float32Array | undefined, name: string) =>
      g ? this.op('Mul', [y, this.constant(`${prefix}.${name}`, [t.dim], g)], `${prefix}.${name}.mul`) : y;
    const a = this.attention(this.layerNorm(x, b.norm1, t.eps, `${prefix}.norm1`), b, t, mask, `${prefix}.attn`);
    const x1 = this.op('Add', [x, layerScale(a, b.ls1, 'ls1')], `${prefix}.res1`);
    const m = this.mlp(this.layerNorm(x1, b.norm2, t.eps, `${prefix}.norm2`), b.mlp, `${prefix}.mlp`);
    return this.op('Add', [x1, layerScale(m, b.ls2, 'ls2')], `${prefix}.res2`);
  }

  /**
   * All blocks in order. `mask`, if given, is an additive [tokens, tokens] float32 mask (e.g. −∞
   * above the diagonal for CLIP's causal text tower), broadcast over batch and heads.
   */
  transformer(x: string, t: TransformerWeights, mask?: { readonly tokens: number; readonly values: Float32Array }): string {
    if (t.dim % t.heads !== 0) throw internalError(`transformer graph: width ${t.dim} not divisible by ${t.heads} heads`);
    const m = mask ? this.constant('attn_mask', [mask.tokens, mask.tokens], mask.values) : undefined;
    return t.blocks.reduce((h, b, i) => this.block(h, b, t, m, `blocks.${i}`), x);
  }
}
