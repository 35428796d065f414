/**
 * Laplacian pyramids of image planes, as Progressive GAN's SWD code builds them (which matches
 * OpenCV's pyrDown/pyrUp): a 5×5 binomial filter [1 4 6 4 1]ᵀ[1 4 6 4 1]/256 with "mirror"
 * boundaries (reflection about the edge pixel, scipy.ndimage mode="mirror"), downsampling keeps
 * even rows and columns, upsampling inserts zeros and filters with 4× the kernel.
 * Level i < L−1 is G_i − up(G_{i+1}); the last level is the Gaussian level G_{L−1}.
 */

const TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16] as const;

/** scipy's "mirror" index: reflect about the first and last sample without repeating them. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  let k = i;
  while (k < 0 || k >= n) k = k < 0 ? -k : 2 * (n - 1) - k;
  return k;
}

/** Separable 5-tap filtering of an h×w plane (mirror boundaries), scaled by `gain`. */
function blur(src: Float64Array, h: number, w: number, gain: number): Float64Array {
  const tmp = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < 5; t++) s += TAPS[t]! * src[y * w + mirror(x + t - 2, w)]!;
      tmp[y * w + x] = s;
    }
  }
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < 5; t++) s += TAPS[t]! * tmp[mirror(y + t - 2, h) * w + x]!;
      out[y * w + x] = gain * s;
    }
  }
  return out;
}

/** pyrDown: blur, then keep even rows and columns → ⌈h/2⌉ × ⌈w/2⌉. */
export function pyrDown(src: Float64Array, h: number, w: number): Float64Array {
  const b = blur(src, h, w, 1);
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  const out = new Float64Array(h2 * w2);
  for (let y = 0; y < h2; y++) for (let x = 0; x < w2; x++) out[y * w2 + x] = b[2 * y * w + 2 * x]!;
  return out;
}

/** pyrUp: zero-insert to 2h × 2w, then blur with gain 4. */
export function pyrUp(src: Float64Array, h: number, w: number): Float64Array {
  const W = 2 * w;
  const up = new Float64Array(4 * h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) up[2 * y * W + 2 * x] = src[y * w + x]!;
  return blur(up, 2 * h, W, 4);
}

/**
 * Level `level` of the Laplacian pyramid with `levels` levels of one h×w plane; its size is
 * (h / 2^level) × (w / 2^level) (h and w divisible by 2^(levels−1)).
 */
export function laplacianLevel(plane: Float64Array, h: number, w: number, level: number, levels: number): Float64Array {
  let g = plane;
  let gh = h;
  let gw = w;
  for (let i = 0; i < level; i++) {
    g = pyrDown(g, gh, gw);
    gh /= 2;
    gw /= 2;
  }
  if (level === levels - 1) return g;
  const up = pyrUp(pyrDown(g, gh, gw), gh / 2, gw / 2);
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i]! - up[i]!;
  return out;
}
