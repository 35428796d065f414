import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { writeFileAtomic, writeFilesAtomic } from './atomic-write.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeFileSync: vi.fn(real.writeFileSync) };
});

const dir = mkdtempSync(join(tmpdir(), 'atomic-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('reports a full disk as one line naming the target, keeps the old file and leaves no temp file', () => {
    const target = join(dir, 'full.npz');
    writeFileSync(target, 'old');
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.mocked(fs.writeFileSync).mockImplementationOnce(() => {
      throw enospc;
    });
    const err = expectGenEvalError(() => writeFileAtomic(target, 'new'));
    expect(err.message).toBe(`${target}: cannot write: no space left on device (ENOSPC)`);
    expect(err.code).toBe('io');
    expect(err.path).toBe(target);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the path when a parent is a file', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    expect(expectGenEvalError(() => writeFileAtomic(join(file, 'x.npz'), 'x')).message).toMatch(/plain\/x\.npz: cannot write: a parent folder is a file \((EEXIST|ENOTDIR)\)$/);
  });

  it('names the path when it is a folder', () => {
    expect(expectGenEvalError(() => writeFileAtomic(dir, 'x')).message).toBe(`${dir}: cannot write: it is a folder (EISDIR)`);
  });

  it('writes a device in place (a real ENOSPC from /dev/full, through a symlink) instead of renaming over it', () => {
    if (!existsSync('/dev/full')) return;
    const link = join(dir, 'to-full.npz');
    symlinkSync('/dev/full', link);
    expect(expectGenEvalError(() => writeFileAtomic(link, 'x')).message).toBe(`${link}: cannot write: no space left on device (ENOSPC)`);
    expect(existsSync('/dev/full')).toBe(true);
  });

  it('follows a symlink to a regular file: the target is replaced, the link stays', () => {
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    writeFileAtomic(link, 'new');
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });
});

describe('writeFileAtomic: the file the kernel means', () => {
  it("writes link/../x where the kernel resolves it (from the link's target), not where path.resolve would", () => {
    const sub = mkdtempSync(join(dir, 'dotdot-'));
    fs.mkdirSync(join(sub, 'a', 'deep'), { recursive: true });
    fs.mkdirSync(join(sub, 'b'));
    symlinkSync(join(sub, 'a', 'deep'), join(sub, 'b', 'jump'));
    writeFileSync(join(sub, 'a', 'x'), 'a');
    writeFileSync(join(sub, 'b', 'x'), 'b');
    writeFileAtomic(`${sub}/b/jump/../x`, 'new');
    expect([readFileSync(join(sub, 'a', 'x'), 'utf8'), readFileSync(join(sub, 'b', 'x'), 'utf8')]).toEqual(['new', 'b']);
  });
});

describe('writeFilesAtomic: all of the files or none', () => {
  const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

  it('writes every file', () => {
    const [a, b] = [join(dir, 'all-a.txt'), join(dir, 'all-b.txt')];
    writeFilesAtomic([
      { path: a, data: 'A' },
      { path: b, data: 'B' },
    ]);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['A', 'B']);
  });

  it('a device that fails (/dev/full) leaves none of the regular files, new or old, changed', () => {
    if (!existsSync('/dev/full')) return;
    const sub = mkdtempSync(join(dir, 'dev-'));
    const [fresh, old] = [join(sub, 'page.html'), join(sub, 'old.csv')];
    writeFileSync(old, 'old');
    const err = expectGenEvalError(() =>
      writeFilesAtomic([
        { path: fresh, data: 'html' },
        { path: old, data: 'new' },
        { path: '/dev/full', data: 'csv' },
      ]),
    );
    expect(err.message).toBe('/dev/full: cannot write: no space left on device (ENOSPC)');
    expect(existsSync(fresh)).toBe(false);
    expect(readFileSync(old, 'utf8')).toBe('old');
    expect(temps(sub)).toEqual([]);
  });

  it("a full disk on the second file removes the first one's temporary file and names the second", () => {
    const sub = mkdtempSync(join(dir, 'full-'));
    const [a, b] = [join(sub, 'a.npy'), join(sub, 'b.npy')];
    const real = vi.mocked(fs.writeFileSync).getMockImplementation()!;
    vi.mocked(fs.writeFileSync)
      .mockImplementationOnce(real)
      .mockImplementationOnce(() => {
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      });
    expect(
      expectGenEvalError(() =>
        writeFilesAtomic([
          { path: a, data: 'a' },
          { path: b, data: 'b' },
        ]),
      ).message,
    ).toBe(`${b}: cannot write: no space left on device (ENOSPC)`);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('a failed rename removes the files already renamed that are new, and keeps those that existed', () => {
    const sub = mkdtempSync(join(dir, 'rename-'));
    const [a, b] = [join(sub, 'a.txt'), join(sub, 'b.txt')];
    // b's target is a non-empty folder, so renaming b's temporary file over it fails.
    fs.mkdirSync(b);
    writeFileSync(join(b, 'keep'), 'k');
    expect(
      expectGenEvalError(() =>
        writeFilesAtomic([
          { path: a, data: 'a' },
          { path: b, data: 'b' },
        ]),
      ).message,
    ).toMatch(/b\.txt: cannot write: /);
    expect(readdirSync(sub)).toEqual(['b.txt']);
    expect(readdirSync(b)).toEqual(['keep']);
  });
});
