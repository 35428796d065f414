import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { cmykToRgb, decodeImage, decodeImageFile } from './decode.js';
import { BAD_DIR, goldenJson, goldenNpy, IMAGES_DIR, sha256, type DecodeGolden } from './fixtures.test-helper.js';

const golden = goldenJson<DecodeGolden>('decode.json');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gen-eval-decode-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('decodeImageFile equals Pillow 9.4 Image.open(…).convert("RGB")', () => {
  it('the golden files come from Pillow 9.4', () => {
    expect(golden.versions.Pillow).toBe('9.4.0');
    expect(Object.keys(golden.images).length).toBeGreaterThanOrEqual(45);
  });

  for (const [rel, g] of Object.entries(golden.images)) {
    it(`${rel} (PIL mode ${g.mode})`, async () => {
      const img = await decodeImageFile(`${IMAGES_DIR}/${rel}`);
      expect([img.height, img.width, 3]).toEqual(g.shape);
      if (g.npy) {
        // Point at the first differing pixel rather than just a hash mismatch.
        const ref = goldenNpy(g.npy).data;
        const i = img.data.findIndex((v, k) => v !== ref[k]);
        expect(i, i < 0 ? '' : `first difference at pixel ${Math.floor(i / 3)}: ${img.data[i]} vs ${ref[i]}`).toBe(-1);
      }
      expect(sha256(img.data)).toBe(g.sha256);
    });
  }
});

describe('bad files: one-line inputError naming the file, exit code 2', () => {
  it('Pillow refuses every file of images-bad too', () => {
    expect(Object.values(golden.bad).every((v) => v !== 'decodes')).toBe(true);
  });

  for (const [name, expected] of [
    ['truncated.png', /: cannot decode image: file is truncated \(end of stream\)$/],
    ['truncated.jpg', /: cannot decode image: file is truncated \(premature end of JPEG image\)$/],
    ['not-an-image.png', /: cannot decode image: unsupported image format \(not an image, or not one Pillow reads\)$/],
    ['empty.jpg', /cannot decode image: empty file/],
  ] as const) {
    it(name, async () => {
      const path = `${BAD_DIR}/${name}`;
      const err = await expectGenEvalError(decodeImageFile(path), { code: 'bad_input', message: expected });
      expect(err.message.startsWith(`${path}: `)).toBe(true);
    });
  }

  it('a missing file', async () => {
    await expect(decodeImageFile(join(tmp, 'nope.png'))).rejects.toThrow(`${join(tmp, 'nope.png')}: no such file`);
  });

  it('truncated BMP and Netpbm files, and formats Pillow cannot read', async () => {
    const cut = async (rel: string, keep: number) => (await readFile(`${IMAGES_DIR}/${rel}`)).subarray(0, keep);
    await expect(decodeImage(await cut('sub/image.bmp', 300), 'x.bmp')).rejects.toThrow(/^x\.bmp: cannot decode image: .*truncated/);
    await expect(decodeImage(await cut('sub/image.bmp', 20), 'x.bmp')).rejects.toThrow(/truncated/);
    await expect(decodeImage(await cut('formats/bmp-rle8.bmp', 1100), 'r.bmp')).rejects.toThrow(/truncated/);
    await expect(decodeImage(await cut('sub/image.ppm', 100), 'x.ppm')).rejects.toThrow(/^x\.ppm: cannot decode image: .*truncated/);
    await expect(decodeImage(await cut('formats/plain-p2-max1000.pgm', 60), 'p.pgm')).rejects.toThrow(/truncated/);
    await expect(decodeImage(new TextEncoder().encode('P5\n3 2\n70000\n'), 'm.pgm')).rejects.toThrow(/maxval/);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
    await expect(decodeImage(new TextEncoder().encode(svg), 's.png')).rejects.toThrow(/unsupported image format \(svg\)/);
    const gif = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#123456' } })
      .gif()
      .toBuffer();
    await expect(decodeImage(gif, 'g.png')).rejects.toThrow(/unsupported image format \(gif\)/);
  });
});

describe('decoding details', () => {
  it('reads the format from the content, not the extension (as Pillow does)', async () => {
    const path = join(tmp, 'really-a-png.jpg');
    await copyFile(`${IMAGES_DIR}/rgba-50.png`, path);
    expect(sha256((await decodeImageFile(path)).data)).toBe(golden.images['rgba-50.png']!.sha256);
  });

  it('PNG round trip through sharp: grey replicated, alpha dropped without flattening', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
        fc.integer({ min: 0, max: 2 ** 31 }),
        async (width, height, channels, seed) => {
          let s = seed;
          const raw = Uint8Array.from({ length: width * height * channels }, () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s >>> 24;
          });
          const png = await sharp(raw, { raw: { width, height, channels } }).png().toBuffer();
          const img = await decodeImage(png, 'p.png');
          const colour = channels >= 3;
          const want = Uint8Array.from({ length: width * height * 3 }, (_, k) => raw[Math.floor(k / 3) * channels + (colour ? k % 3 : 0)]!);
          expect(img.width).toBe(width);
          expect(img.height).toBe(height);
          expect(Buffer.from(img.data).equals(Buffer.from(want))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("CMYK → RGB with Pillow's integer formula", () => {
    const img = cmykToRgb(Uint8Array.from([0, 0, 0, 0, 255, 0, 0, 0, 114, 212, 206, 0, 10, 20, 30, 255, 100, 50, 25, 128]), 5, 1);
    // Values printed by Pillow 9.4: Image.frombytes("CMYK", …).convert("RGB").
    expect(Array.from(img.data)).toEqual([255, 255, 255, 0, 255, 255, 141, 43, 49, 0, 0, 0, 77, 102, 115]);
  });
});
