import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../defaults.js';
import { decodeImageFile } from './decode.js';
import { goldenJson, goldenNpy, IMAGES_DIR, maxAbsDiff, sha256, type ProfilesGolden } from './fixtures.test-helper.js';
import { preprocess, preprocessClean, preprocessProfile, preprocessPytorchFid } from './profiles.js';
import type { RgbImage } from './rgb-image.js';

const golden = goldenJson<ProfilesGolden>('profiles.json');

/** The stored rows (every rowStride-th and the last) of a 3×S×S output. */
function keptRows(out: Float32Array, size: number, rows: number[]): Float32Array {
  const kept = new Float32Array(3 * rows.length * size);
  rows.forEach((r, j) => {
    for (let c = 0; c < 3; c++) kept.set(out.subarray((c * size + r) * size, (c * size + r + 1) * size), (c * rows.length + j) * size);
  });
  return kept;
}

function randomImage(seed: number, width: number, height: number): RgbImage {
  let s = seed >>> 0;
  const data = Uint8Array.from({ length: width * height * 3 }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 24;
  });
  return { width, height, data };
}

describe('preprocessing profiles against the reference projects', () => {
  for (const [key, c] of Object.entries(golden.cases)) {
    it(`${c.profile}: ${c.image} → 3×${c.size}×${c.size}`, async () => {
      const img = await decodeImageFile(`${IMAGES_DIR}/${c.image}`);
      const out = preprocess(img, preprocessProfile(c.profile, c.size));
      expect(out.length).toBe(3 * c.size * c.size);
      const ref = goldenNpy(c.npy);
      expect(ref.shape).toEqual([3, c.rows.length, c.size]);
      const { max } = maxAbsDiff(keptRows(out, c.size, c.rows), ref.data);
      if (c.profile === 'clean') {
        // Pillow's float resampling and clean-fid's (x − 128)/128: bit-exact, over the whole output.
        expect(max).toBe(0);
        expect(sha256(out)).toBe(c.sha256);
      } else {
        // pytorch-fid: the spec is ≤ 1e-6 absolute. Over the whole output the float64 sum agrees to
        // that order too (a wrong resize moves it by far more).
        expect(max).toBeLessThanOrEqual(1e-6);
        let sum = 0;
        for (const v of out) sum += v;
        expect(Math.abs(sum - c.sum)).toBeLessThanOrEqual(1e-6 * out.length);
        // Bit-exact with torch's NCHW kernel (AVX2 build that wrote the golden files). A 1×1 image
        // is channels-last-contiguous in torch and takes another kernel (≤ 1 ulp apart).
        if (!c.image.startsWith('pixel-1')) expect(sha256(out), key).toBe(c.sha256);
      }
    });
  }
});

describe('preprocessProfile', () => {
  it('records the profile for results and cache keys; defaults come from DEFAULTS', () => {
    const p = preprocessProfile();
    expect(p).toEqual({
      name: DEFAULTS.imageProfile,
      size: DEFAULTS.imageSize,
      interpolation: 'bilinear',
      resizer: 'torch-interpolate-align-corners-false',
      range: [-1, 1],
      normalize: '2*(p/255)-1',
      layout: 'CHW-RGB-float32',
    });
    expect(preprocessProfile('clean', 224)).toMatchObject({ name: 'clean', size: 224, interpolation: 'bicubic', range: [-1, 1] });
    expect(JSON.parse(JSON.stringify(preprocessProfile('clean', 224, [0, 1])))).toMatchObject({ range: [0, 1], normalize: 'clip(p,0,255)/255' });
  });

  it('rejects unknown names, sizes and ranges', () => {
    expect(() => preprocessProfile('tf' as 'clean')).toThrow(/unknown preprocessing profile "tf"/);
    expect(() => preprocessProfile('clean', 0)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    expect(() => preprocessProfile('clean', 29.5)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    expect(() => preprocessProfile('clean', 299, [2, 3] as unknown as [0, 1])).toThrow(/range/);
  });
});

describe('preprocess', () => {
  it('writes into a batch slice exactly what it returns on its own', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('pytorch-fid' as const, 'clean' as const),
        (w, h, seed, name) => {
          const img = randomImage(seed, w, h);
          const profile = preprocessProfile(name, 17);
          const per = 3 * 17 * 17;
          const batch = new Float32Array(3 * per).fill(Number.NaN);
          const got = preprocess(img, profile, batch.subarray(per, 2 * per));
          expect(got.buffer).toBe(batch.buffer);
          expect(Array.from(batch.subarray(per, 2 * per))).toEqual(Array.from(preprocess(img, profile)));
          expect(Number.isNaN(batch[0]!) && Number.isNaN(batch[2 * per]!)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('maps to the declared range: pytorch-fid [−1, 1], clean [−1, 127/128], and their [0, 1] forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 2 ** 31 }), (w, h, seed) => {
        const img = randomImage(seed, w, h);
        const pf = preprocessPytorchFid(img, 23);
        const cl = preprocessClean(img, 23);
        const pfUnit = preprocess(img, preprocessProfile('pytorch-fid', 23, [0, 1]));
        const clUnit = preprocess(img, preprocessProfile('clean', 23, [0, 1]));
        let bad = 0;
        for (let i = 0; i < pf.length; i++) {
          if (!(pf[i]! >= -1 && pf[i]! <= 1 && cl[i]! >= -1 && cl[i]! <= 127 / 128)) bad++;
          if (Math.abs(pfUnit[i]! * 2 - 1 - pf[i]!) > 1e-6) bad++; // same resize, other normalisation
          if (Math.abs(clUnit[i]! * 255 - (cl[i]! * 128 + 128)) > 1e-4) bad++;
        }
        expect(bad).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it('gives a constant image its constant value (2p/255 − 1, (p − 128)/128)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 50 }), (p, n) => {
        const img = { width: n, height: n + 1, data: new Uint8Array(n * (n + 1) * 3).fill(p) };
        const pf = preprocessPytorchFid(img, 31);
        const cl = preprocessClean(img, 31);
        expect(maxAbsDiff(pf, new Float32Array(pf.length).fill(2 * Math.fround(p / 255) - 1)).max).toBeLessThanOrEqual(2.4e-7);
        expect(maxAbsDiff(cl, new Float32Array(cl.length).fill((p - 128) / 128)).max).toBeLessThanOrEqual(1e-6);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects inconsistent images and short outputs', () => {
    expect(() => preprocessPytorchFid({ width: 2, height: 2, data: new Uint8Array(11) })).toThrow(/expected 2x2x3/);
    expect(() => preprocessClean({ width: 1, height: 1, data: new Uint8Array(3) }, 8, new Float32Array(10))).toThrow(/output has 10 values/);
  });
});
