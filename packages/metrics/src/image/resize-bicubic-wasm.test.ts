import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleWatBase64 } from '../wasm-assemble.test-helper.js';
import { BICUBIC_WASM_BASE64 } from './bicubic-wasm.js';
import { resizeBicubicPillow } from './resize-pillow.js';
import { bicubicWasmAvailable, preprocessBicubicWasm, type BicubicFinish } from './resize-bicubic-wasm.js';
import type { RgbImage } from './rgb-image.js';
import { firstDiff, seededBytes } from './wasm-kernels.test-helper.js';

/** The JS path: byte planes ("F") → resizeBicubicPillow per plane → clean-fid's normalisation. */
function reference(image: RgbImage, size: number, finish: BicubicFinish): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(n);
    for (let i = 0; i < n; i++) plane[i] = image.data[3 * i + c]!;
    const o = out.subarray(c * size * size, (c + 1) * size * size);
    resizeBicubicPillow(plane, image.height, image.width, size, size, o);
    for (let i = 0; i < o.length; i++) {
      const v = o[i]!;
      if (finish === 'clean') o[i] = v < 0 ? -1 : v > 255 ? 127 / 128 : (v - 128) / 128;
      else if (finish === 'clean-unit') o[i] = v < 0 ? 0 : v > 255 ? 1 : v / 255;
    }
  }
  return out;
}

function wasm(image: RgbImage, size: number, finish: BicubicFinish): Float32Array {
  const out = new Float32Array(3 * size * size).fill(Number.NaN);
  expect(preprocessBicubicWasm(image, size, finish, out)).toBe(true);
  return out;
}

describe('clean-fid preprocessing on WebAssembly', () => {
  it('the embedded module is bicubic.wat assembled (run `npm run build:wasm` after editing the .wat)', async () => {
    expect(await assembleWatBase64(new URL('./bicubic.wat', import.meta.url))).toBe(BICUBIC_WASM_BASE64);
    expect(bicubicWasmAvailable()).toBe(true);
  });

  it('is bit-identical to the JS (Pillow) resize for any sizes: up, down, one axis unchanged, odd widths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom<BicubicFinish>('none', 'clean', 'clean-unit'),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, size, finish, seed) => {
          const image = { width: w, height: h, data: seededBytes(seed, w * h * 3) };
          expect(firstDiff(wasm(image, size, finish), reference(image, size, finish))).toBe(-1);
        },
      ),
      { numRuns: 150 },
    );
    // An axis that keeps its size skips that pass in Pillow.
    for (const [w, h] of [
      [40, 17],
      [17, 40],
      [40, 40],
    ] as const) {
      const image = { width: w, height: h, data: seededBytes(w * h, w * h * 3) };
      expect(firstDiff(wasm(image, 40, 'clean'), reference(image, 40, 'clean'))).toBe(-1);
    }
  });

  it('is bit-identical on the benchmark shapes (256 → 299, 1024×768 → 299)', () => {
    for (const [w, h] of [
      [256, 256],
      [1024, 768],
    ] as const) {
      const image = { width: w, height: h, data: seededBytes(w + h, w * h * 3) };
      expect(firstDiff(wasm(image, 299, 'clean'), reference(image, 299, 'clean'))).toBe(-1);
    }
  });
});
