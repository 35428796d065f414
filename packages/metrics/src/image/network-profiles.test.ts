import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from './decode.js';
import { sha256 } from './fixtures.test-helper.js';
import { preprocess, preprocessProfile, resolveProfile, type NetworkProfileName } from './profiles.js';
import { resizeBicubicPillowRgb } from './resize-pillow-u8.js';

const DIR = fileURLToPath(new URL('../../../../fixtures/golden/network-profiles/', import.meta.url));

interface Case {
  profile: NetworkProfileName;
  size: number;
  image: string;
  shape: [number, number, number];
  uint8_sha256: string;
  normalized_sha256: string;
}

const golden = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  cases: Case[];
  clean: { image: string; size: number; unit_sha256: string; normalized_sha256: string }[];
};
const MEAN_STD = {
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  clip: { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
};

/** (x − mean)/std per channel in float32, as torchvision's Normalize. */
function normalize(x: Float32Array, plane: number, { mean, std }: { mean: number[]; std: number[] }): Float32Array {
  const fr = Math.fround;
  const norm = new Float32Array(3 * plane);
  for (let ch = 0; ch < 3; ch++) for (let i = 0; i < plane; i++) norm[ch * plane + i] = fr(fr(x[ch * plane + i]! - fr(mean[ch]!)) / fr(std[ch]!));
  return norm;
}

describe('network profiles against the reference transforms (Pillow 9.4 BICUBIC on "RGB")', () => {
  for (const c of golden.cases) {
    it(`${c.profile} ${c.size} on ${c.image}: the 8-bit stage bit-exact, the normalised input bit-exact`, async () => {
      const image = await decodeImageFile(join(DIR, 'inputs', c.image));
      const x = preprocess(image, preprocessProfile(c.profile, c.size, [0, 1]));
      // x = byte/255 exactly (float32), so the bytes are recovered by rounding.
      const bytes = new Uint8Array(c.size * c.size * 3);
      const plane = c.size * c.size;
      for (let i = 0; i < plane; i++) for (let ch = 0; ch < 3; ch++) bytes[i * 3 + ch] = Math.round(x[ch * plane + i]! * 255);
      expect(sha256(bytes)).toBe(c.uint8_sha256);
      const norm = normalize(x, plane, c.profile === 'pillow-bicubic' ? MEAN_STD.imagenet : MEAN_STD.clip);
      expect(sha256(norm)).toBe(c.normalized_sha256);
    });
  }
});

describe("DINOv2's --profile clean against dgm-eval's own pil_resize", () => {
  const dinov2 = { height: 224, range: [0, 1] as const, profiles: { default: 'pillow-bicubic', clean: 'clean' } as const };
  for (const c of golden.clean) {
    it(`${c.image}: the [0, 1] input and the normalised input bit-exact`, async () => {
      const x = preprocess(await decodeImageFile(join(DIR, 'inputs', c.image)), resolveProfile('clean', dinov2));
      expect(sha256(x)).toBe(c.unit_sha256);
      expect(sha256(normalize(x, c.size * c.size, MEAN_STD.imagenet))).toBe(c.normalized_sha256);
    });
  }
});

describe('resizeBicubicPillowRgb', () => {
  it('keeps an image whose size does not change, and resamples one axis alone', () => {
    const data = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const same = resizeBicubicPillowRgb({ width: 5, height: 4, data }, 5, 4);
    expect(same.data).toEqual(data);
    expect(same.data).not.toBe(data);
    const wide = resizeBicubicPillowRgb({ width: 5, height: 4, data }, 9, 4);
    expect([wide.width, wide.height, wide.data.length]).toEqual([9, 4, 9 * 4 * 3]);
  });

  it('maps a constant image to the same constant (taps sum to one; 2^21 rounding)', () => {
    const data = new Uint8Array(7 * 3 * 3).fill(201);
    for (const [w, h] of [
      [2, 2],
      [20, 11],
      [7, 1],
    ] as const) {
      expect(resizeBicubicPillowRgb({ width: 7, height: 3, data }, w, h).data.every((v) => v === 201)).toBe(true);
    }
  });
});

describe('resolveProfile', () => {
  const dinov2 = { height: 224, range: [0, 1] as const, profiles: { default: 'pillow-bicubic', clean: 'clean' } as const };
  it("maps the user's profile to the extractor's declared ones", () => {
    expect(resolveProfile('pytorch-fid', dinov2).name).toBe('pillow-bicubic');
    expect(resolveProfile('clean', dinov2)).toEqual(preprocessProfile('clean', 224, [0, 1]));
    expect(resolveProfile('cmmd', dinov2).crop).toBe('center-square-then-resize');
  });
  it('leaves extractors without declared profiles on the existing profiles', () => {
    expect(resolveProfile('clean', { height: 299, range: [-1, 1] })).toEqual(preprocessProfile('clean', 299, [-1, 1]));
  });
  it('refuses a [-1, 1] range for a network profile', () => {
    expect(() => preprocessProfile('clip', 224, [-1, 1])).toThrow(/ends in \[0, 1\]/);
  });
});
