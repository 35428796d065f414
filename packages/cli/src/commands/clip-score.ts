/**
 * `gen-eval clip-score IMAGES --captions FILE --text-weights CKPT [--per-image] [--json]` — CLIP
 * score (torchmetrics' `CLIPScore`: mean of 100·cos(image, caption), clamped at 0) of an image
 * folder against one caption per image (`--text-weights`: an OpenAI `.pt` or Hugging Face `.safetensors`). Image embeddings come from the folder pipeline's
 * extractor; captions go through CLIP's tokenizer and the text tower of the checkpoint. Captions
 * over 77 tokens are truncated as `clip.tokenize(truncate=True)`, each with a warning (torchmetrics
 * drops such captions silently).
 */
import { clipScore, matrix, METRIC } from '@gen-eval/metrics';
import { GenEvalError, usageError } from '@gen-eval/metrics/errors';
import { CLIP_CONTEXT_LENGTH, createClipTextEncoder, readClipWeights } from '@gen-eval/metrics/extract';
import { listImages } from '@gen-eval/metrics/images';
import { captionsForImages, readCaptions } from '../captions-file.js';
import { emit, type OutputOptions } from '../output.js';
import { loadInputs } from '../read-inputs.js';

export interface ClipScoreCommandOptions extends OutputOptions {
  captions: string;
  textWeights?: string;
  perImage?: boolean;
  threads?: number;
  device?: 'cpu' | 'cuda';
}

export async function run(folder: string, opts: ClipScoreCommandOptions): Promise<void> {
  if (opts.textWeights === undefined) throw usageError('clip-score: --text-weights PATH (a CLIP checkpoint: OpenAI .pt or Hugging Face .safetensors) is required');
  const source = readCaptions(opts.captions);
  const listing = await listImages(folder);
  const names = listing.files.map((f) => f.relPath);
  const captions = captionsForImages(source, names, opts.captions);
  const clip = readClipWeights(opts.textWeights);
  const encoder = await createClipTextEncoder(clip.tensors, {
    heads: clip.config.transformerHeads,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.device !== undefined ? { executionProvider: opts.device } : {}),
  });
  let text;
  try {
    text = await encoder.encode(captions);
  } finally {
    await encoder.dispose();
  }
  const warnings: string[] = [];
  text.tokens.forEach((t, i) => {
    if (t.truncated) {
      warnings.push(
        `${opts.captions}: the caption of ${names[i]} has ${t.tokenCount} tokens; truncated to ${CLIP_CONTEXT_LENGTH - 2} (CLIP's context is ${CLIP_CONTEXT_LENGTH} with start and end tokens)`,
      );
    }
  });
  const {
    inputs: [input],
    warnings: imageWarnings,
  } = await loadInputs([folder], opts, { accept: ['images'] });
  if (input!.kind !== 'images') throw new GenEvalError(`${folder}: expected an image folder`);
  const set = input!.set;
  // Images skipped with --skip-bad have no feature row: drop their captions too.
  const skipped = new Set(set.skipped.map((s) => s.file));
  const kept = names.map((n, i) => i).filter((i) => !skipped.has(listing.files[i]!.path) && !skipped.has(names[i]!));
  if (kept.length !== set.features.rows) throw new GenEvalError(`${folder}: ${set.features.rows} image features for ${kept.length} captioned images`);
  const dim = text.dim;
  const textRows = new Float64Array(kept.length * dim);
  kept.forEach((i, r) => textRows.set(text.embeddings.subarray(i * dim, (i + 1) * dim), r * dim));
  const r = clipScore(set.features, matrix(textRows, kept.length, dim));
  const perImage = kept.map((i, k) => ({ file: names[i]!, caption: captions[i]!, clip_score: r.perPair[k]! }));
  const lines = [`CLIP score: ${r.value.toFixed(4)}  (${r.count} image–caption pairs, extractor ${set.extractor})`];
  if (opts.perImage) lines.push(...perImage.map((p) => `${p.clip_score.toFixed(4)}\t${p.file}`));
  emit(
    {
      metric: 'clip_score',
      [METRIC.clip_score]: r.value,
      n: r.count,
      dims: dim,
      extractor: set.extractor,
      captions: opts.captions,
      truncated: text.tokens.filter((t) => t.truncated).length,
      ...(opts.perImage ? { per_image: perImage } : {}),
    },
    opts,
    lines.join('\n'),
    [...imageWarnings, ...warnings],
  );
}
