import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNewRunFolder, checkRunOutsideData, openNewRunFolder, runFolderState } from './run-folder.js';
import { LOCK_FILE } from './run-lock.js';
import { RUN_FORMAT } from '@gen-eval/metrics/runs';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-run-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder that looks like a finished run. */
function fakeRun(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...RUN_FORMAT, model: 'gan' }));
  writeFileSync(join(dir, 'checkpoints', 'latest.json'), '{}');
  return dir;
}

describe('run folders', () => {
  it('tells a run from an empty folder and from anything else', () => {
    expect(runFolderState(join(root, 'nothing'))).toBe('missing');
    mkdirSync(join(root, 'empty'));
    expect(runFolderState(join(root, 'empty'))).toBe('empty');
    expect(runFolderState(fakeRun('run'))).toBe('run');
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'config.json'), '{"name": "my app"}');
    expect(runFolderState(other)).toBe('other');
    writeFileSync(join(root, 'file'), 'x');
    expect(() => runFolderState(join(root, 'file'))).toThrow(/it is a file, expected a folder/);
  });

  it('force replaces only a run: a folder of other files is refused and kept', () => {
    const mine = join(root, 'mine');
    mkdirSync(join(mine, 'sub'), { recursive: true });
    writeFileSync(join(mine, 'sub', 'thesis.txt'), 'keep');
    expect(() => openNewRunFolder(mine, true)).toThrow(`${mine}: is not a gen-eval run (no config.json of one): \`force\` replaces only runs; choose another folder`);
    expect(readFileSync(join(mine, 'sub', 'thesis.txt'), 'utf8')).toBe('keep');
    expect(readdirSync(mine)).toEqual(['sub']); // no lock left behind
  });

  it('never the current folder, a folder holding it, /, or an empty path', () => {
    const cwd = process.cwd();
    expect(() => checkNewRunFolder(cwd, true)).toThrow(/is the current folder; a run needs a folder of its own/);
    expect(() => checkNewRunFolder('.', true)).toThrow(/is the current folder/);
    expect(() => checkNewRunFolder(dirname(cwd), true)).toThrow(/contains the current folder/);
    expect(() => checkNewRunFolder(parse(cwd).root, true)).toThrow(/is the root folder|contains the current folder/);
    expect(() => checkNewRunFolder('', false)).toThrow('`out` is empty; name the run folder');
    expect(() => checkNewRunFolder('  ', false)).toThrow('`out` is empty');
  });

  it.skipIf(!existsSync('/proc/self'))('refuses to create a run under /proc at once (Node 20 spins in mkdir -p there)', () => {
    expect(() => openNewRunFolder('/proc/genevalrun/deeper', false)).toThrow(
      "/proc/genevalrun/deeper: cannot write a run under /proc: it is the kernel's proc file system, not one for files",
    );
  });

  it('an existing run needs force; force empties it and keeps the lock until release', () => {
    const run = fakeRun('old');
    expect(() => openNewRunFolder(run, false)).toThrow(/already exists; pass `resume` to continue that run or `force` to replace it/);
    const folder = openNewRunFolder(run, true);
    expect(readdirSync(run).sort()).toEqual([LOCK_FILE, 'checkpoints', 'config.json']); // nothing removed before clear()
    folder.clear();
    expect(readdirSync(run)).toEqual([LOCK_FILE]);
    folder.release();
    expect(readdirSync(run)).toEqual([]); // the folder was there before: kept
  });

  it('creates missing levels and removes those it made when the run never wrote anything', () => {
    const deep = join(root, 'a', 'b', 'c');
    const folder = openNewRunFolder(deep, false);
    expect(readdirSync(deep)).toEqual([LOCK_FILE]);
    folder.release();
    expect(existsSync(join(root, 'a'))).toBe(false);
    // An existing empty folder is used as it is, and kept.
    const empty = join(root, 'kept-empty');
    mkdirSync(empty);
    openNewRunFolder(empty, false).release();
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a file in the way of the path is one line naming it', () => {
    writeFileSync(join(root, 'blocker'), 'x');
    expect(() => openNewRunFolder(join(root, 'blocker', 'run'), false)).toThrow(`cannot create the run folder: ${join(root, 'blocker')} is a file, not a folder`);
  });
});

describe('checkRunOutsideData', () => {
  const data = (path: string) => [{ path, named: '`data`', options: ['data'] }];

  it('refuses a run at, inside (through a symlink too) or around a data path, and nothing else', () => {
    const images = join(root, 'images');
    mkdirSync(images);
    const link = join(root, 'images-link');
    symlinkSync(images, link);
    expect(() => checkRunOutsideData(images, data(images))).toThrow(/`out` is the data .* itself/);
    expect(() => checkRunOutsideData(join(link, 'new', 'run'), data(images))).toThrow(/`out` lies inside the data folder/);
    expect(() => checkRunOutsideData(join(images, 'run'), data(link))).toThrow(/`out` lies inside the data folder/);
    expect(() => checkRunOutsideData(root, data(join(images, 'x.npy')))).not.toThrow(); // a missing path is no data
    writeFileSync(join(images, 'x.npy'), '');
    expect(() => checkRunOutsideData(root, data(join(images, 'x.npy')))).toThrow(/`out` holds the data .*x\.npy \(`data`\), which replacing the run would delete/);
    // A run beside its data file, or beside a folder whose name begins like the data's, is fine.
    expect(() => checkRunOutsideData(join(images, 'run'), data(join(images, 'x.npy')))).not.toThrow();
    expect(() => checkRunOutsideData(`${images}-run`, data(images))).not.toThrow();
  });
});
