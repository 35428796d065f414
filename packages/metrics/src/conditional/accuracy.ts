/**
 * Whether generated images obey their condition, by measurement: `classAccuracy` is the top-1
 * agreement of the embedded classifier with the class each caption or label asked for (chance
 * 1/K); `attributeAccuracy` compares the attributes measured from the pixels with those the
 * caption named (chance 1/3 per attribute of three values), skipping attributes it did not name.
 */
import { inputError, usageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { AttributeName, CaptionMeaning } from './types.js';
import { checkClassLabels } from './class-labels.js';

/** One class's share of images classified as the class they were asked for. */
export interface ClassAccuracyEntry {
  readonly label: number;
  readonly n: number;
  readonly accuracy: number;
}

/** Top-1 accuracy overall and per requested class (classes in ascending order). */
export interface ClassAccuracyResult {
  readonly classAccuracy: number;
  readonly correct: number;
  readonly n: number;
  readonly perClass: readonly ClassAccuracyEntry[];
}

/**
 * Top-1 accuracy of `predicted` — n×K classifier logits (the first largest wins, as numpy's argmax)
 * or n predicted classes — against the `requested` class of each image.
 */
export function classAccuracy(
  predicted: Matrix | ArrayLike<number>,
  requested: ArrayLike<number | bigint>,
  names: readonly [string, string] = ['predictions', 'labels'],
): ClassAccuracyResult {
  const logits = isMatrix(predicted) ? predicted : undefined;
  const n = logits ? logits.rows : (predicted as ArrayLike<number>).length;
  if (n === 0) throw inputError(names[0], 'is empty (no predictions)');
  const want = checkClassLabels(requested, n, names[1], names[0]);
  const got = logits ? argmaxRows(logits, names[0]) : checkClassLabels(predicted as ArrayLike<number>, n, names[0], names[1]);
  if (logits)
    for (let i = 0; i < n; i++) if (want[i]! >= logits.cols) throw inputError(names[1], `label ${want[i]} at row ${i} is not one of the classifier's ${logits.cols} classes`);
  const counts = new Map<number, { n: number; correct: number }>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const c = counts.get(want[i]!) ?? { n: 0, correct: 0 };
    c.n++;
    if (got[i] === want[i]) {
      c.correct++;
      correct++;
    }
    counts.set(want[i]!, c);
  }
  const perClass = [...counts.entries()].sort(([a], [b]) => a - b).map(([label, c]) => ({ label, n: c.n, accuracy: c.correct / c.n }));
  return { classAccuracy: correct / n, correct, n, perClass };
}

function isMatrix(x: Matrix | ArrayLike<number>): x is Matrix {
  return 'cols' in x && 'rows' in x && 'data' in x;
}

function argmaxRows(m: Matrix, name: string): Int32Array {
  if (m.cols === 0) throw inputError(name, 'has no classes (0 logit columns)');
  const out = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (Number.isNaN(v)) throw inputError(name, `logit ${j} of row ${i} is NaN`);
      if (v > m.data[i * m.cols + best]!) best = j;
    }
    out[i] = best;
  }
  return out;
}

/** One attribute's share of requests met, over the images whose caption named it. */
export interface AttributeAccuracyEntry {
  readonly accuracy: number;
  readonly requests: number;
}

/** Attribute accuracy overall (every named attribute of every caption) and per attribute. */
export interface AttributeAccuracyResult {
  /** Share of all (image, named attribute) requests met; null when no caption named an attribute. */
  readonly attributeAccuracy: number | null;
  readonly requests: number;
  readonly perAttribute: Partial<Record<AttributeName, AttributeAccuracyEntry>>;
  /** The values by metric key: `attribute_accuracy` and `attribute_accuracy_<name>` per attribute requested. */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Measured value indexes (per attribute, one per image: `measured.thickness[i]`) against the
 * value index each image's caption asked for (`requested[i].attributes`). An attribute a caption
 * did not name is not counted for that image; every attribute some caption names must be measured.
 */
export function attributeAccuracy(measured: Partial<Record<AttributeName, ArrayLike<number>>>, requested: readonly CaptionMeaning[]): AttributeAccuracyResult {
  const n = requested.length;
  const tally = new Map<AttributeName, { requests: number; met: number }>();
  for (let i = 0; i < n; i++) {
    for (const [name, want] of Object.entries(requested[i]!.attributes) as [AttributeName, number | undefined][]) {
      if (want === undefined) continue;
      const values = measured[name];
      if (values === undefined) throw usageError(`attribute accuracy: caption ${i} names ${name}, but no ${name} was measured`);
      if (values.length !== n) throw usageError(`attribute accuracy: ${values.length} measured ${name} values for ${n} images`);
      const got = values[i]!;
      if (!Number.isInteger(got) || got < 0) throw usageError(`attribute accuracy: measured ${name} of image ${i} is ${got}, not a value index`);
      if (!Number.isInteger(want) || want < 0) throw usageError(`attribute accuracy: caption ${i} asks for ${name} ${want}, not a value index`);
      const t = tally.get(name) ?? { requests: 0, met: 0 };
      t.requests++;
      if (got === want) t.met++;
      tally.set(name, t);
    }
  }
  const perAttribute: Partial<Record<AttributeName, AttributeAccuracyEntry>> = {};
  const metrics: Record<string, number> = {};
  let requests = 0;
  let met = 0;
  for (const [name, t] of [...tally.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    perAttribute[name] = { accuracy: t.met / t.requests, requests: t.requests };
    metrics[`attribute_accuracy_${name}`] = t.met / t.requests;
    requests += t.requests;
    met += t.met;
  }
  const overall = requests === 0 ? null : met / requests;
  return { attributeAccuracy: overall, requests, perAttribute, metrics: overall === null ? metrics : { attribute_accuracy: overall, ...metrics } };
}
