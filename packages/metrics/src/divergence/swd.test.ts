import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { RandomState } from '../random.js';
import { laplacianLevel, pyrDown, pyrUp } from './laplacian-pyramid.js';
import { swdPyramid, type ImageSet } from './swd.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));

function uniformImages(seed: number, n: number, c: number, h: number, w: number, map: (v: number) => number): Float64Array {
  const rs = new RandomState(seed);
  return Float64Array.from({ length: n * c * h * w }, () => map(rs.random()));
}

/** scipy.ndimage.uniform_filter(size 3, mode "reflect") over the last two axes of one channel. */
function boxFilterChannel(data: Float64Array, n: number, c: number, ch: number, h: number, w: number): void {
  const refl = (i: number, len: number) => (i < 0 ? -i - 1 : i >= len ? 2 * len - i - 1 : i);
  for (let img = 0; img < n; img++) {
    const base = (img * c + ch) * h * w;
    const src = data.slice(base, base + h * w);
    const tmp = new Float64Array(h * w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) tmp[y * w + x] = (src[y * w + refl(x - 1, w)]! + src[y * w + x]! + src[y * w + refl(x + 1, w)]!) / 3;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[base + y * w + x] = (tmp[refl(y - 1, h) * w + x]! + tmp[y * w + x]! + tmp[refl(y + 1, h) * w + x]!) / 3;
  }
}

describe('swdPyramid (Progressive GAN SWD protocol)', () => {
  it('matches the numpy/scipy reference (scipy.ndimage pyramids, same RandomState order)', async () => {
    const g = golden.swd;
    const a: ImageSet = { count: 6, channels: 3, height: 32, width: 32, data: uniformImages(61, 6, 3, 32, 32, (v) => v * 255) };
    const bData = uniformImages(62, 5, 3, 32, 32, (v) => v ** 2 * 255);
    boxFilterChannel(bData, 5, 3, 1, 32, 32);
    const b: ImageSet = { count: 5, channels: 3, height: 32, width: 32, data: bData };
    const r = await swdPyramid(a, b, { seed: g.seed, patchesPerImage: g.patches_per_image, dirRepeats: g.dir_repeats, dirsPerRepeat: g.dirs_per_repeat });
    expect(r.levels.map((l) => l.resolution)).toEqual([32, 16]);
    r.levels.forEach((l, i) => rel(l.value, g.levels[i]!, 1e-8));
    rel(r.average, (g.levels[0]! + g.levels[1]!) / 2, 1e-8);
    expect(r.directions).toBe(16);
  });

  it('a set scores lower against itself (fresh patches) than against smoothed images; pixel scale changes nothing', async () => {
    const a: ImageSet = { count: 8, channels: 1, height: 16, width: 16, data: uniformImages(1, 8, 1, 16, 16, (v) => v) };
    const smooth = uniformImages(2, 8, 1, 16, 16, (v) => v);
    boxFilterChannel(smooth, 8, 1, 0, 16, 16);
    const b: ImageSet = { ...a, data: smooth };
    const o = { patchesPerImage: 128, dirRepeats: 2, dirsPerRepeat: 16 };
    const self = await swdPyramid(a, a, o);
    const other = await swdPyramid(a, b, o);
    // Patches are drawn independently for both sides, so a set against itself is small, not 0.
    expect(self.average).toBeGreaterThan(0);
    expect(self.average).toBeLessThan(other.average / 2);
    const scaled: ImageSet = { ...b, data: smooth.map((v) => v * 255 + 3) };
    rel((await swdPyramid(a, scaled, o)).average, other.average, 1e-9);
  });

  it('pyramid levels reconstruct the image: G₀ = L₀ + up(G₁)', () => {
    const img = uniformImages(9, 1, 1, 16, 16, (v) => v);
    const l0 = laplacianLevel(img, 16, 16, 0, 2);
    const g1 = laplacianLevel(img, 16, 16, 1, 2);
    const up = pyrUp(g1, 8, 8);
    img.forEach((v, i) => expect(l0[i]! + up[i]!).toBeCloseTo(v, 12));
    // A constant plane stays constant through pyrDown and pyrUp (the kernel sums to 1, ×4 on zero-inserted grids).
    const flat = new Float64Array(64).fill(2);
    expect(Array.from(pyrDown(flat, 8, 8)).every((v) => Math.abs(v - 2) < 1e-15)).toBe(true);
    expect(Array.from(pyrUp(new Float64Array(16).fill(2), 4, 4)).every((v) => Math.abs(v - 2) < 1e-15)).toBe(true);
  });

  it('rejects mismatched image shapes, empty sets and sizes that do not halve evenly', async () => {
    const names = ['a.npy', 'b.npy'] as const;
    const a: ImageSet = { count: 1, channels: 1, height: 16, width: 16, data: new Float64Array(256) };
    await expect(swdPyramid(a, { ...a, channels: 3, data: new Float64Array(768) }, { names })).rejects.toThrow(/^b\.npy: has images of 3×16×16 but a\.npy has 1×16×16$/);
    await expect(swdPyramid({ ...a, count: 0, data: new Float64Array(0) }, a, { names })).rejects.toThrow(/^a\.npy: is empty/);
    const odd: ImageSet = { count: 1, channels: 1, height: 35, width: 35, data: new Float64Array(35 * 35) };
    await expect(swdPyramid(odd, odd, { names })).rejects.toThrow(/do not halve evenly/);
  });
});
