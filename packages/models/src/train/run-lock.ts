/**
 * One writer per run folder. `train` (a new run or `resume`) holds a lock file in the run folder
 * while it runs, created with O_EXCL so that of two commands exactly one gets it; the loser is
 * refused with the holder's pid and host. A lock left by a process that died (kill -9) on this
 * host is taken over with a warning. Readers (`sample`, the report, `check`) ignore the file.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';

/** The lock file's name inside a run folder (documented in docs/run-format.md). */
export const LOCK_FILE = '.gen-eval.lock';

/** A lock whose content cannot be read is taken for a dead one once it is this old (ms): writing it takes microseconds. */
const UNREADABLE_STALE_MS = 10_000;

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** A held lock. */
export interface RunLock {
  /** Things the user should hear about (a dead process's lock taken over). */
  readonly warnings: readonly string[];
  /** Removes the lock file (idempotent; also runs when the process exits). */
  release(): void;
}

/** The lock's holder; null when there is no lock file, 'unreadable' when it is not one of ours. */
function readLock(path: string): LockInfo | null | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (Number.isInteger(v.pid) && typeof v.host === 'string' && typeof v.started === 'string') return v as LockInfo;
  } catch {
    // a lock being written, or damaged: decided by its age below
  }
  return 'unreadable';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Moves a dead holder's lock aside and deletes it. Two processes may find the same dead lock: the
 * rename lets one of them win, and a lock that turns out to be a live one's is put back.
 */
function takeOver(path: string, dead: LockInfo | 'unreadable'): boolean {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // someone else moved it first
  }
  const moved = readLock(aside);
  const same = dead === 'unreadable' ? moved === 'unreadable' : moved !== null && moved !== 'unreadable' && moved.pid === dead.pid && moved.started === dead.started;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds a new lock by now; the one moved aside was not ours to keep
    }
  }
  unlinkSync(aside);
  return same;
}

/**
 * Takes the lock of the run folder `dir` (which must exist), or throws a one-line error naming the
 * process that holds it.
 */
export function lockRun(dir: string): RunLock {
  const path = join(dir, LOCK_FILE);
  const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const warnings: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw inputError(dir, `cannot create its lock file ${LOCK_FILE} (${code ?? String(err)})`);
      const holder = readLock(path);
      if (holder === null) continue; // released meanwhile
      if (holder === 'unreadable') {
        if (ageMs(path) < UNREADABLE_STALE_MS) throw inputError(dir, `is locked by another gen-eval command (${path}); wait for it to end`);
        if (takeOver(path, holder)) warnings.push(`${dir}: replaced an unreadable lock file ${LOCK_FILE} left by a command that is no longer running`);
        continue;
      }
      const dead = holder.host === me.host && holder.pid !== me.pid && !isAlive(holder.pid);
      if (!dead)
        throw inputError(
          dir,
          `is in use by another gen-eval train (pid ${holder.pid} on ${holder.host}, since ${holder.started}); wait for it to end, or delete ${path} if that process is gone`,
        );
      if (takeOver(path, holder)) warnings.push(`${dir}: took over the lock of pid ${holder.pid}, which is no longer running (it was stopped without cleaning up)`);
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    return held(path, me, warnings);
  }
  throw inputError(dir, 'could not take its lock: other gen-eval commands keep taking it');
}

function held(path: string, me: LockInfo, warnings: readonly string[]): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const holder = readLock(path);
    // Only our own lock: a stale-lock takeover by another process must not be undone.
    if (holder !== null && holder !== 'unreadable' && holder.pid === me.pid && holder.started === me.started) {
      try {
        unlinkSync(path);
      } catch {
        // already gone with its folder
      }
    }
  };
  // process.exit (a second Ctrl-C) skips `finally` blocks; 'exit' listeners still run.
  process.on('exit', release);
  return { warnings, release };
}
