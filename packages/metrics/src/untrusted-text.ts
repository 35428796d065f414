/**
 * Untrusted text (metric names, expressions, paths, run names) on its way to a terminal or a CI
 * log: control characters shown escaped, CI workflow commands neutralised, long echoes truncated.
 * GitHub's runner executes any output line that starts with `::` (after blanks) and any line
 * holding `##[` (the legacy form, matched anywhere), so a name with a newline could forge
 * annotations or switch real ones off (`::stop-commands::`).
 */

/**
 * Characters never printed raw: C0 controls (ESC starts terminal escape sequences; CR and LF
 * start new lines, so new workflow commands), DEL, C1 controls, the Unicode line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates (which reorder what
 * a reader sees).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\x1b`, `\u2028`: how an unsafe character is shown. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * The text with every control character, line separator and bidi control shown escaped (`\n`,
 * `\x1b`, `\u202e`), so that it stays on one line and cannot drive the terminal. Idempotent.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * One line safe for a terminal and for a CI log: {@link escapeControls}, and a line that would
 * read as a GitHub workflow command (`::` first after blanks, or `##[` anywhere) has that colon
 * or bracket shown escaped (`\x3a:error::…`, `##\x5b`). Idempotent.
 */
export function terminalLine(text: string): string {
  return escapeControls(text)
    .replace(/^(\s*)::/, '$1\\x3a:')
    .replace(/##\[/g, '##\\x5b');
}

/** {@link terminalLine} for each line of a multi-line text (its `\n`s stay line breaks). */
export function terminalText(text: string): string {
  return text.split('\n').map(terminalLine).join('\n');
}

/**
 * A piece of user input quoted for an error message: as a JSON string (so control characters
 * are escaped), cut after `max` characters with `…` and the full length, so that a 200 KB
 * expression or key does not fill the terminal.
 */
export function quoteInput(text: string, max = 100): string {
  if (text.length <= max) return JSON.stringify(text);
  // Never cut a surrogate pair in half.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${JSON.stringify(`${text.slice(0, end)}…`)} (${text.length} characters)`;
}

/**
 * `JSON.stringify(value)` as one line safe for a CI log: the same JSON value, with the characters
 * JSON.stringify leaves raw (DEL, C1 controls, line separators, bidi controls) and the `[` of any
 * `##[` written as `\uXXXX` escapes. They can only occur inside strings, where an escape is
 * equivalent, so the output still parses to the same value.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/##\[/g, '##\\u005b');
}
