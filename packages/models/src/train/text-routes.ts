/**
 * The routes of a text-conditioned run (condition kind 'text'; condition-routes.ts dispatches
 * here): captions become the conditioning embeddings `SampleOptions.text` through the data set's
 * own encoder (`Dataset.text`, the one the model was trained with) — a single caption, a captions
 * file (one caption per line), or the line between two captions (Reed et al. 2016's GAN-INT figure:
 * one noise z, the text code moving from the first caption's to the second's). Without a caption,
 * samples are drawn for held-out captions of the data, as an evaluation draws them.
 */
import { readFileSync } from 'node:fs';
import { GenEvalError, inputError, internalError, usageError } from '@gen-eval/metrics/errors';
import type { CaptionEncoder } from '@gen-eval/metrics/conditional';
import type { Batch, SampleOptions, TrainableModel } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { CONDITION_GRID_ROWS, rowPerValue, type ConditionGrid } from './condition-grid.js';

/** The conditioning encoder of a captioned data set (an internal error elsewhere: checkConditionData refused the data). */
export function textEncoder(data: Dataset): CaptionEncoder {
  if (!data.text) throw internalError(`a text-conditioned run on ${data.name}, which has no captions`);
  return data.text;
}

/** n captioned samples of the held-out split (the training split where there is none). */
export function heldOutCaptions(data: Dataset, n: number, rng: Rng): Batch & { readonly captions: readonly string[]; readonly text: Float32Array } {
  const b = data.heldOut ? data.heldOut(n, rng) : data.sample(n, rng);
  if (!b.captions || !b.text) throw internalError(`${data.name} drew a batch without its captions`);
  return b as Batch & { readonly captions: readonly string[]; readonly text: Float32Array };
}

/**
 * The captions of a captions file: one per line, trimmed; blank lines are skipped (a trailing
 * newline, a blank line between groups). A file with none is refused.
 */
export function readCaptionsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw inputError(path, 'cannot be read (no such file, or not a file)');
  }
  const captions = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (captions.length === 0) throw inputError(path, 'has no captions (one caption per line; blank lines are skipped)');
  return captions;
}

/**
 * Embeddings of `captions` by `encoder`, n × dims. An encoder's refusal (an unknown word) is
 * re-thrown naming where the caption came from: `where(i)` describes caption i (a file's line).
 */
export function encodeCaptions(encoder: CaptionEncoder, captions: readonly string[], where: (i: number) => { file?: string; what: string }): Float32Array {
  try {
    return encoder.encode(captions);
  } catch (e) {
    if (!(e instanceof GenEvalError)) throw e;
    // Find the caption the encoder refused, to name it.
    const i = captions.findIndex((c) => {
      try {
        encoder.encode([c]);
        return false;
      } catch {
        return true;
      }
    });
    const at = where(Math.max(i, 0));
    // The embedded encoders already name the caption; `at.what` names it with its place instead.
    const why = i >= 0 ? e.message.replace(`caption "${captions[i]}": `, '') : e.message;
    throw at.file ? inputError(at.file, `${at.what}: ${why}`) : usageError(`${at.what}: ${why}`, { options: e.options ?? [] });
  }
}

/** Each of `rows` (r × dims) repeated `times` times in a row: n per caption, in the captions' order. */
export function repeatRows(rows: Float32Array, dims: number, times: number): Float32Array {
  const r = rows.length / dims;
  const out = new Float32Array(r * times * dims);
  for (let i = 0; i < r; i++) for (let k = 0; k < times; k++) out.set(rows.subarray(i * dims, (i + 1) * dims), (i * times + k) * dims);
  return out;
}

/** n codes evenly from a to b: row i is (1 − wᵢ)·a + wᵢ·b with wᵢ = i/(n − 1) (w = 0 when n = 1). */
export function interpolateCodes(a: Float32Array, b: Float32Array, n: number): { text: Float32Array; weights: number[] } {
  const dims = a.length;
  const weights = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : i / (n - 1)));
  const text = new Float32Array(n * dims);
  weights.forEach((w, i) => {
    for (let d = 0; d < dims; d++) text[i * dims + d] = (1 - w) * a[d]! + w * b[d]!;
  });
  return { text, weights };
}

/** What the text options of a `sampleRun` request ask for. */
export interface TextRequest {
  caption?: string;
  /** A captions file: one caption per line. */
  captions?: string;
  /** With `caption`: the caption to interpolate towards. */
  interpolate?: string;
}

/** What a text request draws: the rows' conditioning codes and the caption each row was drawn for (captions.txt). */
interface TextDraw {
  readonly text: Float32Array;
  readonly captions: readonly string[];
}

/** A checked text request: the samples to draw, the options for `sample`, and the draw itself. */
export interface TextCondition {
  readonly n: number;
  readonly notes: readonly string[];
  /** The options of one `sample(n, rng, …)` call (drawn from `rng` where held-out captions are). */
  options(rng: Rng): SampleOptions;
  /**
   * Draws the samples with the sample stream (`rng()` a fresh copy of it) and says which caption
   * each row was drawn for. An interpolation draws row by row, each row with the same noise: the
   * text is the only change along them.
   */
  draw(model: Pick<TrainableModel, 'sample'>, rng: () => Rng): { points: Float32Array; captions: readonly string[] };
}

/** A condition of fixed codes; `sameNoise` draws each row with a fresh copy of the stream. */
function fixed(n: number, d: TextDraw, sameNoise = false, notes: readonly string[] = []): TextCondition {
  return {
    n,
    notes,
    options: () => ({ text: d.text }),
    draw(model, rng) {
      if (!sameNoise) return { points: model.sample(n, rng(), { text: d.text }), captions: d.captions };
      const dims = d.text.length / n;
      const rows = Array.from({ length: n }, (_, i) => model.sample(1, rng(), { text: d.text.subarray(i * dims, (i + 1) * dims) }));
      const points = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
      rows.forEach((r, i) => points.set(r, i * r.length));
      return { points, captions: d.captions };
    },
  };
}

/** Checks a text request against the run's data and encodes its captions (before any checkpoint is loaded). */
export function textRequest(data: Dataset, n: number, o: TextRequest): TextCondition {
  const encoder = textEncoder(data);
  const nonEmpty = (option: 'caption' | 'interpolate', v: string) => {
    if (v.trim() === '') throw usageError(`\`${option}\` must not be empty`, { options: [option] });
    return v.trim();
  };
  if (o.captions !== undefined && (o.caption !== undefined || o.interpolate !== undefined)) {
    throw usageError(`\`captions\` (a file) draws for its own captions: give it alone, without \`${o.caption !== undefined ? 'caption' : 'interpolate'}\``, {
      options: ['captions', 'caption', 'interpolate'],
    });
  }
  if (o.interpolate !== undefined && o.caption === undefined) {
    throw usageError('`interpolate` is the caption an interpolation ends at: give the one it starts at with `caption`', { options: ['interpolate', 'caption'] });
  }
  const one = (option: 'caption' | 'interpolate', v: string) => encodeCaptions(encoder, [v], () => ({ what: `\`${option}\` "${v}"` }));
  if (o.captions !== undefined) {
    const file = o.captions;
    const lines = readCaptionsFile(file);
    const codes = encodeCaptions(encoder, lines, (i) => ({ file, what: `caption ${i + 1} ("${lines[i]}")` }));
    return fixed(lines.length * n, { text: repeatRows(codes, encoder.dims, n), captions: lines.flatMap((c) => Array<string>(n).fill(c)) });
  }
  if (o.caption !== undefined && o.interpolate !== undefined) {
    const [from, to] = [nonEmpty('caption', o.caption), nonEmpty('interpolate', o.interpolate)];
    const { text, weights } = interpolateCodes(one('caption', from), one('interpolate', to), n);
    return fixed(n, { text, captions: weights.map((w) => `${(1 - w).toFixed(3)} × ${from} + ${w.toFixed(3)} × ${to}`) }, true);
  }
  if (o.caption !== undefined) {
    const caption = nonEmpty('caption', o.caption);
    return fixed(n, { text: repeatRows(one('caption', caption), encoder.dims, n), captions: Array<string>(n).fill(caption) });
  }
  // No caption: held-out captions of the data, drawn from the sample stream before the noise.
  return {
    n,
    notes: [`no caption given: drew for ${n} held-out captions of ${data.name}`],
    options: (rng) => ({ text: heldOutCaptions(data, n, rng).text }),
    draw(model, rng) {
      const r = rng();
      const b = heldOutCaptions(data, n, r);
      return { points: model.sample(n, r, { text: b.text }), captions: b.captions };
    },
  };
}

/**
 * The caption grid of a text run: one row per class (the first CONDITION_GRID_ROWS), each a held-out
 * caption of that class — drawn once per run from the `condition-grid` stream, so the attributes
 * vary from row to row as the data's captions do — with the same noise down each column. Data
 * without labels: the first distinct held-out captions.
 */
export function captionGrid(data: Dataset, seed: number): ConditionGrid | undefined {
  const encoder = textEncoder(data);
  const b = heldOutCaptions(data, 32 * CONDITION_GRID_ROWS, Rng.stream(seed, 'condition-grid'));
  const picked: string[] = [];
  if (b.labels) {
    for (let k = 0; k < Math.min(data.classes ?? 0, CONDITION_GRID_ROWS); k++) {
      const i = b.labels.indexOf(k);
      if (i >= 0) picked.push(b.captions[i]!);
    }
  } else picked.push(...[...new Set(b.captions)].slice(0, CONDITION_GRID_ROWS));
  if (picked.length === 0) return undefined;
  const codes = encoder.encode(picked);
  const dims = encoder.dims;
  return rowPerValue(
    'text',
    seed,
    picked.map((c) => `"${c}"`),
    (row, cols) => ({ text: repeatRows(codes.subarray(row * dims, (row + 1) * dims), dims, cols) }),
  );
}
