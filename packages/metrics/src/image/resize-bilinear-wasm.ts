/**
 * The pytorch-fid preprocessing (bytes → ToTensor → torch bilinear resize → optionally 2x − 1) on
 * the WebAssembly SIMD kernels of bilinear.wat: the same float32 roundings as
 * resize-bilinear.ts, so the output is bit-identical to the JS path (tested), in about a quarter
 * of its time. It matters because decoding competes with the feature network for the same cores:
 * every millisecond of preprocessing per image shows up in end-to-end throughput.
 *
 * Each source row is interpolated horizontally once (all three channels, straight from the
 * interleaved bytes) and kept while the output rows that read it are produced; upscaling reads
 * most rows twice.
 */
import { BILINEAR_WASM_BASE64 } from './bilinear-wasm.js';
import { linearTaps } from './resize-bilinear.js';
import type { RgbImage } from './rgb-image.js';
import { align16, EmbeddedKernels, type WasmMemoryExports } from './wasm-module.js';

interface Kernels extends WasmMemoryExports {
  hrow(src: number, xo0: number, xo1: number, xw0: number, xw1: number, lut: number, n: number, out: number, stride: number): void;
  vrow(ta: number, tb: number, h0: number, h1: number, n: number, dst: number, affine: number): void;
}

const kernels = new EmbeddedKernels<Kernels>(BILINEAR_WASM_BASE64);

/** Whether the WebAssembly path is available in this thread. */
export function bilinearWasmAvailable(): boolean {
  return kernels.get() !== null;
}

/**
 * Preprocesses `image` into `dst` (3·size² float32, CHW): `lut[p]` for every byte (ToTensor's
 * float32(p/255)), torch's bilinear resize to size×size, then 2x − 1 when `affine`. Returns false
 * (and writes nothing) when WebAssembly is unavailable.
 */
export function preprocessBilinearWasm(image: RgbImage, size: number, lut: Float32Array, affine: boolean, dst: Float32Array): boolean {
  const k = kernels.get();
  if (k === null) return false;
  const { width: inW, height: inH, data } = image;
  const plane = size * size;
  const stride = align16(4 * size); // bytes per channel row in the row buffers
  // Layout: LUT | x taps (4 arrays) | two row buffers of 3 channels | output | source bytes.
  const lutAt = 0;
  const tapsAt = 1024;
  const rowsAt = tapsAt + 4 * stride;
  const dstAt = rowsAt + 6 * stride;
  const srcAt = align16(dstAt + 4 * 3 * plane);
  const buf = kernels.memory(k, srcAt + data.length);
  new Float32Array(buf, lutAt, 256).set(lut);
  const tw = linearTaps(inW, size);
  const th = linearTaps(inH, size);
  const xo0 = new Int32Array(buf, tapsAt, size);
  const xo1 = new Int32Array(buf, tapsAt + stride, size);
  for (let x = 0; x < size; x++) {
    xo0[x] = 3 * tw.i0[x]!;
    xo1[x] = 3 * tw.i1[x]!;
  }
  new Float32Array(buf, tapsAt + 2 * stride, size).set(tw.w0);
  new Float32Array(buf, tapsAt + 3 * stride, size).set(tw.w1);
  new Uint8Array(buf, srcAt, data.length).set(data);

  // slotA holds source row a, slotB row b > a (when b ≥ 0); output rows never read backwards.
  let slotA = rowsAt;
  let slotB = rowsAt + 3 * stride;
  let a = -1;
  let b = -1;
  const horizontal = (row: number, slot: number) => k.hrow(srcAt + 3 * row * inW, tapsAt, tapsAt + stride, tapsAt + 2 * stride, tapsAt + 3 * stride, lutAt, size, slot, stride);
  const flag = affine ? 1 : 0;
  for (let y = 0; y < size; y++) {
    const r0 = th.i0[y]!;
    const r1 = th.i1[y]!;
    if (r0 !== a) {
      if (r0 === b) {
        [slotA, slotB] = [slotB, slotA];
        b = -1;
      } else {
        horizontal(r0, slotA);
      }
      a = r0;
    }
    let tb = slotA;
    if (r1 !== r0) {
      if (r1 !== b) {
        horizontal(r1, slotB);
        b = r1;
      }
      tb = slotB;
    }
    const h0 = th.w0[y]!;
    const h1 = th.w1[y]!;
    for (let c = 0; c < 3; c++) k.vrow(slotA + c * stride, tb + c * stride, h0, h1, size, dstAt + 4 * (c * plane + y * size), flag);
  }
  dst.set(new Float32Array(buf, dstAt, 3 * plane));
  kernels.release();
  return true;
}
