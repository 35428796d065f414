/**
 * Captions of the captioned data sets: written from a class and its attribute values by the
 * grammar (a template, then one synonym per placeholder, then the article), split into words, and
 * parsed back into what they ask for. fixtures/scripts/caption_attributes.py writes the same
 * captions from the same draws.
 */
import { badInputError, orList, usageError } from '../errors.js';
import { type CaptionGrammar, loadCaptionGrammar } from './grammar.js';
import type { AttributeName, CaptionedBase, CaptionMeaning } from './types.js';

/** A source of uniform integers in [0, n): each call is one draw. */
export type CaptionRng = (n: number) => number;

/** A generated caption and what it asks for (the attributes its template names). */
export interface GeneratedCaption {
  readonly text: string;
  readonly meaning: CaptionMeaning;
}

const TOKEN = /[a-z0-9]+(?:-[a-z0-9]+)*/g;
const PLACEHOLDER = /^\{([a-z]+)\}$/;

/** Lower-case words (letters, digits, inner hyphens as in "t-shirt"); punctuation and spaces dropped. */
export function tokenizeCaption(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

function article(next: string, grammar: CaptionGrammar): string {
  const w = next.toLowerCase();
  const rule = grammar.article;
  if (rule.a_words.includes(w)) return 'a';
  return rule.an_words.includes(w) || rule.vowels.includes(w.slice(0, 1)) ? 'an' : 'a';
}

/**
 * A caption of class `label` with the attribute value indexes `values` (every attribute of the
 * base): a template drawn with `rng`, then one synonym per placeholder in template order, then
 * `a`/`an` before the word that follows. The meaning lists only the attributes the template names.
 */
export function generateCaption(
  base: CaptionedBase,
  label: number,
  values: Partial<Record<AttributeName, number>>,
  rng: CaptionRng,
  grammar: CaptionGrammar = loadCaptionGrammar(),
): GeneratedCaption {
  const g = grammar.bases[base];
  if (!Number.isInteger(label) || label < 0 || label >= g.classes.length) throw usageError(`class label ${label} is not one of 0…${g.classes.length - 1}`);
  const template = g.templates[rng(g.templates.length)]!;
  const named: Partial<Record<AttributeName, number>> = {};
  const words = template.split(' ').map((part) => {
    const core = part.replace(/[,.]+$/, '');
    const key = PLACEHOLDER.exec(core)?.[1];
    if (key === undefined || key === 'a') return part;
    let options: readonly string[];
    if (key === 'class') options = g.classes[label]!;
    else {
      const name = key as AttributeName;
      const v = values[name];
      if (v === undefined || !Number.isInteger(v) || v < 0 || v > 2) throw usageError(`attribute ${name} needs a value index 0, 1 or 2, got ${v}`);
      named[name] = v;
      options = g.attributes[name]!.values[v]!;
    }
    return part.replace(core, options[rng(options.length)]!);
  });
  for (let i = 0; i < words.length; i++) if (words[i] === '{a}') words[i] = article(words[i + 1]!.split(' ')[0]!, grammar);
  return { text: words.join(' '), meaning: { label, attributes: named } };
}

type Phrase = { readonly words: readonly string[] } & ({ readonly label: number } | { readonly attribute: AttributeName; readonly value: number });

interface Lexicon {
  /** Class and attribute phrases, longest first. */
  readonly phrases: readonly Phrase[];
  /** Template words that carry no meaning ("the", "digit", "a", ...). */
  readonly fillers: ReadonlySet<string>;
  readonly vocabulary: readonly string[];
}

const lexicons = new WeakMap<CaptionGrammar, Map<CaptionedBase, Lexicon>>();

function lexicon(grammar: CaptionGrammar, base: CaptionedBase): Lexicon {
  let byBase = lexicons.get(grammar);
  if (!byBase) lexicons.set(grammar, (byBase = new Map<CaptionedBase, Lexicon>()));
  const hit = byBase.get(base);
  if (hit) return hit;
  const g = grammar.bases[base];
  const phrases: Phrase[] = [];
  g.classes.forEach((words, label) => words.forEach((w) => phrases.push({ words: tokenizeCaption(w), label })));
  for (const [name, a] of Object.entries(g.attributes)) {
    a.values.forEach((syn, value) => syn.forEach((w) => phrases.push({ words: tokenizeCaption(w), attribute: name as AttributeName, value })));
  }
  const seen = new Map<string, Phrase>();
  for (const p of phrases) {
    const key = p.words.join(' ');
    const other = seen.get(key);
    if (other && JSON.stringify(other) !== JSON.stringify(p)) throw badInputError(`caption grammar, ${base}: "${key}" has two meanings`);
    seen.set(key, p);
  }
  phrases.sort((p, q) => q.words.length - p.words.length);
  const fillers = new Set(['a', 'an']);
  for (const t of g.templates) for (const w of tokenizeCaption(t.replace(/\{[a-z]+\}/g, ' '))) fillers.add(w);
  const vocabulary = [...new Set([...fillers, ...phrases.flatMap((p) => p.words)])].sort();
  const lex = { phrases, fillers, vocabulary };
  byBase.set(base, lex);
  return lex;
}

/** Every word a caption of the base may contain, sorted (the encoders' vocabulary). */
export function captionVocabulary(base: CaptionedBase, grammar: CaptionGrammar = loadCaptionGrammar()): readonly string[] {
  return lexicon(grammar, base).vocabulary;
}

const matches = (tokens: readonly string[], at: number, words: readonly string[]) => words.every((w, k) => tokens[at + k] === w);

/**
 * What a caption asks for: its class (exactly one) and the value of each attribute it names.
 * Template words are skipped; a word outside the vocabulary, a phrase cut short, no class, two
 * classes or two values of one attribute are usage errors naming the caption.
 */
export function parseCaption(text: string, base: CaptionedBase, grammar: CaptionGrammar = loadCaptionGrammar()): CaptionMeaning {
  const lex = lexicon(grammar, base);
  const tokens = tokenizeCaption(text);
  const fail = (problem: string): never => {
    throw usageError(`caption "${text}": ${problem}`);
  };
  const unknown = tokens.find((w) => !lex.vocabulary.includes(w));
  if (unknown !== undefined) fail(`unknown word "${unknown}" (not in the ${base} caption vocabulary)`);
  let label: number | undefined;
  const attributes: Partial<Record<AttributeName, number>> = {};
  for (let i = 0; i < tokens.length;) {
    const phrase = lex.phrases.find((p) => matches(tokens, i, p.words));
    if (!phrase) {
      if (!lex.fillers.has(tokens[i]!)) fail(`"${tokens[i]}" is only part of a phrase here`);
      i++;
      continue;
    }
    if ('label' in phrase) {
      if (label !== undefined && label !== phrase.label) fail(`names two classes (${label} and ${phrase.label})`);
      label = phrase.label;
    } else {
      const prev = attributes[phrase.attribute];
      if (prev !== undefined && prev !== phrase.value) fail(`gives ${phrase.attribute} two values`);
      attributes[phrase.attribute] = phrase.value;
    }
    i += phrase.words.length;
  }
  if (label === undefined) return fail(`names no class (${orList(grammar.bases[base].classes.map((c) => c[0]!))})`);
  return { label, attributes };
}
