/**
 * `.npz` statistics files exactly as pytorch-fid's `--save-stats` writes them
 * (`np.savez_compressed(path, mu=mu, sigma=sigma)`): a zip of `mu.npy` (D) and `sigma.npy` (D×D).
 * We also store `num_samples` so that warnings about small samples survive a round trip; numpy
 * and pytorch-fid ignore the extra key.
 */
import { zipSync } from 'fflate';
import { badInputError, inputError } from '../errors.js';
import { cholesky, isCholeskyFailure } from '../linalg/cholesky.js';
import { writeFileAtomic } from './atomic-write.js';
import { encodeNpy, parseNpy, type NpyArray } from './npy.js';
import { readInputFile } from './read-input-file.js';
import { unzipNpz } from './unzip.js';

/** Mean and covariance of a feature set. */
export interface GaussianStatsFile {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly dims: number;
  /** Number of samples the statistics came from, when the file records it. */
  readonly n?: number;
  /** Relative rounding tolerance of the file's sigma dtype ({@link SIGMA_TOLERANCE}); set by {@link parseStatsNpz}. */
  readonly sigmaTolerance?: number;
}

/**
 * How far a stored sigma may be from a covariance (symmetric, positive semi-definite) and still
 * count as one up to rounding, relative to its size:
 * - symmetry: max |Σij − Σji| ≤ tol · max |Σ|;
 * - definiteness: Σ + tol · tr(Σ) · I must have a Cholesky factor, i.e. λ_min(Σ) ≳ −tol · tr Σ
 *   (tr Σ ≥ λ_max for a PSD matrix, so this is a tolerance relative to the largest eigenvalue).
 * float32 files: each entry carries a rounding error of up to 2⁻²⁴ ≈ 6e-8 relative, so a
 * mirrored pair may differ by a few ulps and the perturbation E has ‖E‖₂ ≤ ‖E‖_F ≤ 6e-8·‖Σ‖_F ≤
 * 6e-8·tr Σ: 1e-5 leaves a margin of > 100. float64 files (np.cov, ours): entry errors of
 * ~n·2⁻⁵³ relative even for n = 10⁵ samples are ~1e-11: 1e-9 leaves a margin of 100. Anything
 * beyond is not rounding (e.g. a transposed or half-filled matrix, or a hand-edited sigma).
 */
export const SIGMA_TOLERANCE = { float32: 1e-5, float64: 1e-9 } as const;

function toFloat64(data: unknown, file: string, key: string): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof Float32Array) return Float64Array.from(data);
  throw inputError(file, `"${key}" must be float32 or float64`);
}

/** Decodes a stats `.npz`, checking keys, shapes and finiteness. */
export function parseStatsNpz(bytes: Uint8Array, file: string): GaussianStatsFile {
  const entries = unzipNpz(bytes, file);
  const get = (key: string) => entries[`${key}.npy`];
  const muBytes = get('mu');
  const sigmaBytes = get('sigma');
  const missing = [muBytes ? null : 'mu', sigmaBytes ? null : 'sigma'].filter((k) => k !== null);
  if (missing.length > 0) {
    const found =
      Object.keys(entries)
        .map((k) => k.replace(/\.npy$/, ''))
        .join(', ') || 'nothing';
    throw inputError(
      file,
      `missing key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(' and ')} (found: ${found}); expected a stats file with "mu" and "sigma"`,
    );
  }
  const mu = parseNpy(muBytes!, `${file}[mu]`);
  const sigma = parseNpy(sigmaBytes!, `${file}[sigma]`);
  if (mu.shape.length !== 1) throw inputError(file, `"mu" must be 1-D, found shape (${mu.shape.join(', ')})`);
  const d = mu.shape[0]!;
  if (sigma.shape.length !== 2 || sigma.shape[0] !== sigma.shape[1]) {
    throw inputError(file, `"sigma" must be a square matrix, found shape (${sigma.shape.join(', ')})`);
  }
  if (sigma.shape[0] !== d) throw inputError(file, `"sigma" is ${sigma.shape[0]}×${sigma.shape[1]} but "mu" has ${d} dims`);
  const muData = toFloat64(mu.data, file, 'mu');
  const sigmaTolerance = sigma.data instanceof Float32Array ? SIGMA_TOLERANCE.float32 : SIGMA_TOLERANCE.float64;
  // A copy: symmetrised below (the input array may be the float32 file's buffer or shared).
  const sigmaData = Float64Array.from(toFloat64(sigma.data, file, 'sigma'));
  for (const [key, arr] of [
    ['mu', muData],
    ['sigma', sigmaData],
  ] as const) {
    const bad = arr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw inputError(file, `"${key}" has a non-finite value at index ${bad}`);
  }
  symmetrizeChecked(sigmaData, d, file, sigmaTolerance);
  let n: number | undefined;
  const nBytes = get('num_samples');
  if (nBytes) {
    const arr = parseNpy(nBytes, `${file}[num_samples]`);
    const v = arr.data[0];
    if (v !== undefined) n = Number(v);
  }
  return n === undefined ? { mu: muData, sigma: sigmaData, dims: d, sigmaTolerance } : { mu: muData, sigma: sigmaData, dims: d, n, sigmaTolerance };
}

/**
 * Rejects a sigma that is not symmetric within `tol`·max|Σ| (naming the worst pair), and
 * replaces a rounding-level asymmetric one by (Σ + Σᵀ)/2 in place, so that no triangle is ignored.
 */
function symmetrizeChecked(sigma: Float64Array, d: number, file: string, tol: number): void {
  let size = 0;
  for (const v of sigma) size = Math.max(size, Math.abs(v));
  let worst = 0;
  let at: [number, number] = [0, 0];
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const diff = Math.abs(sigma[i * d + j]! - sigma[j * d + i]!);
      if (diff > worst) [worst, at] = [diff, [i, j]];
    }
  }
  if (worst > tol * size) {
    throw inputError(file, `"sigma" is not symmetric (max |Σij − Σji| = ${worst} at (${at[0]}, ${at[1]}), above the rounding tolerance ${tol}·max|Σ| = ${tol * size})`);
  }
  if (worst === 0) return;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const m = 0.5 * (sigma[i * d + j]! + sigma[j * d + i]!);
      sigma[i * d + j] = m;
      sigma[j * d + i] = m;
    }
  }
}

/**
 * Rejects a symmetric sigma with a clearly negative eigenvalue: Cholesky of Σ + τ·I with
 * τ = `tol`·tr Σ must succeed ({@link SIGMA_TOLERANCE}; PSD Σ gives pivots ≥ τ, far above the
 * factorisation's own rounding, d·2⁻⁵²·λ_max). A zero Σ (constant features) is valid; a non-zero
 * Σ with tr Σ ≤ 0 is not. One float64 Cholesky: ~0.3 s at d = 2048 (measured on 2 busy cores).
 */
export async function assertCovariancePsd(sigma: Float64Array, d: number, file: string, tol: number = SIGMA_TOLERANCE.float64): Promise<void> {
  let tr = 0;
  let size = 0;
  for (let i = 0; i < d; i++) tr += sigma[i * d + i]!;
  for (let k = 0; k < d * d; k++) size = Math.max(size, Math.abs(sigma[k]!));
  if (size === 0) return;
  const tau = tol * tr;
  const fail = (detail: string) => inputError(file, `"sigma" is not positive semi-definite (${detail}; a covariance has no eigenvalue below −${tol}·tr Σ)`);
  if (!(tau > 0)) throw fail(`its trace is ${tr}`);
  const shifted = Float64Array.from(sigma.subarray(0, d * d));
  for (let i = 0; i < d; i++) shifted[i * d + i]! += tau;
  const L = await cholesky(shifted, d);
  if (isCholeskyFailure(L)) throw fail(`Cholesky of Σ + ${tau}·I fails at column ${L.failedAt}`);
}

/** Reads a stats `.npz` (pytorch-fid's format). */
export function readStatsNpz(path: string): GaussianStatsFile {
  const bytes = readInputFile(path, 'a .npz file');
  return parseStatsNpz(bytes, path);
}

/**
 * Encodes stats as an `.npz` that `np.load` and pytorch-fid read. Stored, not deflated, by default
 * (`np.savez`'s layout rather than `np.savez_compressed`'s): deflate shrinks a float64 covariance
 * by only ~25 % and took ~2 s at d = 2048 (bench/fixed-cost.mjs), most of a warm `stats` run.
 */
export function encodeStatsNpz(stats: { mu: Float64Array; sigma: Float64Array; n?: number }, opts: { level?: 0 | 1 | 6 | 9 } = {}): Uint8Array {
  const d = stats.mu.length;
  if (stats.sigma.length !== d * d) throw badInputError(`encodeStatsNpz: sigma has ${stats.sigma.length} values, expected ${d}×${d}`);
  const level = { level: opts.level ?? 0 };
  const files: Record<string, [Uint8Array, { level: 0 | 1 | 6 | 9 }]> = {
    'mu.npy': [encodeNpy(stats.mu, [d]), level],
    'sigma.npy': [encodeNpy(stats.sigma, [d, d]), level],
  };
  if (stats.n !== undefined) files['num_samples.npy'] = [encodeNpy(BigInt64Array.of(BigInt(stats.n)), []), level];
  return zipSync(files);
}

/** Writes a stats `.npz` atomically. */
export function writeStatsNpz(path: string, stats: { mu: Float64Array; sigma: Float64Array; n?: number }): void {
  writeFileAtomic(path, encodeStatsNpz(stats));
}

/** One named array of an `.npz` archive. */
export interface NpzEntry {
  readonly data: Float32Array | Float64Array | BigInt64Array | Uint8Array;
  readonly shape: readonly number[];
}

/** Encodes named arrays as an `.npz` (`np.savez_compressed` layout: one `<name>.npy` per array). */
export function encodeNpz(entries: Readonly<Record<string, NpzEntry>>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 6 }]> = {};
  for (const [name, e] of Object.entries(entries)) files[`${name}.npy`] = [encodeNpy(e.data, e.shape), { level: 6 }];
  return zipSync(files);
}

/** Decodes every array of an `.npz` archive by name (without the `.npy` suffix). */
export function parseNpz(bytes: Uint8Array, file: string): Record<string, NpyArray> {
  const entries = unzipNpz(bytes, file);
  const out: Record<string, NpyArray> = {};
  for (const [name, b] of Object.entries(entries)) {
    if (!name.endsWith('.npy')) throw inputError(file, `not a valid .npz file (member "${name}" is not a .npy array)`);
    const key = name.slice(0, -4);
    out[key] = parseNpy(b, `${file}[${key}]`);
  }
  return out;
}
