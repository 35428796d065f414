/**
 * Seeded random numbers for training, generated on the JS side so that every draw is the same on
 * every backend (tfjs's own seeded ops differ between backends and carry hidden state).
 *
 * Streams are counter-based: `Rng.stream(seed, purpose, step)` derives an independent generator
 * from (seed, purpose, step) by hashing, so a run resumed at step k draws exactly what the
 * uninterrupted run drew at step k — the "RNG state" a checkpoint needs is just the seed and the
 * step. The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 */
import { usageError } from '@gen-eval/metrics/errors';

/** splitmix32: a good 32-bit mixer, used to expand seeds and to hash stream keys. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a of a string, for turning a stream's purpose into a number. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  /** @param seed any integer (only its low 32 bits and the sign-free value matter). */
  constructor(seed: number, key = 0) {
    let x = splitmix32((seed >>> 0) ^ splitmix32(key >>> 0));
    x = splitmix32(x ^ Math.floor(seed / 2 ** 32));
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x);
    this.s2 = x = splitmix32(x);
    this.s3 = splitmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent generator for one purpose ('data', 'noise', 'eval', …) at one step. */
  static stream(seed: number, purpose: string, step = 0): Rng {
    return new Rng(seed, splitmix32(hashString(purpose) ^ splitmix32(step >>> 0)) ^ Math.floor(step / 2 ** 32));
  }

  /** Next raw 32-bit output (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw usageError(`int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * Standard normal (Marsaglia's polar method; the second value of each pair is kept). Its two
   * uniforms take 32 bits each — plenty for float32 noise, and half the generator calls of
   * 53-bit ones (noise draws are a sixth of a 2-D GAN step).
   */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    for (;;) {
      const u = (this.nextUint32() + 0.5) * TWO_NEG_31 - 1;
      const v = (this.nextUint32() + 0.5) * TWO_NEG_31 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /**
   * n standard normals as float32 (what the tensors take): the same stream as n calls of
   * `normal()`, with the generator's state held in locals (the hot path of every training step).
   */
  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    let i = 0;
    if (n > 0 && this.spare !== null) {
      out[i++] = this.spare;
      this.spare = null;
    }
    let { s0, s1, s2, s3 } = this;
    const next = () => {
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      return result;
    };
    while (i < n) {
      const u = (next() + 0.5) * TWO_NEG_31 - 1;
      const v = (next() + 0.5) * TWO_NEG_31 - 1;
      const q = u * u + v * v;
      if (!(q > 0 && q < 1)) continue;
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      out[i++] = u * f;
      if (i < n) out[i++] = v * f;
      else this.spare = v * f;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** n uniforms in [lo, hi) as float32. */
  uniforms(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** n integers in [0, k). */
  ints(n: number, k: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(k);
    return out;
  }
}

/** 2⁻³¹: maps a 32-bit integer k to (k + ½)·2⁻³¹ − 1 ∈ (−1, 1). */
const TWO_NEG_31 = 2 ** -31;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
