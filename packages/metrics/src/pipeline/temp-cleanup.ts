/**
 * Temporary files and folders in the cache (a feature entry being written, a download in
 * progress) that an interrupted run must not leave behind. While one is tracked, SIGINT, SIGTERM
 * and SIGHUP remove every tracked path and end the process with the shell's code for the signal
 * (128 + its number: 130, 143, 129); `exit` removes them too. Leftovers of runs killed harder
 * (SIGKILL, a power cut) are swept by {@link sweepStaleTemps} on a later start.
 *
 * Temporary names carry the host and process id (`tempTag()`), so that a sweep can tell a
 * leftover of a dead process from the work of a live one, also in a cache shared between machines.
 */
import { hostname } from 'node:os';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type Signal = keyof typeof SIGNALS;

const tracked = new Set<string>();
let installed = false;

function removeTracked(): void {
  for (const p of tracked) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: a sweep on a later start removes what is left
    }
  }
  tracked.clear();
}

function onSignal(sig: Signal): void {
  removeTracked();
  // Another part of the process (e.g. a command that checkpoints on SIGINT) decides itself.
  if (process.listenerCount(sig) > 1) return;
  process.exit(128 + SIGNALS[sig]);
}

const handlers = Object.fromEntries(Object.keys(SIGNALS).map((s) => [s, () => onSignal(s as Signal)])) as Record<Signal, () => void>;

function install(): void {
  if (installed) return;
  installed = true;
  for (const sig of Object.keys(SIGNALS) as Signal[]) process.on(sig, handlers[sig]);
  process.on('exit', removeTracked);
}

/** Removes `path` (file or folder) if the process is interrupted before {@link untrackTemp}. */
export function trackTemp(path: string): void {
  tracked.add(path);
  install();
}

/** Stops tracking `path` (it was renamed into place or removed). */
export function untrackTemp(path: string): void {
  // The handlers stay installed: with nothing tracked they end the process with the same code a
  // signal death reports to a shell, and removing them reopened a window in which a signal that
  // arrives between two entries killed the process before the next one was tracked.
  tracked.delete(path);
}

/** This host's name reduced to [A-Za-z0-9] (it is part of file names). */
function hostTag(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 32) || 'host'
  );
}

/** `<host>-<pid>`: the owner part of a temporary name (see {@link sweepStaleTemps}). */
export function tempTag(): string {
  return `${hostTag()}-${process.pid}`;
}

/** True while process `pid` exists (EPERM: it exists but belongs to another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Leftovers older than this are removed whoever made them. */
export const STALE_TEMP_MS = 24 * 3600 * 1000;

/**
 * Removes leftover temporary entries in `dir` whose name starts with `prefix`: those tagged with
 * this host and a process that no longer runs, and any older than {@link STALE_TEMP_MS} (a
 * leftover of another machine, or of a version without tags). Returns the removed names.
 */
export function sweepStaleTemps(dir: string, prefix: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const host = hostTag();
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(dir, name);
    const owner = /^([A-Za-z0-9]+)-(\d+)-/.exec(name.slice(prefix.length));
    let stale = owner !== null && owner[1] === host && Number(owner[2]) !== process.pid && !alive(Number(owner[2]));
    try {
      stale ||= now - statSync(path).mtimeMs > STALE_TEMP_MS;
      if (stale) {
        rmSync(path, { recursive: true, force: true });
        removed.push(name);
      }
    } catch {
      // vanished meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}
