import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { goldenJson, IMAGES_DIR, type DecodeGolden } from './fixtures.test-helper.js';
import { comparePaths, isImageFileName, listImages } from './list-images.js';

let tmp: string;
let n = 0;
const fresh = async (): Promise<string> => {
  const d = join(tmp, `t${n++}`);
  await mkdir(d);
  return d;
};
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gen-eval-list-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('listImages on fixtures/images', () => {
  it('finds every image recursively, in Python sorted(pathlib) order, and counts the rest', async () => {
    const listing = await listImages(IMAGES_DIR);
    // gen_images.py lists the same folder with sorted(Path.rglob(...)); .pbm is not an image extension.
    const expected = Object.keys(goldenJson<DecodeGolden>('decode.json').images).filter((p) => !p.endsWith('.pbm'));
    expect(listing.files.map((f) => f.relPath)).toEqual(expected);
    expect(listing.ignored).toBe(4); // notes.txt, sub/labels.csv, formats/*.pbm ×2
    expect(listing.files.some((f) => f.relPath === 'UPPER-CASE.PNG')).toBe(true);
    for (const f of listing.files.slice(0, 5)) {
      const st = await stat(f.path);
      expect(f.path).toBe(join(IMAGES_DIR, f.relPath));
      expect([f.size, f.mtimeMs]).toEqual([st.size, st.mtimeMs]);
    }
  });
});

describe('listImages errors', () => {
  it('missing path, a file, an empty folder, a folder without images', async () => {
    const missing = join(tmp, 'missing');
    await expectGenEvalError(listImages(missing), { code: 'bad_input', message: `${missing}: no such file or folder` });
    const file = join(tmp, 'a-file.png');
    await writeFile(file, 'x');
    await expectGenEvalError(listImages(file), { code: 'bad_input', message: `${file}: not a folder (expected a folder of images)` });
    const empty = await fresh();
    await expectGenEvalError(listImages(empty), { code: 'bad_input', message: `${empty}: empty folder (no files found)` });
    const noImages = await fresh();
    await writeFile(join(noImages, 'a.txt'), '');
    await writeFile(join(noImages, '.hidden.png'), '');
    await expectGenEvalError(listImages(noImages), {
      code: 'bad_input',
      message: `${noImages}: no images found (2 other files ignored; extensions read: bmp, jpg, jpeg, png, pgm, ppm, tif, tiff, webp)`,
    });
  });
});

describe('listImages rules', () => {
  it('any letter case; hidden files ignored, hidden folders not entered; symlinks followed once', async () => {
    const d = await fresh();
    await mkdir(join(d, 'sub'));
    await mkdir(join(d, '.cache'));
    for (const f of ['a.PNG', 'b.JpEg', 'c.TiF', 'd.webp', 'e.gif', 'f', '.g.png', 'sub/h.bmp', '.cache/i.png']) {
      await writeFile(join(d, f), 'x');
    }
    await symlink(join(d, 'sub'), join(d, 'link-to-sub'));
    await symlink(d, join(d, 'sub', 'loop'));
    await symlink(join(d, 'nowhere.png'), join(d, 'dangling.png'));
    const listing = await listImages(d);
    expect(listing.files.map((f) => f.relPath)).toEqual(['a.PNG', 'b.JpEg', 'c.TiF', 'd.webp', 'dangling.png', 'link-to-sub/h.bmp']);
    expect(listing.files.filter((f) => f.problem !== undefined).map((f) => f.relPath)).toEqual(['dangling.png']);
    expect(listing.ignored).toBe(3); // e.gif, f, .g.png
  });

  it('dangling links, FIFOs and sockets with an image name are listed as bad entries (never opened); others are ignored', async (ctx) => {
    if (process.platform === 'win32') ctx.skip('no FIFOs on Windows');
    const d = await fresh();
    await writeFile(join(d, 'ok.png'), 'x');
    await symlink(join(d, 'nowhere.png'), join(d, 'dangling.png'));
    await symlink(join(d, 'nowhere'), join(d, 'dangling.txt'));
    execFileSync('mkfifo', [join(d, 'pipe.jpg'), join(d, 'pipe')]);
    await symlink(join(d, 'pipe'), join(d, 'link-to-pipe.png'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(d, 'sock.webp'), resolve));
    try {
      const listing = await listImages(d); // would block forever if it opened a FIFO
      expect(listing.files.map((f) => [f.relPath, f.problem ?? 'ok'])).toEqual([
        ['dangling.png', 'dangling symbolic link (its target does not exist)'],
        ['link-to-pipe.png', 'not a regular file (a FIFO)'],
        ['ok.png', 'ok'],
        ['pipe.jpg', 'not a regular file (a FIFO)'],
        ['sock.webp', 'not a regular file (a socket)'],
      ]);
      expect(listing.ignored).toBe(2); // dangling.txt, pipe
    } finally {
      server.close();
    }
  });

  it('orders folder by folder, by code point (a/… before a-c, Z before a)', () => {
    const paths = ['a-c.png', 'a/b.png', 'Z.png', 'a.png', 'ä.png', '😀.png', '\uffff.png', 'a/a/z.png'];
    expect([...paths].sort(comparePaths)).toEqual(['Z.png', 'a/a/z.png', 'a/b.png', 'a-c.png', 'a.png', 'ä.png', '\uffff.png', '😀.png']);
  });

  it('comparePaths is a total order consistent with component-wise code-point order', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9._ -]{1,4}$/);
    const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
    fc.assert(
      fc.property(path, path, path, (a, b, c) => {
        expect(Math.sign(comparePaths(a, b)) + Math.sign(comparePaths(b, a))).toBe(0);
        expect(comparePaths(a, b) === 0).toBe(a === b);
        if (comparePaths(a, b) <= 0 && comparePaths(b, c) <= 0) expect(comparePaths(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('lists a random tree completely, independent of creation order', async () => {
    const fileName = fc.tuple(fc.constantFrom('a', 'B', 'c-d', 'e_1', 'x y'), fc.constantFrom('png', 'JPG', 'txt', 'webp', 'csv')).map(([b, e]) => `${b}.${e}`);
    const entry = fc.tuple(fc.constantFrom('', 'p', 'p/q', 'r'), fileName).map(([dir, f]) => (dir ? `${dir}/${f}` : f));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entry, { minLength: 1, maxLength: 12 }), async (entries) => {
        const d = await fresh();
        for (const e of entries) {
          await mkdir(join(d, e, '..'), { recursive: true });
          await writeFile(join(d, e), '');
        }
        const images = entries.filter((e) => isImageFileName(e)).sort(comparePaths);
        if (images.length === 0) {
          await expect(listImages(d)).rejects.toThrow(/no images found/);
          return;
        }
        const listing = await listImages(d);
        expect(listing.files.map((f) => f.relPath)).toEqual(images);
        expect(listing.ignored).toBe(entries.length - images.length);
      }),
      { numRuns: 25 },
    );
  });
});
