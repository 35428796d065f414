/**
 * CLIP text encoder: captions → `clipTokenize` → the text-tower ONNX graph on onnxruntime →
 * L2-normalised text embeddings, in the space of the same model's image embeddings.
 */
import type { StateDict } from '../torch/pth-reader.js';
import { loadOrt } from '../ort.js';
import { createSession, releaseOnce, type OnnxSessionOptions } from '../session.js';
import { GenEvalError } from '../../errors.js';
import { buildClipTextGraph, clipTextConfig, type ClipTextConfig } from './text-graph.js';
import { CLIP_EOT, clipTokenize, type ClipTokens } from './tokenizer.js';

/** Options of `createClipTextEncoder`. */
export interface ClipTextEncoderOptions extends OnnxSessionOptions {
  /** Attention heads (default width / 64, as every OpenAI CLIP text tower). */
  heads?: number;
  /** Captions per onnxruntime run (default 64). */
  maxBatch?: number;
}

/** Result of `ClipTextEncoder.encode`. */
export interface ClipTextEmbeddings {
  /** n × `dim` L2-normalised embeddings, row i for caption i. */
  embeddings: Float32Array;
  dim: number;
  /** The token rows fed to the tower (with each caption's truncation flag). */
  tokens: ClipTokens[];
}

/** A loaded CLIP text tower. */
export interface ClipTextEncoder {
  readonly config: ClipTextConfig;
  /** Embeds captions (longer ones are truncated as `clip.tokenize(truncate=True)`; see `tokens`). */
  encode(captions: readonly string[]): Promise<ClipTextEmbeddings>;
  dispose(): Promise<void>;
}

/** Builds the text tower of a CLIP state dict (official key names) and opens an onnxruntime session on it. */
export async function createClipTextEncoder(weights: StateDict, options: ClipTextEncoderOptions = {}): Promise<ClipTextEncoder> {
  const config = clipTextConfig(weights, options.heads);
  const session = await createSession(buildClipTextGraph(weights, config), 'CLIP text tower', options);
  const { Tensor } = await loadOrt();
  const maxBatch = options.maxBatch ?? 64;
  const ctx = config.contextLength;
  return {
    config,
    async encode(captions) {
      const tokens = captions.map((c) => clipTokenize(c, ctx));
      const n = tokens.length;
      const embeddings = new Float32Array(n * config.embedDim);
      for (let start = 0; start < n; start += maxBatch) {
        const m = Math.min(maxBatch, n - start);
        const ids = new BigInt64Array(m * ctx);
        const eot = new Float32Array(m * ctx);
        for (let i = 0; i < m; i++) {
          const row = tokens[start + i]!.ids;
          for (let j = 0; j < ctx; j++) ids[i * ctx + j] = BigInt(row[j]!);
          // `text.argmax(dim=-1)`: the end-of-text token holds the largest id of every row.
          eot[i * ctx + row.indexOf(CLIP_EOT)] = 1;
        }
        const out = await session.run({ ids: new Tensor('int64', ids, [m, ctx]), eot: new Tensor('float32', eot, [m, 1, ctx]) }, ['embeddings']);
        const data = out.embeddings?.data;
        if (!(data instanceof Float32Array) || data.length !== m * config.embedDim) {
          throw new GenEvalError(`CLIP text tower: output is not float32 with ${config.embedDim} values per caption`);
        }
        embeddings.set(data, start * config.embedDim);
      }
      return { embeddings, dim: config.embedDim, tokens };
    },
    dispose: releaseOnce(session),
  };
}
