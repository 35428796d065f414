/**
 * Typed errors: every layer fails with a one-line message and a `code` saying what kind of
 * failure it is, so callers can branch on the code (never on the wording) and the CLI maps each
 * code to its exit status in one place (packages/cli/src/exit-codes.ts).
 */

/**
 * What kind of failure a {@link GenEvalError} is:
 * - `bad_input`: the data given (a file's contents, a matrix, statistics) cannot be used;
 * - `usage`: an option or argument is out of range or contradicts another;
 * - `io`: a file or folder cannot be read or written (see `path` and `cause`);
 * - `unsupported`: a valid but unsupported format or feature (e.g. a BMP compression);
 * - `internal`: a broken invariant — a bug in gen-eval or in the caller's use of a low-level API.
 */
export type ErrorCode = 'bad_input' | 'usage' | 'io' | 'unsupported' | 'internal';

/** Every {@link ErrorCode}, for exhaustive checks. */
export const ERROR_CODES: readonly ErrorCode[] = ['bad_input', 'usage', 'io', 'unsupported', 'internal'];

/** Options of the {@link GenEvalError} constructor. */
export interface GenEvalErrorOptions {
  /** The kind of failure (default `bad_input`). */
  code?: ErrorCode;
  /** The offending file or folder, when there is one. */
  path?: string;
  /** The underlying error (ES2022 `Error.cause`). */
  cause?: unknown;
  /**
   * The caller's options (their API names, e.g. `weights`) that the message names in backticks,
   * so a front end can word them its own way (the CLI names its flags: `--weights`).
   */
  options?: readonly string[];
}

/** An error from gen-eval: one line, naming the file (when there is one) and the problem. */
export class GenEvalError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  /** The API options the message names in backticks (see {@link GenEvalErrorOptions.options}). */
  readonly options?: readonly string[];
  constructor(message: string, options: GenEvalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GenEvalError';
    this.code = options.code ?? 'bad_input';
    if (options.path !== undefined) this.path = options.path;
    if (options.options !== undefined) this.options = options.options;
  }
}

/**
 * Whether `err` is a failure the user can act on (any {@link GenEvalError} but an `internal` one):
 * what `--skip-bad`-style recovery may skip, unlike a bug.
 */
export function isUserError(err: unknown): err is GenEvalError {
  return err instanceof GenEvalError && err.code !== 'internal';
}

/** `file: problem` — the one-line shape of every bad-input error (`code` bad_input, `path` file). */
export function inputError(file: string, problem: string, options: Omit<GenEvalErrorOptions, 'path'> = {}): GenEvalError {
  return new GenEvalError(`${file}: ${problem}`, { code: 'bad_input', ...options, path: file });
}

/** `path: problem` for a file or folder that cannot be read or written (`code` io). */
export function ioError(path: string, problem: string, cause?: unknown): GenEvalError {
  return new GenEvalError(`${path}: ${problem}`, { code: 'io', path, cause });
}

/** Unusable data that is not (or not yet known to be) from one file (`code` bad_input). */
export function badInputError(message: string): GenEvalError {
  return new GenEvalError(message, { code: 'bad_input' });
}

/** An option or argument out of range, or at odds with another (`code` usage). */
export function usageError(message: string, options: Omit<GenEvalErrorOptions, 'code'> = {}): GenEvalError {
  return new GenEvalError(message, { ...options, code: 'usage' });
}

/** A valid but unsupported format or feature (`code` unsupported). */
export function unsupportedError(message: string): GenEvalError {
  return new GenEvalError(message, { code: 'unsupported' });
}

/** A broken invariant: a bug, never the user's data (`code` internal). */
export function internalError(message: string): GenEvalError {
  return new GenEvalError(message, { code: 'internal' });
}

/** `a, b or c`: the choices a message lists (one item as it is, none as ''). */
export function orList(items: readonly (string | number)[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export { escapeControls, quoteInput, terminalJson, terminalLine, terminalText } from './untrusted-text.js';
