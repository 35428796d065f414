/**
 * Typed errors that carry the process exit code, so every layer can fail with a clear one-line
 * message and the CLI only has to print `error.message` and exit with `error.exitCode`.
 */

/** Exit codes shared by the API and the CLI. */
export const EXIT = { ok: 0, usage: 2, badInput: 2, internal: 3 } as const;

/** An error meant for the user: one line, naming the file and the problem. */
export class GenEvalError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.badInput) {
    super(message);
    this.name = 'GenEvalError';
    this.exitCode = exitCode;
  }
}

/** `file: problem` — the one-line shape of every bad-input error. */
export function inputError(file: string, problem: string): GenEvalError {
  return new GenEvalError(`${file}: ${problem}`, EXIT.badInput);
}
