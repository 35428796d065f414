/**
 * CLIP's byte-level BPE tokenizer (openai/CLIP `simple_tokenizer.py` and `clip.tokenize`), with
 * OpenAI's vocabulary `bpe_simple_vocab_16e6.txt.gz` shipped in `weights/` (MIT licence, see
 * `weights/clip-bpe-simple-vocab-16e6.LICENSE`): every OpenAI CLIP model shares it, so tokenizing
 * works offline and does not depend on which weights were downloaded.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { clipCleanText } from './text-clean.js';

const VOCAB_FILE = fileURLToPath(new URL('../../../weights/clip-bpe-simple-vocab-16e6.txt.gz', import.meta.url));

/** `<|startoftext|>`, the first token of every row. */
export const CLIP_SOT = 49406;
/** `<|endoftext|>`, the last token; the text tower reads its features at this position. */
export const CLIP_EOT = 49407;
/** Context length of every OpenAI CLIP text tower. */
export const CLIP_CONTEXT_LENGTH = 77;

/** GPT-2's byte → printable character table (`bytes_to_unicode`), so BPE never sees whitespace or controls. */
function bytesToUnicode(): string[] {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : 256 + extra++);
  return table;
}

/** Pre-tokenizer of `simple_tokenizer.py` (a `regex`-module pattern with IGNORECASE). */
const PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;

interface Vocabulary {
  encoder: Map<string, number>;
  ranks: Map<string, number>;
  byteChars: string[];
}

let vocabulary: Vocabulary | undefined;
function loadVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;
  const lines = gunzipSync(readFileSync(VOCAB_FILE)).toString('utf8').split('\n');
  // As the reference: line 0 is a header; the first 49152 − 256 − 2 merges are used.
  const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((line) => line.split(/\s+/).filter(Boolean));
  const byteChars = bytesToUnicode();
  // The reference lists the single characters in its dict order: printable bytes first, then the rest.
  const singles = [...byteChars].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  const vocab = [...singles, ...singles.map((c) => `${c}</w>`), ...merges.map((m) => m.join(''))];
  vocab.push('<|startoftext|>', '<|endoftext|>');
  const encoder = new Map(vocab.map((v, i) => [v, i]));
  const ranks = new Map(merges.map((m, i) => [`${m[0]} ${m[1]}`, i]));
  vocabulary = { encoder, ranks, byteChars };
  return vocabulary;
}

/** Greedy lowest-rank merging of one pre-token (already byte-mapped) into BPE symbols. */
function bpe(token: string, ranks: Map<string, number>): string[] {
  let word = [...token.slice(0, -1), `${token.slice(-1)}</w>`];
  while (word.length > 1) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < word.length; i++) {
      const rank = ranks.get(`${word[i]} ${word[i + 1]}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) break;
    const first = word[best]!;
    const second = word[best + 1]!;
    const merged: string[] = [];
    for (let i = 0; i < word.length;) {
      if (word[i] === first && i + 1 < word.length && word[i + 1] === second) {
        merged.push(first + second);
        i += 2;
      } else {
        merged.push(word[i]!);
        i += 1;
      }
    }
    word = merged;
  }
  return word;
}

const cache = new Map<string, number[]>();

/** BPE ids of one caption, without start/end tokens (`SimpleTokenizer.encode`). */
export function clipEncode(text: string): number[] {
  const { encoder, ranks, byteChars } = loadVocabulary();
  const ids: number[] = [];
  for (const match of clipCleanText(text).matchAll(PATTERN)) {
    const piece = match[0];
    let cached = cache.get(piece);
    if (!cached) {
      if (piece === '<|startoftext|>' || piece === '<|endoftext|>') {
        cached = [encoder.get(piece)!];
      } else {
        const mapped = Array.from(Buffer.from(piece, 'utf8'), (b) => byteChars[b]!).join('');
        cached = bpe(mapped, ranks).map((symbol) => encoder.get(symbol)!);
      }
      if (cache.size < 10_000) cache.set(piece, cached);
    }
    ids.push(...cached);
  }
  return ids;
}

/** One caption as `clip.tokenize(text, truncate=True)` lays it out. */
export interface ClipTokens {
  /** `CLIP_CONTEXT_LENGTH` ids: SOT, the BPE ids, EOT, zero padding. */
  ids: Int32Array;
  /** Whether the caption had more than 75 BPE tokens and was cut (EOT kept last). */
  truncated: boolean;
  /** Number of BPE tokens before truncation (without SOT/EOT). */
  tokenCount: number;
}

/** `clip.tokenize(text, context_length, truncate=True)` for one caption. */
export function clipTokenize(text: string, contextLength = CLIP_CONTEXT_LENGTH): ClipTokens {
  const bpeIds = clipEncode(text);
  let row = [CLIP_SOT, ...bpeIds, CLIP_EOT];
  const truncated = row.length > contextLength;
  if (truncated) {
    row = row.slice(0, contextLength);
    row[contextLength - 1] = CLIP_EOT;
  }
  const ids = new Int32Array(contextLength);
  ids.set(row);
  return { ids, truncated, tokenCount: bpeIds.length };
}
