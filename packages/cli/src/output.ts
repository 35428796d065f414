/**
 * How commands report: machine output (`--json`) on stdout as one JSON object, the human line
 * on stdout, and warnings / logs on stderr (so `--json | jq` always parses).
 */

export interface OutputOptions {
  json?: boolean;
}

/** Prints a warning on stderr. */
export function warn(message: string): void {
  process.stderr.write(`gen-eval: warning: ${message}\n`);
}

/** Prints a log line on stderr. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Emits a command's result: the JSON object on stdout with `--json`, else `human` on stdout.
 * Warnings always go to stderr and, with `--json`, into the object's `warnings` array.
 */
export function emit(result: Record<string, unknown>, opts: OutputOptions, human: string, warnings: readonly string[] = []): void {
  for (const w of warnings) warn(w);
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, warnings })}\n`);
  else process.stdout.write(`${human}\n`);
}

/** Parses an integer option, failing with a usage error that names the option. */
export function parseIntOption(name: string, min: number): (value: string) => number {
  return (value: string) => {
    const v = Number(value);
    if (!Number.isInteger(v) || v < min) throw new OptionValueError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    return v;
  };
}

/** Parses a finite number option. */
export function parseNumberOption(name: string, opts: { min?: number; exclusiveMin?: number } = {}): (value: string) => number {
  return (value: string) => {
    const v = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(v) && (opts.min === undefined || v >= opts.min) && (opts.exclusiveMin === undefined || v > opts.exclusiveMin);
    if (!ok) {
      const bound = opts.min !== undefined ? ` ≥ ${opts.min}` : opts.exclusiveMin !== undefined ? ` > ${opts.exclusiveMin}` : '';
      throw new OptionValueError(`${name} must be a number${bound}, got "${value}"`);
    }
    return v;
  };
}

/** Thrown by option parsers; commander reports it as a usage error (exit 2). */
export class OptionValueError extends Error {}
