/**
 * One rule, shared by `gen-eval report` and `gen-eval check`, for what a JSON file stands for: an
 * object whose `metrics` is an object is a run summary (its metrics are that object, not its
 * top-level numbers such as `wall_seconds`); a run summary beside its run's config.json stands
 * for that run. Kept free of heavy imports: the gate loads it too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether a parsed JSON value is a run summary (summary.json): an object with a `metrics` object. */
export function isRunSummary(obj: unknown): obj is { metrics: Record<string, unknown> } {
  return isRecord(obj) && isRecord(obj.metrics);
}

/**
 * The run folder a file stands for: a `summary.json` next to a `config.json`, holding a run
 * summary. Undefined for anything else (including files that cannot be read or parsed: their
 * reader says what is wrong with them).
 */
export function runOfSummaryFile(file: string): string | undefined {
  if (basename(file) !== 'summary.json' || !existsSync(join(dirname(file), 'config.json'))) return undefined;
  try {
    return isRunSummary(JSON.parse(readFileSync(file, 'utf8'))) ? dirname(file) : undefined;
  } catch {
    return undefined;
  }
}
