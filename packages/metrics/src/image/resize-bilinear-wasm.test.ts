import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleWatBase64 } from '../wasm-assemble.test-helper.js';
import { BILINEAR_WASM_BASE64 } from './bilinear-wasm.js';
import { resizeBilinear } from './resize-bilinear.js';
import { bilinearWasmAvailable, preprocessBilinearWasm } from './resize-bilinear-wasm.js';
import type { RgbImage } from './rgb-image.js';
import { firstDiff, seededBytes } from './wasm-kernels.test-helper.js';

const UNIT = Float32Array.from({ length: 256 }, (_, p) => p / 255);

/** The JS path: ToTensor planes → resizeBilinear per plane → 2x − 1 rounded once to float32. */
function reference(image: RgbImage, size: number, affine: boolean): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(n);
    for (let i = 0; i < n; i++) plane[i] = UNIT[image.data[3 * i + c]!]!;
    const o = out.subarray(c * size * size, (c + 1) * size * size);
    resizeBilinear(plane, image.height, image.width, size, size, o);
    if (affine) for (let i = 0; i < o.length; i++) o[i] = 2 * o[i]! - 1;
  }
  return out;
}

function wasm(image: RgbImage, size: number, affine: boolean): Float32Array {
  const out = new Float32Array(3 * size * size).fill(Number.NaN);
  expect(preprocessBilinearWasm(image, size, UNIT, affine, out)).toBe(true);
  return out;
}

describe('pytorch-fid preprocessing on WebAssembly', () => {
  it('the embedded module is bilinear.wat assembled (run `npm run build:wasm` after editing the .wat)', async () => {
    expect(await assembleWatBase64(new URL('./bilinear.wat', import.meta.url))).toBe(BILINEAR_WASM_BASE64);
  });

  it('is available here (Node has WebAssembly SIMD)', () => {
    expect(bilinearWasmAvailable()).toBe(true);
  });

  it('is bit-identical to the JS resize for any sizes (up, down, equal, 1 pixel, non-multiples of 4)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 80 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, size, affine, seed) => {
          const image = { width: w, height: h, data: seededBytes(seed, w * h * 3) };
          expect(firstDiff(wasm(image, size, affine), reference(image, size, affine))).toBe(-1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is bit-identical on the benchmark shapes (256 → 299, 1024×768 → 299)', () => {
    for (const [w, h] of [
      [256, 256],
      [1024, 768],
      [299, 299],
    ] as const) {
      const image = { width: w, height: h, data: seededBytes(w + h, w * h * 3) };
      expect(firstDiff(wasm(image, 299, true), reference(image, 299, true))).toBe(-1);
    }
  });

  it('stays right after its memory grows past 64 MiB for a large image (and it then starts afresh)', () => {
    const small = { width: 33, height: 17, data: seededBytes(1, 33 * 17 * 3) };
    const expected = reference(small, 41, true);
    const big = { width: 5000, height: 4500, data: seededBytes(2, 5000 * 4500 * 3) }; // 67.5 MB of bytes
    wasm(small, 41, true);
    const bigOut = wasm(big, 64, false);
    expect(firstDiff(bigOut, reference(big, 64, false))).toBe(-1);
    expect(firstDiff(wasm(small, 41, true), expected)).toBe(-1);
  });
});
