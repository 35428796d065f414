/**
 * Turns the command line's inputs into run directories and result files: globs are expanded
 * here (Node 20 has no fs.glob, and a quoted glob reaches us unexpanded from any shell), and a
 * folder without config.json whose subfolders are runs stands for those runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import { runOfSummaryFile } from './input-kind.js';

/** One input to read: a run directory or a `--json` result file. */
export interface FoundInput {
  readonly kind: 'run' | 'result';
  readonly path: string;
}

const WILDCARD = /[*?[]/;

/** `*` and `?` within one path segment, `[abc]` classes; a leading dot must be matched literally. */
function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Paths matching a glob pattern (sorted); `**` is treated as `*`. */
export function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  let bases = [absolute ? '/' : ''];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of bases) {
      if (!WILDCARD.test(segment)) {
        const p = base === '' ? segment : join(base, segment);
        if (existsSync(p)) next.push(p);
        continue;
      }
      const re = segmentRegex(segment);
      let names: string[];
      try {
        names = readdirSync(base === '' ? '.' : base);
      } catch {
        continue; // not a folder: nothing below it matches
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(name)) next.push(base === '' ? name : join(base, name));
      }
    }
    bases = next;
  }
  return bases;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The run folders directly inside `dir` (sorted), for a parent folder of runs. */
function childRuns(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((p) => isDir(p) && existsSync(join(p, 'config.json')));
}

/**
 * Classifies every input (expanding globs and parent folders), in command-line order, each path
 * once. Throws a one-line input error for a path that does not exist, a glob that matches
 * nothing, and a folder that is neither a run nor a folder of runs.
 */
export function findInputs(args: readonly string[]): FoundInput[] {
  const out: FoundInput[] = [];
  const seen = new Set<string>();
  const add = (kind: FoundInput['kind'], path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ kind, path });
  };
  for (const arg of args) {
    let paths = [arg];
    if (!existsSync(arg) && WILDCARD.test(arg)) {
      // A pattern keeps what it can report (runs, .json files) and passes over the rest (a
      // README or a logs folder next to the runs) instead of failing on it.
      paths = expandGlob(arg).filter((p) => (isDir(p) ? existsSync(join(p, 'config.json')) : p.endsWith('.json')));
      if (paths.length === 0) throw inputError(arg, 'no run folder or .json file matches this pattern');
    }
    for (const p of paths) {
      if (!existsSync(p)) throw inputError(p, 'no such file or folder');
      if (!isDir(p)) {
        // A run's summary.json stands for its run, as in `gen-eval check` (input-kind.ts).
        const run = runOfSummaryFile(p);
        add(run === undefined ? 'result' : 'run', run ?? p);
        continue;
      }
      if (existsSync(join(p, 'config.json'))) {
        add('run', p);
        continue;
      }
      const runs = childRuns(p);
      if (runs.length === 0) throw inputError(p, 'not a gen-eval run (no config.json) and no run folders inside');
      for (const r of runs) add('run', r);
    }
  }
  return out;
}
