/**
 * `gen-eval clip-score IMAGES --captions FILE [--per-image] [--json]` — CLIP score (torchmetrics'
 * `CLIPScore`: mean of 100·cos(image, caption), clamped at 0) of an image folder against one caption
 * per image. Images go through the `clip` extractor (ViT-L/14@336px unless `--extractor clip:<model>`),
 * captions through CLIP's tokenizer and the text tower of the same checkpoint (`--weights`, or the
 * one the extractor downloads; `--text-weights` overrides it). Captions
 * over 77 tokens are truncated as `clip.tokenize(truncate=True)`, each with a warning (torchmetrics
 * drops such captions silently).
 */
import { clipScore, matrix, METRIC } from '@gen-eval/metrics';
import { GenEvalError } from '@gen-eval/metrics/errors';
import { CLIP_CONTEXT_LENGTH, createClipTextEncoder, readClipWeights, resolveClipWeights } from '@gen-eval/metrics/extract';
import { listImages } from '@gen-eval/metrics/images';
import { captionsForImages, readCaptions } from '../captions-file.js';
import { clipExtractorSpec } from '../clip-extractor-spec.js';
import { emit, type OutputOptions } from '../output.js';
import { loadInputs } from '../read-inputs.js';

export interface ClipScoreCommandOptions extends OutputOptions {
  captions: string;
  extractor?: string;
  weights?: string;
  quiet?: boolean;
  textWeights?: string;
  perImage?: boolean;
  threads?: number;
  device?: 'cpu' | 'cuda';
}

export async function run(folder: string, opts: ClipScoreCommandOptions): Promise<void> {
  const { spec: extractor, model } = clipExtractorSpec(opts.extractor, 'CLIP score');
  const source = readCaptions(opts.captions);
  const listing = await listImages(folder);
  const names = listing.files.map((f) => f.relPath);
  const captions = captionsForImages(source, names, opts.captions);
  const textWeights =
    opts.textWeights ?? (await resolveClipWeights(model, { ...(opts.weights !== undefined ? { weights: opts.weights } : {}), download: true, quiet: opts.quiet === true })).path;
  const clip = readClipWeights(textWeights);
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
  } = await loadInputs([folder], { ...opts, extractor }, { accept: ['images'] });
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
