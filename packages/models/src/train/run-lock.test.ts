import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRun } from './run-lock.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-run-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const folder = (name: string) => mkdtempSync(join(root, `${name}-`));
/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('run lock', () => {
  it('one holder at a time: the second is refused with the holder, and may take it once released', () => {
    const dir = folder('one');
    const lock = lockRun(dir);
    const held = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string };
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => lockRun(dir)).toThrow(
      new RegExp(
        `^${dir}: is in use by another gen-eval train \\(pid ${process.pid} on ${hostname()}, since .*\\); wait for it to end, or delete .*${LOCK_FILE} if that process is gone$`,
      ),
    );
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = lockRun(dir);
    expect(again.warnings).toEqual([]);
    again.release();
  });

  it("takes over a lock whose process died on this host, with a warning; another host's is refused", () => {
    const dir = folder('stale');
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const lock = lockRun(dir);
    expect(lock.warnings).toEqual([`${dir}: took over the lock of pid ${pid}, which is no longer running (it was stopped without cleaning up)`]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z' }));
    expect(() => lockRun(dir)).toThrow(`is in use by another gen-eval train (pid ${pid} on elsewhere`);
  });

  it('an unreadable lock is in use while fresh, taken over once old', () => {
    const dir = folder('unreadable');
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '');
    expect(() => lockRun(dir)).toThrow(/is locked by another gen-eval command/);
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = lockRun(dir);
    expect(lock.warnings[0]).toMatch(/replaced an unreadable lock file/);
    lock.release();
  });

  it('release leaves a lock that another process took over', () => {
    const dir = folder('taken');
    const lock = lockRun(dir);
    const theirs = JSON.stringify({ pid: 1, host: hostname(), started: '2026-01-01T00:00:00.000Z' });
    writeFileSync(join(dir, LOCK_FILE), theirs);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(theirs);
  });

  it('a lock file that cannot be created is one line naming the folder', () => {
    expect(() => lockRun(join(root, 'missing'))).toThrow(`${join(root, 'missing')}: cannot create its lock file ${LOCK_FILE} (ENOENT)`);
  });
});
