/**
 * Test helpers (used only by the *.test.ts files beside it): paths and loaders of the image fixtures written by fixtures/scripts/gen_images.py.
 * Named *.test-helper.ts so it is obviously not part of the API.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '../io/npy.js';
import { RandomState } from '../random.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
export const IMAGES_DIR = `${FIXTURES}images`;
export const BAD_DIR = `${FIXTURES}images-bad`;
const GOLDEN = `${FIXTURES}golden/images/`;

export function goldenJson<T>(name: string): T {
  return JSON.parse(readFileSync(GOLDEN + name, 'utf8')) as T;
}

export function goldenNpy(rel: string): { shape: readonly number[]; data: ArrayLike<number> } {
  const a = parseNpy(readFileSync(GOLDEN + rel), rel);
  return { shape: a.shape, data: a.data as ArrayLike<number> };
}

export function sha256(a: Uint8Array | Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
}

/** The seeded float32 3×h×w input of a golden resize case (see resize.json "input"). */
export function seededImage(seed: number, h: number, w: number): Float32Array {
  const rs = new RandomState(seed);
  return Float32Array.from({ length: 3 * h * w }, () => rs.random() * 300 - 20);
}

/** Largest |a[i] − b[i]| and where it is. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; at: number } {
  let max = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) {
      max = d;
      at = i;
    }
  }
  return { max, at };
}

export interface DecodeGolden {
  versions: Record<string, string>;
  images: Record<string, { mode: string; shape: [number, number, number]; sha256: string; npy?: string }>;
  bad: Record<string, string>;
}
export interface ResizeGolden {
  cases: { kind: 'bilinear' | 'bicubic'; seed: number; in: [number, number]; out: [number, number]; npy: string; sha256: string }[];
}
export interface ProfilesGolden {
  rowStride: number;
  cases: Record<string, { profile: 'pytorch-fid' | 'clean'; image: string; size: number; sha256: string; rows: number[]; npy: string; sum: number }>;
}
