/** Reads every input of a report, with `--skip-bad` leaving out (and warning about) those that fail. */
import { basename, dirname } from 'node:path';
import { GenEvalError, isUserError } from '@gen-eval/metrics/errors';
import { findInputs, type FoundInput } from './find-inputs.js';
import type { ReportEntry } from './report-data.js';
import { readResult, resultLabel } from './read-result.js';
import { readRun } from './read-run.js';

export interface LoadOptions {
  /** Leave out inputs that cannot be read, with a warning, instead of failing on the first. */
  readonly skipBad?: boolean;
}

export interface LoadedInputs {
  readonly entries: ReportEntry[];
  /** One line per input left out (with skipBad). */
  readonly warnings: string[];
}

/** Labels that tell inputs apart: the folder or file name, with its parent folder when names repeat. */
export function uniqueLabels(found: readonly FoundInput[]): string[] {
  const short = found.map((f) => (f.kind === 'run' ? basename(f.path) : resultLabel(f.path)));
  const long = found.map((f, i) => `${basename(dirname(f.path))}/${short[i]}`);
  const labels = short.map((s, i) => (short.filter((t) => t === s).length > 1 ? long[i]! : s));
  return labels.map((l, i) => (labels.indexOf(l) < i ? `${l} #${labels.slice(0, i).filter((x) => x === l).length + 1}` : l));
}

/**
 * Reads run directories, folders of runs, globs and result files, in command-line order.
 * Throws the first bad input's one-line error (a GenEvalError, exit 2) unless `skipBad`.
 */
export async function loadInputs(args: readonly string[], opts: LoadOptions = {}): Promise<LoadedInputs> {
  const warnings: string[] = [];
  const attempt = async <T>(work: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await work();
    } catch (err) {
      if (!(opts.skipBad && isUserError(err))) throw err;
      warnings.push(`left out: ${err.message}`);
      return undefined;
    }
  };
  const found: FoundInput[] = [];
  for (const arg of args) {
    for (const f of (await attempt(() => findInputs([arg]))) ?? []) {
      if (!found.some((g) => g.path === f.path)) found.push(f);
    }
  }
  const labels = uniqueLabels(found);
  const entries: ReportEntry[] = [];
  for (const [i, f] of found.entries()) {
    const label = labels[i]!;
    const entry = await attempt(() => (f.kind === 'run' ? readRun(f.path, label) : readResult(f.path, label)));
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) {
    throw new GenEvalError(warnings.length ? `nothing to report: every input was left out (${warnings[0]!.replace(/^left out: /, '')})` : 'nothing to report: no input given');
  }
  return { entries, warnings };
}
