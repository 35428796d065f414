/**
 * A seeded random source that reproduces NumPy's legacy `np.random.RandomState(seed)` stream
 * (MT19937, the same integer-seeding, doubles, bounded integers, permutation, choice without
 * replacement and Gaussian draws). torch-fidelity draws KID subsets and IS shuffles from
 * RandomState, so with the same seed our subsets are the same rows as theirs.
 */
import { unsupportedError, usageError } from './errors.js';

const N = 624;
const M = 397;

/** numpy's legacy `RandomState` (MT19937): the same integers, uniforms, normals and permutations for a seed. */
export class RandomState {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;
  private hasGauss = false;
  private gauss = 0;

  /** @param seed an integer in [0, 2³²), as numpy requires. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw usageError(`seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** Next raw 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits (`random_sample`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, max] by masked rejection, as numpy's legacy `random_interval`. */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw unsupportedError('interval: max above 2**32 - 1 is not supported');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** In-place Fisher–Yates shuffle, numpy's legacy order (i from n−1 down to 1). */
  shuffle<T extends { length: number; [i: number]: number }>(arr: T): T {
    for (let i = arr.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }

  /** A random permutation of 0..n−1 (`RandomState.permutation(n)`). */
  permutation(n: number): Uint32Array {
    const arr = new Uint32Array(n);
    for (let i = 0; i < n; i++) arr[i] = i;
    return this.shuffle(arr);
  }

  /** `size` distinct indices from 0..n−1 (`RandomState.choice(n, size, replace=False)`). */
  choiceWithoutReplacement(n: number, size: number): Uint32Array {
    if (size > n) throw usageError(`cannot take ${size} samples without replacement from ${n}`);
    return this.permutation(n).subarray(0, size);
  }

  /** Standard normal draw (legacy polar Box–Muller with a cached second value, `standard_normal`). */
  normal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** Fills a new Float64Array with standard normal draws. */
  normals(count: number): Float64Array {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = this.normal();
    return out;
  }
}
