import { describe, expect, it } from 'vitest';
import { GenEvalError } from '../errors.js';
import { decodeImageFile } from './decode.js';
import { createDecodePool } from '../pipeline/decode-pool.js';
import { preprocessProfile } from './profiles.js';
import { BAD_DIR, goldenJson, sha256 } from './fixtures.test-helper.js';

/** fixtures/golden/images/corrupt.json, written by fixtures/scripts/gen_corrupt_images.py. */
interface CorruptGolden {
  versions: Record<string, string>;
  files: Record<string, { decodes: boolean; sha256?: string; error?: string }>;
}
const golden = goldenJson<CorruptGolden>('corrupt.json');
const DIR = BAD_DIR.replace(/images-bad$/, 'images-corrupt');

/**
 * Where we knowingly differ from Pillow 9.4. Verdict: a PNG whose compressed data ends before the
 * last row (but whose zlib stream is complete) — Pillow returns the rows it has over a black image,
 * libspng refuses it; refusing is the safer side for a metric. Pixels: an incomplete progressive
 * JPEG (EOI after a few scans) — both decode it, but sharp's libjpeg-turbo 3 smooths the missing
 * coefficients differently from Debian's 2.1.
 */
const VERDICT_DIFFERS = new Set(['png-short-data.png']);
const PIXELS_DIFFER = new Set(['prog-eoi-mid.jpg']);

describe('damaged JPEG and PNG files: the same verdict as Pillow 9.4 Image.open(…).convert("RGB")', () => {
  it('the golden verdicts come from Pillow 9.4 and cover the damage kinds', () => {
    expect(golden.versions.Pillow).toBe('9.4.0');
    const errors = Object.values(golden.files).map((v) => v.error ?? '');
    expect(errors.filter((e) => e.includes('broken data stream')).length).toBeGreaterThanOrEqual(10);
    expect(errors.filter((e) => e.includes('image file is truncated')).length).toBeGreaterThanOrEqual(10);
    expect(Object.values(golden.files).filter((v) => v.decodes).length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, pil] of Object.entries(golden.files)) {
    it(`${name}: Pillow ${pil.decodes ? 'decodes it' : `raises ${pil.error!}`}`, async () => {
      const path = `${DIR}/${name}`;
      const result = await decodeImageFile(path).catch((e: unknown) => e);
      if (VERDICT_DIFFERS.has(name)) {
        expect(result).toBeInstanceOf(GenEvalError);
        return;
      }
      if (pil.decodes) {
        expect(result, String(result)).not.toBeInstanceOf(Error);
        if (!PIXELS_DIFFER.has(name)) expect(sha256((result as { data: Uint8Array }).data)).toBe(pil.sha256);
      } else {
        expect(result).toBeInstanceOf(GenEvalError);
        const message = (result as Error).message;
        expect(message.startsWith(`${path}: cannot decode image: `)).toBe(true);
        expect(message).not.toContain('\n');
        expect(message).not.toMatch(/unknown error/i);
      }
    });
  }

  it('names the problem in libjpeg\'s words (as Pillow\'s "broken data stream" hides it)', async () => {
    await expect(decodeImageFile(`${DIR}/base-sof-mid.jpg`)).rejects.toThrow(
      /base-sof-mid\.jpg: cannot decode image: broken data stream \(Invalid JPEG file structure: two SOF markers, after the image data\)$/,
    );
    await expect(decodeImageFile(`${DIR}/base-reserved-mid.jpg`)).rejects.toThrow(/Unsupported marker type 0x02, after the image data/);
    await expect(decodeImageFile(`${DIR}/png-crc-text.png`)).rejects.toThrow(/png-crc-text\.png: cannot decode image: broken PNG file \(bad checksum in the tEXt chunk\)$/);
    await expect(decodeImageFile(`${DIR}/prog-trunc-50.jpg`)).rejects.toThrow(/file is truncated \(premature end of JPEG image\)$/);
  });
});

describe('failure messages do not depend on what else is decoding (libvips has one error buffer per process)', () => {
  // Several bad files at once used to read "Unknown error" or another file's message now and then.
  const expected: Record<string, string> = {
    'truncated.jpg': 'file is truncated (premature end of JPEG image)',
    'truncated.png': 'file is truncated (end of stream)',
    'prog-trunc-50.jpg': 'file is truncated (premature end of JPEG image)',
    'png-zlib-garbage.png': 'corrupt PNG image data (compressed data or row filters)',
    'prog-bad-dht.jpg': 'Bogus Huffman table definition',
  };
  const files = Object.keys(expected).map((n) => (n.startsWith('truncated.') ? `${BAD_DIR}/${n}` : `${DIR}/${n}`));
  const profile = preprocessProfile('pytorch-fid', 16, [-1, 1]);
  for (const workers of [0, 1]) {
    it(`--workers ${workers}, 6 rounds of 5 bad files × 4 copies at once`, async () => {
      const pool = createDecodePool(profile, workers);
      try {
        for (let round = 0; round < 6; round++) {
          const all = files.flatMap((f) => [f, f, f, f]);
          const messages = await Promise.all(
            all.map((f) =>
              pool.load(f).then(
                () => 'decoded',
                (e: Error) => e.message,
              ),
            ),
          );
          messages.forEach((m, k) => {
            const f = all[k]!;
            expect(m).toBe(`${f}: cannot decode image: ${expected[f.slice(f.lastIndexOf('/') + 1)]!}`);
          });
        }
      } finally {
        await pool.close();
      }
    });
  }
});
