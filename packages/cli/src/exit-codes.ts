/**
 * The CLI's exit statuses, and the one place where an error's kind becomes a process exit code.
 */
import type { ErrorCode } from '@gen-eval/metrics/errors';

/**
 * Exit statuses of every gen-eval command. 1 is a quality failure, not a usage error: `check`'s
 * failed gate, and a `train` run that diverged (stopped at its first non-finite loss or sample).
 */
export const EXIT = { ok: 0, gateFailed: 1, diverged: 1, usage: 2, badInput: 2, internal: 3 } as const;

const BY_CODE: Readonly<Record<ErrorCode, number>> = {
  bad_input: EXIT.badInput,
  usage: EXIT.usage,
  io: EXIT.badInput,
  unsupported: EXIT.badInput,
  internal: EXIT.internal,
};

/** The exit status for a GenEvalError of this code: 2 for anything the user can fix, 3 for a bug. */
export function exitCodeOf(code: ErrorCode): number {
  return BY_CODE[code];
}
