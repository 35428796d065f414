/**
 * `.npz` statistics files exactly as pytorch-fid's `--save-stats` writes them
 * (`np.savez_compressed(path, mu=mu, sigma=sigma)`): a zip of `mu.npy` (D) and `sigma.npy` (D×D).
 * We also store `num_samples` so that warnings about small samples survive a round trip; numpy
 * and pytorch-fid ignore the extra key.
 */
import { unzipSync, zipSync } from 'fflate';
import { inputError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { encodeNpy, parseNpy, type NpyArray } from './npy.js';
import { readInputFile } from './read-input-file.js';

/** Mean and covariance of a feature set. */
export interface GaussianStatsFile {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly dims: number;
  /** Number of samples the statistics came from, when the file records it. */
  readonly n?: number;
}

function toFloat64(data: unknown, file: string, key: string): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof Float32Array) return Float64Array.from(data);
  throw inputError(file, `"${key}" must be float32 or float64`);
}

/** Decodes a stats `.npz`, checking keys, shapes and finiteness. */
export function parseStatsNpz(bytes: Uint8Array, file: string): GaussianStatsFile {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw inputError(file, 'not a valid .npz file (cannot unzip)');
  }
  const get = (key: string) => entries[`${key}.npy`];
  const muBytes = get('mu');
  const sigmaBytes = get('sigma');
  const missing = [muBytes ? null : 'mu', sigmaBytes ? null : 'sigma'].filter((k) => k !== null);
  if (missing.length > 0) {
    const found = Object.keys(entries).map((k) => k.replace(/\.npy$/, '')).join(', ') || 'nothing';
    throw inputError(file, `missing key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(' and ')} (found: ${found}); expected a stats file with "mu" and "sigma"`);
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
  const sigmaData = toFloat64(sigma.data, file, 'sigma');
  for (const [key, arr] of [['mu', muData], ['sigma', sigmaData]] as const) {
    const bad = arr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw inputError(file, `"${key}" has a non-finite value at index ${bad}`);
  }
  let n: number | undefined;
  const nBytes = get('num_samples');
  if (nBytes) {
    const arr = parseNpy(nBytes, `${file}[num_samples]`);
    const v = arr.data[0];
    if (v !== undefined) n = Number(v);
  }
  return n === undefined ? { mu: muData, sigma: sigmaData, dims: d } : { mu: muData, sigma: sigmaData, dims: d, n };
}

/** Reads a stats `.npz` (pytorch-fid's format). */
export function readStatsNpz(path: string): GaussianStatsFile {
  const bytes = readInputFile(path, 'a .npz file');
  return parseStatsNpz(bytes, path);
}

/** Encodes stats as a compressed `.npz` that `np.load` and pytorch-fid read. */
export function encodeStatsNpz(stats: { mu: Float64Array; sigma: Float64Array; n?: number }): Uint8Array {
  const d = stats.mu.length;
  if (stats.sigma.length !== d * d) throw new RangeError(`encodeStatsNpz: sigma has ${stats.sigma.length} values, expected ${d}×${d}`);
  const files: Record<string, [Uint8Array, { level: 6 }]> = {
    'mu.npy': [encodeNpy(stats.mu, [d]), { level: 6 }],
    'sigma.npy': [encodeNpy(stats.sigma, [d, d]), { level: 6 }],
  };
  if (stats.n !== undefined) files['num_samples.npy'] = [encodeNpy(BigInt64Array.of(BigInt(stats.n)), []), { level: 6 }];
  return zipSync(files);
}

/** Writes a stats `.npz` atomically. */
export function writeStatsNpz(path: string, stats: { mu: Float64Array; sigma: Float64Array; n?: number }): void {
  writeFileAtomic(path, encodeStatsNpz(stats));
}

/** One named array of an `.npz` archive. */
export interface NpzEntry {
  readonly data: Float32Array | Float64Array | BigInt64Array;
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
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw inputError(file, 'not a valid .npz file (cannot unzip)');
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, b] of Object.entries(entries)) {
    if (!name.endsWith('.npy')) throw inputError(file, `not a valid .npz file (member "${name}" is not a .npy array)`);
    const key = name.slice(0, -4);
    out[key] = parseNpy(b, `${file}[${key}]`);
  }
  return out;
}
