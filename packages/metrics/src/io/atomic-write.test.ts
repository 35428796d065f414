import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { writeFileAtomic } from './atomic-write.js';

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
