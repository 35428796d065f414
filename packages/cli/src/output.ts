/**
 * How commands report: machine output (`--json`) on stdout as one JSON object, the human line
 * on stdout, and warnings / logs on stderr (so `--json | jq` always parses). Every line passes
 * through the untrusted-text helpers here: names from the user's files may hold newlines, ESC or
 * GitHub workflow commands, which must neither drive the terminal nor run in a CI log.
 */
import { InvalidArgumentError } from 'commander';
import { GenEvalError, terminalJson, terminalLine, terminalText } from '@gen-eval/metrics/errors';
import { cliWarning } from './cli-wording.js';

export interface OutputOptions {
  json?: boolean;
}

/** Prints a warning on stderr (library wording mapped to the CLI's flags), as one safe line. */
export function warn(message: string): void {
  process.stderr.write(`gen-eval: warning: ${terminalLine(cliWarning(message))}\n`);
}

/** Prints a log line on stderr, as one safe line. */
export function log(message: string): void {
  process.stderr.write(`${terminalLine(message)}\n`);
}

/**
 * Emits a command's result: the JSON object on stdout with `--json`, else `human` on stdout.
 * Warnings (each once) always go to stderr and, with `--json`, into the object's `warnings` array.
 */
export function emit(result: Record<string, unknown>, opts: OutputOptions, human: string, warnings: readonly string[] = []): void {
  // Each input of a command reports what is wrong with a shared part (e.g. the weights' SHA-256) once per input: say it once.
  const unique = [...new Set(warnings.map(cliWarning))];
  for (const w of unique) warn(w);
  if (opts.json) process.stdout.write(`${terminalJson({ ...result, warnings: unique })}\n`);
  else process.stdout.write(`${terminalText(human)}\n`);
}

/**
 * Upper bounds of the integer options: far above any sane use, low enough that memory stays
 * bounded (the allocations they size fail with a clear usage error instead of an internal one).
 */
export const LIMITS = {
  /** Seeds: numpy's RandomState takes 32-bit seeds. */
  seed: 0xffffffff,
  /** Catch-all for counts without a more specific bound. */
  count: 2_147_483_647,
} as const;

/** Plain decimal integers only: `0x10`, `1e3`, `+5`, ` 5`, `5.0` are refused. */
const DECIMAL_INT = /^[0-9]+$/;
/** Plain decimal numbers (`-0.5`, `1e-3`, `.5`); no hex, no blanks, no Infinity. */
const DECIMAL_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Parses an integer option in [min, max], failing with a usage error that names the option. The
 * one integer parser of the CLI: commander reports its error as one usage line (exit 2).
 */
export function parseIntOption(name: string, min: number, max: number = LIMITS.count): (value: string) => number {
  return (value: string) => {
    const v = DECIMAL_INT.test(value) ? Number(value) : NaN;
    if (!(v >= min && v <= max)) throw new OptionValueError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
    return v;
  };
}

/** Parses a finite decimal number option within the given bounds. */
export function parseNumberOption(name: string, opts: { min?: number; exclusiveMin?: number; max?: number } = {}): (value: string) => number {
  return (value: string) => {
    const v = DECIMAL_NUMBER.test(value) ? Number(value) : NaN;
    const ok =
      Number.isFinite(v) && (opts.min === undefined || v >= opts.min) && (opts.exclusiveMin === undefined || v > opts.exclusiveMin) && (opts.max === undefined || v <= opts.max);
    if (!ok) {
      const lower = opts.min !== undefined ? ` ≥ ${opts.min}` : opts.exclusiveMin !== undefined ? ` > ${opts.exclusiveMin}` : '';
      const upper = opts.max !== undefined ? `${lower ? ' and' : ''} ≤ ${opts.max}` : '';
      throw new OptionValueError(`${name} must be a number${lower}${upper}, got "${value}"`);
    }
    return v;
  };
}

/** Thrown by option parsers; commander reports it as a usage error (exit 2). */
export class OptionValueError extends InvalidArgumentError {}

let stdoutFailed = false;

/**
 * Makes a failing stdout end the command cleanly instead of with a stack trace. A reader that
 * went away (`gen-eval … | head -c0`: EPIPE) is not an error of the command, as with any Unix
 * tool in a pipeline: nothing is printed and the exit code stays what the command decided. Any
 * other failure (`> /dev/full`: ENOSPC) loses the result, so it is one line on stderr, exit 2.
 */
export function guardStdio(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (stdoutFailed) return;
    stdoutFailed = true;
    if (err.code === 'EPIPE') return;
    const reason = err.code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : (err.code ?? err.message);
    process.stderr.write(`gen-eval: stdout: cannot write: ${reason}\n`);
    process.exitCode = 2;
  });
  // Nobody is left to tell when stderr fails; the exit code still says so.
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && !process.exitCode) process.exitCode = 2;
  });
}

/** An option's flag from its attribute name: maxIterations → --max-iterations. */
// `cache` is commander's attribute of the negated flag --no-cache.
export const flagOf = (key: string): string => (key === 'cache' ? '--no-cache' : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/**
 * Refuses options given on the command line that the chosen mode would ignore (exit 2, one line):
 * a silently ignored `--sigma` reads as if it had been used. `given` holds attribute names, as
 * commander's; `applies` those `what` uses; --json always applies.
 */
export function refuseIgnored(given: readonly string[] | undefined, applies: readonly string[], what: string): void {
  const stray = (given ?? []).filter((k) => k !== 'json' && !applies.includes(k));
  if (stray.length === 0) return;
  const takes = applies.length ? `; it takes ${applies.map(flagOf).join(', ')}` : '; it takes no options';
  throw new GenEvalError(`${stray.map(flagOf).join(', ')} ${stray.length === 1 ? 'does' : 'do'} not apply to ${what}${takes}`, { code: 'usage' });
}
