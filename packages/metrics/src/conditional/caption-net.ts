/**
 * The caption half of the embedded text encoders, in plain TypeScript (float64 arithmetic on the
 * float32 weights): word ids → embedding → one GRU layer → last hidden state → linear → L2
 * normalisation, exactly torch's `nn.Embedding` → `nn.GRU` → `nn.Linear` of
 * fixtures/scripts/train_text_encoders.py. A caption is a handful of tokens and the GRU is small, so
 * no runtime is needed.
 */
import { internalError } from '../errors.js';

/** A float32 tensor with its shape, as read from the weights file. */
export interface WeightTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** The caption network's tensors, named as torch's state dict (without the `caption.` prefix). */
export interface CaptionNetWeights {
  /** vocabulary × wordDims */
  readonly embed: WeightTensor;
  /** 3·hidden × wordDims, gates in torch's order r, z, n */
  readonly weightIh: WeightTensor;
  /** 3·hidden × hidden */
  readonly weightHh: WeightTensor;
  readonly biasIh: WeightTensor;
  readonly biasHh: WeightTensor;
  /** dims × hidden */
  readonly proj: WeightTensor;
  readonly projBias: WeightTensor;
}

/** Torch state-dict names of the caption network, in the order of {@link CaptionNetWeights}. */
export const CAPTION_NET_KEYS = {
  embed: 'caption.embed.weight',
  weightIh: 'caption.gru.weight_ih_l0',
  weightHh: 'caption.gru.weight_hh_l0',
  biasIh: 'caption.gru.bias_ih_l0',
  biasHh: 'caption.gru.bias_hh_l0',
  proj: 'caption.proj.weight',
  projBias: 'caption.proj.bias',
} as const satisfies Record<keyof CaptionNetWeights, string>;

/** Vocabulary size, word width, hidden width and output width implied by the tensors. */
export function captionNetSizes(w: CaptionNetWeights): { vocabulary: number; wordDims: number; hidden: number; dims: number } {
  const [vocabulary, wordDims] = w.embed.shape as [number, number];
  const hidden = w.weightHh.shape[1]!;
  return { vocabulary, wordDims, hidden, dims: w.proj.shape[0]! };
}

/** The shape every tensor must have given the embedding and projection sizes (the checks of the loader). */
export function expectedCaptionShapes(vocabulary: number, wordDims: number, hidden: number, dims: number): Record<keyof CaptionNetWeights, readonly number[]> {
  return {
    embed: [vocabulary, wordDims],
    weightIh: [3 * hidden, wordDims],
    weightHh: [3 * hidden, hidden],
    biasIh: [3 * hidden],
    biasHh: [3 * hidden],
    proj: [dims, hidden],
    projBias: [dims],
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** out[r] = bias[r] + Σ_c m[r, c]·x[c] for rows r of an R × C row-major matrix. */
function affine(m: Float32Array, bias: Float32Array, x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let s = bias[r]!;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += m[o + c]! * x[c]!;
    out[r] = s;
  }
}

/**
 * Embeds token-id sequences: `out` row i (of `dims`) is caption i's unit-norm embedding. Ids must be
 * in [0, vocabulary) and sequences non-empty (the tokenizer guarantees both).
 */
export function embedTokenIds(w: CaptionNetWeights, sequences: readonly (readonly number[])[]): Float32Array {
  const { vocabulary, wordDims, hidden, dims } = captionNetSizes(w);
  const out = new Float32Array(sequences.length * dims);
  const x = new Float64Array(wordDims);
  let h = new Float64Array(hidden);
  let next = new Float64Array(hidden);
  const gi = new Float64Array(3 * hidden);
  const gh = new Float64Array(3 * hidden);
  const y = new Float64Array(dims);
  sequences.forEach((ids, i) => {
    if (ids.length === 0) throw internalError('caption encoder: empty token sequence');
    h.fill(0);
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabulary) throw internalError(`caption encoder: token id ${id} outside [0, ${vocabulary})`);
      for (let c = 0; c < wordDims; c++) x[c] = w.embed.data[id * wordDims + c]!;
      affine(w.weightIh.data, w.biasIh.data, x, 3 * hidden, wordDims, gi);
      affine(w.weightHh.data, w.biasHh.data, h, 3 * hidden, hidden, gh);
      // torch.nn.GRU: r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
      // h' = (1 − z) ⊙ n + z ⊙ h — the reset gate scales the hidden term including its bias.
      for (let k = 0; k < hidden; k++) {
        const r = sigmoid(gi[k]! + gh[k]!);
        const z = sigmoid(gi[hidden + k]! + gh[hidden + k]!);
        const n = Math.tanh(gi[2 * hidden + k]! + r * gh[2 * hidden + k]!);
        next[k] = (1 - z) * n + z * h[k]!;
      }
      [h, next] = [next, h];
    }
    affine(w.proj.data, w.projBias.data, h, dims, hidden, y);
    writeUnitRow(y, out, i * dims);
  });
  return out;
}

/** Writes v / ‖v‖ (float64 norm) into out at offset; a zero vector stays zero. */
export function writeUnitRow(v: ArrayLike<number>, out: Float32Array, offset: number): void {
  let ss = 0;
  for (let k = 0; k < v.length; k++) ss += v[k]! * v[k]!;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let k = 0; k < v.length; k++) out[offset + k] = v[k]! * inv;
}
