/**
 * The text cleaning in front of CLIP's tokenizer (openai/CLIP `simple_tokenizer.py`: `basic_clean`
 * = `ftfy.fix_text` + `html.unescape` twice + strip, then `whitespace_clean`), ported so that
 * captions tokenize to the same ids without Python.
 *
 * `fixText` follows rspeer/python-ftfy's `fix_text` with its default configuration, except the
 * mojibake repair (`fix_encoding`: re-decoding text that was decoded with the wrong codec, chosen by
 * ftfy's badness heuristics), which only changes text that is already garbled.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ENTITIES_FILE = fileURLToPath(new URL('../../../weights/html5-entities.json', import.meta.url));

let html5: Map<string, string> | undefined;
/** Python's `html.entities.html5` (the WHATWG named references), read once. */
function html5Entities(): Map<string, string> {
  html5 ??= new Map(Object.entries(JSON.parse(readFileSync(ENTITIES_FILE, 'utf8')) as Record<string, string>));
  return html5;
}

/** Windows-1252 for 0x80–0x9F, the five undefined bytes kept as themselves (ftfy's "sloppy" codec). */
const CP1252_HIGH =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

/** Code points Python's `html.unescape` drops from numeric references (`html._invalid_codepoints`). */
function invalidCodepoint(n: number): boolean {
  return (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe;
}

function numericReference(body: string): string {
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1).replace(/;$/, '');
  const n = Number.parseInt(digits, hex ? 16 : 10);
  if (n === 0) return '\ufffd';
  if (n === 0x0d) return '\r';
  if (n >= 0x80 && n <= 0x9f) return CP1252_HIGH[n - 0x80]!;
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff || !Number.isFinite(n)) return '\ufffd';
  if (invalidCodepoint(n)) return '';
  return String.fromCodePoint(n);
}

const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

/** Python's `html.unescape`: numeric and named references, the longest legacy name without `;`. */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  const table = html5Entities();
  return text.replace(CHARREF, (_m, body: string) => {
    if (body[0] === '#') return numericReference(body);
    const whole = table.get(body);
    if (whole !== undefined) return whole;
    for (let x = body.length - 1; x > 1; x--) {
      const prefix = table.get(body.slice(0, x));
      if (prefix !== undefined) return prefix + body.slice(x);
    }
    return `&${body}`;
  });
}

let ftfyEntities: Map<string, string> | undefined;
/** ftfy's entity table: `&name;` for every html5 name, plus upper-cased lower-case names (`&NTILDE;`). */
function ftfyEntityTable(): Map<string, string> {
  if (ftfyEntities) return ftfyEntities;
  const out = new Map<string, string>();
  for (const [name, char] of html5Entities()) {
    if (!name.endsWith(';')) continue;
    out.set(`&${name}`, char);
    if (name === name.toLowerCase()) {
      const upper = `&${name.toUpperCase()}`;
      if (htmlUnescape(upper) === upper) out.set(upper, char.toUpperCase());
    }
  }
  ftfyEntities = out;
  return out;
}

function ftfyUnescape(text: string): string {
  const table = ftfyEntityTable();
  return text.replace(/&#?[0-9A-Za-z]{1,24};/g, (m) => {
    const named = table.get(m);
    if (named !== undefined) return named;
    if (!m.startsWith('&#')) return m;
    const decoded = htmlUnescape(m);
    return decoded.includes(';') ? m : decoded;
  });
}

const LIGATURES: Record<string, string> = {
  Ĳ: 'IJ', ĳ: 'ij', ŉ: 'ʼn', Ǳ: 'DZ', ǲ: 'Dz', ǳ: 'dz', Ǆ: 'DŽ', ǅ: 'Dž', ǆ: 'dž', Ǉ: 'LJ', ǈ: 'Lj', ǉ: 'lj',
  Ǌ: 'NJ', ǋ: 'Nj', ǌ: 'nj', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'ſt', ﬆ: 'st',
}; // prettier-ignore
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');

/** Halfwidth and fullwidth forms → their NFKC form (ftfy's WIDTH_MAP), U+3000 → space. */
function fixWidth(text: string): string {
  return text.replace(/[\u3000\uff01-\uffef]/g, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
}

/**
 * Removed by ftfy's `remove_control_chars`: C0 controls but tab, LF, FF, CR; DEL; deprecated
 * format characters; BOM; interlinear annotation marks.
 */
const CONTROL_RE = /[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffb]/g; // eslint-disable-line no-control-regex

function fixSegment(segment: string, unescape: boolean): string {
  let text = segment;
  for (;;) {
    const orig = text;
    if (unescape) text = ftfyUnescape(text);
    text = text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
    text = text.replace(LIGATURE_RE, (c) => LIGATURES[c]!);
    text = fixWidth(text);
    text = text.replace(/[\u201c-\u201f]/g, '"').replace(/[\u02bc\u2018-\u201b]/g, "'");
    text = text.replace(/\r\n|[\r\u2028\u2029\u0085]/g, '\n');
    text = text.replace(/\p{Cs}/gu, '\ufffd');
    text = text.replace(/\x1b\[[0-9;]*[a-zA-Z]/g, ''); // eslint-disable-line no-control-regex
    text = text.replace(CONTROL_RE, '');
    text = text.normalize('NFC');
    if (text === orig) return text;
  }
}

/**
 * `ftfy.fix_text` with its defaults (see the module comment for the one fix left out): line by
 * line; HTML entities are decoded only until the first line containing `<` (ftfy then assumes
 * the text is HTML and leaves the remaining lines' entities alone).
 */
export function fixText(text: string): string {
  let unescape = true;
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const segment = text.slice(pos, end);
    if (segment.includes('<')) unescape = false;
    out.push(fixSegment(segment, unescape));
    pos = end;
  }
  return out.join('');
}

/** Python's `str.strip()` whitespace (`str.isspace`). */
const PY_SPACE = '[\\s\\x1c-\\x1f\\x85]';
const STRIP_RE = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'gu');

/** The `regex` module's `\s` (Unicode White_Space) — CLIP's `whitespace_clean` uses it. */
const WHITE_SPACE_RE = /\p{White_Space}+/gu;

/** CLIP's `whitespace_clean(basic_clean(text)).lower()`: the text its BPE pre-tokenizer sees. */
export function clipCleanText(text: string): string {
  const basic = htmlUnescape(htmlUnescape(fixText(text))).replace(STRIP_RE, '');
  return basic.replace(WHITE_SPACE_RE, ' ').replace(/^ | $/g, '').toLowerCase();
}
