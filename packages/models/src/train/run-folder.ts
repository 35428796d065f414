/**
 * Where `train` may put a new run. `force` replaces only what is recognisably a gen-eval run
 * (a config.json of the run format), never the current folder, a folder that holds it, the home
 * folder or /. A missing folder is created level by level below its nearest existing ancestor,
 * which must be a writable folder on a file system for files: Node 20's recursive mkdir spins
 * forever under /proc.
 */
import { accessSync, constants, mkdirSync, readdirSync, realpathSync, rmdirSync, rmSync, statfsSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { inputError, usageError } from '@gen-eval/metrics/errors';
import { RUN_FORMAT, readJson, runPaths } from '@gen-eval/metrics/runs';
import { LOCK_FILE, lockRun, type RunLock } from './run-lock.js';

/** Kernel file systems (statfs magic numbers) that hold no user files. */
const PSEUDO_FS: Readonly<Record<number, string>> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf',
  0x6165676c: 'pstore',
  0x62656570: 'configfs',
};

/** What a run folder path holds: nothing yet, an empty folder, a gen-eval run, or something else. */
export type RunFolderState = 'missing' | 'empty' | 'run' | 'other';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The state of `dir` (its lock file aside); a file in the way is an error. */
export function runFolderState(dir: string): RunFolderState {
  const st = statOrNull(dir);
  if (st === null) return 'missing';
  if (!st.isDirectory()) throw inputError(dir, 'cannot write the run: it is a file, expected a folder');
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => e !== LOCK_FILE);
  } catch (err) {
    throw inputError(dir, `cannot read the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (entries.length === 0) return 'empty';
  if (!entries.includes('config.json')) return 'other';
  try {
    return readJson<{ format?: unknown }>(runPaths(dir).config).format === RUN_FORMAT.format ? 'run' : 'other';
  } catch {
    return 'other';
  }
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Refuses /, the home folder, the current folder and its ancestors: a run folder is emptied by `force`. */
function refuseProtected(out: string, real: string): void {
  const cwd = realOrNull(process.cwd()) ?? process.cwd();
  const home = realOrNull(homedir());
  const why =
    real === parse(real).root
      ? 'is the root folder'
      : real === home
        ? 'is your home folder'
        : real === cwd
          ? 'is the current folder'
          : within(cwd, real)
            ? 'contains the current folder'
            : null;
  if (why) throw inputError(out, `${why}; a run needs a folder of its own (e.g. runs/NAME)`);
}

/** The nearest existing ancestor of `abs` (itself included). */
function nearestExisting(abs: string): string {
  let dir = abs;
  while (statOrNull(dir) === null && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The folder that will hold the run (itself, or the ancestor it is created in) must be a writable folder on a file system for files. */
function checkWritableFolder(out: string, dir: string): void {
  if (!statOrNull(dir)?.isDirectory()) throw inputError(out, `cannot create the run folder: ${dir} is a file, not a folder`);
  let type: number | undefined;
  try {
    type = statfsSync(dir).type;
  } catch {
    // no statfs here: the write checks below still apply
  }
  const pseudo = type !== undefined ? PSEUDO_FS[type] : undefined;
  if (pseudo) throw inputError(out, `cannot write a run under ${dir}: it is the kernel's ${pseudo} file system, not one for files`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(out, `cannot write the run: the folder ${dir} ${code === 'EROFS' ? 'is on a read-only file system' : 'is not writable'}${code ? ` (${code})` : ''}`);
  }
}

/** The real path of `abs` (absolute): its nearest existing ancestor's, followed by the parts not created yet. */
function realPathOf(abs: string): string {
  const base = nearestExisting(abs);
  return join(realOrNull(base) ?? base, abs.slice(base.length));
}

/** A data path given to `train` and the option (API name) or phrase that gave it. */
export interface DataPathSpec {
  readonly path: string;
  /** e.g. '`data`' (turned into the CLI's flag) or 'hyper-parameter dataB'. */
  readonly named: string;
  readonly options?: readonly string[];
}

/**
 * Refuses a run folder that is a data path, lies inside a data folder (the run's sample PNGs would
 * join the data, change its SHA-256 and stop the run resuming) or holds one (`force` would delete
 * it). Paths are compared as the file system resolves them; a path that does not exist (a
 * built-in data set's name) is no folder to protect. Reads and writes nothing else.
 */
export function checkRunOutsideData(out: string, data: readonly DataPathSpec[]): void {
  if (out.trim() === '') return; // checkNewRunFolder says so
  const run = realPathOf(resolve(out));
  for (const d of data) {
    if (d.path.trim() === '' || statOrNull(d.path) === null) continue;
    const real = realOrNull(resolve(d.path)) ?? resolve(d.path);
    const options = ['out', ...(d.options ?? [])];
    const why =
      run === real
        ? `is the data ${d.path} itself (${d.named})`
        : within(run, real)
          ? `lies inside the data folder ${d.path} (${d.named}): the run's sample images would change the data and its SHA-256, so the run could not be resumed`
          : within(real, run)
            ? `holds the data ${d.path} (${d.named}), which replacing the run would delete`
            : null;
    if (why) throw inputError(out, `cannot write the run: \`out\` ${why}; write the run elsewhere (e.g. runs/NAME)`, { options });
  }
}

/**
 * Checks that a new run may go into `out` (cheap, writes nothing): a non-empty path, not a
 * protected folder, and either missing (in a writable folder), empty, or a run to replace with `force`.
 */
export function checkNewRunFolder(out: string, force: boolean): RunFolderState {
  if (out.trim() === '') throw usageError('`out` is empty; name the run folder', { options: ['out'] });
  const abs = resolve(out);
  const state = runFolderState(out);
  refuseProtected(out, state === 'missing' ? abs : (realOrNull(abs) ?? abs));
  if (state === 'run' && !force) throw inputError(out, 'already exists; pass `resume` to continue that run or `force` to replace it', { options: ['resume', 'force'] });
  if (state === 'other')
    throw inputError(
      out,
      force
        ? 'is not a gen-eval run (no config.json of one): `force` replaces only runs; choose another folder'
        : 'already exists and is not a gen-eval run: choose another folder',
      {
        options: ['force'],
      },
    );
  checkWritableFolder(out, nearestExisting(abs));
  return state;
}

/** Creates the missing levels of `abs` one by one; returns those it made, outermost first. */
function createLevels(out: string, abs: string): string[] {
  const missing: string[] = [];
  for (let d = abs; statOrNull(d) === null && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  const made: string[] = [];
  for (const d of missing) {
    try {
      mkdirSync(d);
      made.push(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statOrNull(d)?.isDirectory()) continue; // another command made it meanwhile
      removeIfEmpty(made);
      throw inputError(out, `cannot create the folder ${d} (${code ?? String(err)})`);
    }
  }
  return made;
}

/** Removes folders this command made, innermost first, where they are still empty. */
function removeIfEmpty(made: readonly string[]): void {
  for (const d of [...made].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty: someone uses it
    }
  }
}

/** A new run's folder, locked. */
export interface NewRunFolder extends RunLock {
  /** Empties the folder for the new run (`force` over an old run), keeping the lock. */
  clear(): void;
}

/**
 * Creates `out` (or takes the existing empty folder or old run), locks it, and checks it again
 * under the lock. Release it when the run ends; folders it created are removed again if still empty.
 */
export function openNewRunFolder(out: string, force: boolean): NewRunFolder {
  checkNewRunFolder(out, force);
  const made = createLevels(out, resolve(out));
  let lock: RunLock;
  try {
    lock = lockRun(out);
  } catch (err) {
    removeIfEmpty(made);
    throw err;
  }
  const release = () => {
    lock.release();
    removeIfEmpty(made);
  };
  try {
    checkNewRunFolder(out, force); // another command may have filled it before we held the lock
  } catch (err) {
    release();
    throw err;
  }
  return {
    warnings: lock.warnings,
    release,
    clear: () => {
      for (const e of readdirSync(out)) if (e !== LOCK_FILE) rmSync(join(out, e), { recursive: true, force: true });
    },
  };
}
