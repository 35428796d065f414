/**
 * Temporary files and folders in the cache (a feature entry being written, a download in
 * progress) that an interrupted run must not leave behind. The library tracks them and removes
 * them on normal `exit` and with {@link cleanupTemps}; it installs no signal handler and never
 * ends the process: that is the program's decision. A program that wants signal cleanup calls
 * {@link cleanupTemps} from its own SIGINT/SIGTERM/SIGHUP handler (the CLI does, in
 * signal-cleanup.ts, once {@link whenTempsTracked} says there is something to clean). Leftovers of
 * runs killed harder (SIGKILL, a power cut) are swept by {@link sweepStaleTemps} on a later start.
 *
 * Temporary names carry the host and process id (`tempTag()`), so that a sweep can tell a
 * leftover of a dead process from the work of a live one, also in a cache shared between machines.
 */
import { hostname } from 'node:os';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const tracked = new Set<string>();
const onFirst: (() => void)[] = [];
let everTracked = false;

/** Removes every tracked temporary path now (best effort); a program calls it from its signal handlers. */
export function cleanupTemps(): void {
  for (const p of tracked) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: a sweep on a later start removes what is left
    }
  }
  tracked.clear();
}

/**
 * Calls `listener` once, when the first temporary path of the process is tracked (at once if one
 * already was), so that a program installs its signal handlers only when there is work to undo and
 * otherwise keeps the default signal behaviour.
 */
export function whenTempsTracked(listener: () => void): void {
  if (everTracked) listener();
  else onFirst.push(listener);
}

/** Removes `path` (file or folder) on exit or {@link cleanupTemps} unless {@link untrackTemp} comes first. */
export function trackTemp(path: string): void {
  tracked.add(path);
  if (everTracked) return;
  everTracked = true;
  process.on('exit', cleanupTemps);
  for (const listener of onFirst.splice(0)) listener();
}

/** Stops tracking `path` (it was renamed into place or removed). */
export function untrackTemp(path: string): void {
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
