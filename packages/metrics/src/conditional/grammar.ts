/**
 * The caption grammar shipped as weights/caption-grammar.json: per base, the class words, each
 * attribute's three values with their synonyms and tercile thresholds, and the templates. The
 * thresholds are written by fixtures/scripts/caption_attributes.py; the words by hand. The Python
 * scripts read the same file, so a caption means the same to the trainer and to the metrics.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inputError } from '../errors.js';
import type { AttributeName, CaptionedBase } from './types.js';

/** The shipped grammar (same depth from src/ and dist/). */
export const CAPTION_GRAMMAR_FILE = fileURLToPath(new URL('../../weights/caption-grammar.json', import.meta.url));

/** One attribute of a base: how it is measured, its value names and its thresholds. */
export interface AttributeGrammar {
  /** The measurement, in words. */
  readonly measure: string;
  /** Thresholds per class (10 rows) instead of one row for every class. */
  readonly per_class: boolean;
  /** Three lists of synonyms, for the values 0, 1, 2 (e.g. thin, regular, thick). */
  readonly values: readonly (readonly string[])[];
  /** Rows [t1, t2]: value 0 below t1, 1 below t2, else 2. One row, or one per class. */
  readonly thresholds: readonly (readonly number[])[];
}

/** The grammar of one base data set. */
export interface BaseGrammar {
  /** The captioned data set's name. */
  readonly dataset: string;
  readonly split: string;
  /** Per label, the words or phrases that name the class. */
  readonly classes: readonly (readonly string[])[];
  readonly attributes: Partial<Record<AttributeName, AttributeGrammar>>;
  /** Templates with `{class}`, `{<attribute>}` and `{a}` (the article of the next word) placeholders. */
  readonly templates: readonly string[];
}

/** The a/an rule: `an` before a vowel letter or one of `an_words`, `a` before `a_words` ("a one"). */
export interface ArticleRule {
  readonly vowels: readonly string[];
  readonly an_words: readonly string[];
  readonly a_words: readonly string[];
}

/** The whole grammar file. */
export interface CaptionGrammar {
  readonly version: number;
  /** The 8-bit levels that make a pixel ink (digits) or object (clothes). */
  readonly levels: { readonly ink: number; readonly object: number };
  readonly article: ArticleRule;
  readonly bases: Record<CaptionedBase, BaseGrammar>;
}

const BASES: readonly CaptionedBase[] = ['mnist', 'fashion-mnist'];
const ATTRIBUTES: readonly AttributeName[] = ['thickness', 'slant', 'size', 'brightness'];

const isStrings = (v: unknown, min = 1): v is string[] => Array.isArray(v) && v.length >= min && v.every((s) => typeof s === 'string' && s.trim() !== '');

function checkBase(file: string, base: CaptionedBase, g: unknown): BaseGrammar {
  const bad = (problem: string): never => {
    throw inputError(file, `bases.${base}: ${problem}`);
  };
  if (typeof g !== 'object' || g === null) return bad('missing');
  const b = g as BaseGrammar;
  if (!Array.isArray(b.classes) || b.classes.length !== 10 || !b.classes.every((c) => isStrings(c))) bad('classes must be 10 non-empty lists of words');
  if (!isStrings(b.templates)) bad('templates must be a non-empty list of strings');
  if (typeof b.attributes !== 'object' || b.attributes === null || Object.keys(b.attributes).length === 0) bad('attributes missing');
  for (const [name, a] of Object.entries(b.attributes)) {
    if (!ATTRIBUTES.includes(name as AttributeName)) bad(`unknown attribute ${name}`);
    if (!Array.isArray(a.values) || a.values.length !== 3 || !a.values.every((v) => isStrings(v))) bad(`${name}.values must be 3 non-empty lists of synonyms`);
    const rows = a.per_class ? 10 : 1;
    const okRow = (r: unknown) => Array.isArray(r) && r.length === 2 && r.every((t) => typeof t === 'number' && Number.isFinite(t)) && r[0] <= r[1];
    if (!Array.isArray(a.thresholds) || a.thresholds.length !== rows || !a.thresholds.every(okRow)) {
      bad(`${name}.thresholds must be ${rows} row(s) [t1, t2] with t1 <= t2 (run fixtures/scripts/caption_attributes.py)`);
    }
  }
  for (const t of b.templates) {
    for (const m of t.matchAll(/\{([^}]*)\}/g)) {
      const key = m[1]!;
      if (key !== 'a' && key !== 'class' && !(key in b.attributes)) bad(`template "${t}" has an unknown placeholder {${key}}`);
    }
    if (!t.includes('{class}')) bad(`template "${t}" does not name the class`);
  }
  return b;
}

const cache = new Map<string, CaptionGrammar>();

/**
 * Reads and checks a grammar file (default: the shipped one), once per path. A damaged file is one
 * error naming it and the field.
 */
export function loadCaptionGrammar(file: string = CAPTION_GRAMMAR_FILE): CaptionGrammar {
  const hit = cache.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError(file, `cannot read the caption grammar (${(e as Error).message})`);
  }
  const g = raw as CaptionGrammar;
  if (typeof g !== 'object' || g === null || typeof g.bases !== 'object' || g.bases === null) throw inputError(file, 'not a caption grammar (no "bases")');
  if (typeof g.levels?.ink !== 'number' || typeof g.levels.object !== 'number') throw inputError(file, 'levels.ink and levels.object must be numbers');
  const art = g.article;
  if (typeof art !== 'object' || art === null || !isStrings(art.vowels) || !isStrings(art.an_words, 0) || !isStrings(art.a_words, 0)) {
    throw inputError(file, 'article must list vowels, an_words and a_words');
  }
  for (const base of BASES) checkBase(file, base, g.bases[base]);
  cache.set(file, g);
  return g;
}
