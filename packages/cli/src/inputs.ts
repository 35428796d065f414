/**
 * Loading command inputs by file extension: `.npy` feature matrices (N×D) or `.npz` statistics
 * (pytorch-fid's format: mu, sigma). Every problem is a one-line error naming the file (exit 2).
 */
import { extname } from 'node:path';
import { inputError, readFeatureMatrix, readStatsNpz, type GaussianStatsFile, type Matrix } from '@gen-eval/metrics';

export type InputKind = 'features' | 'stats';

/** A loaded input: features, or statistics (n = null when the file does not record it). */
export type LoadedInput =
  | { readonly kind: 'features'; readonly path: string; readonly features: Matrix; readonly dims: number; readonly n: number }
  | { readonly kind: 'stats'; readonly path: string; readonly stats: GaussianStatsFile; readonly dims: number; readonly n: number | null };

export interface LoadInputOptions {
  /** Kinds the command accepts (default both). */
  accept?: readonly InputKind[];
  /** Fewest feature rows (default 2: a covariance needs two). */
  minRows?: number;
}

const DESCRIBE: Record<InputKind, string> = {
  features: '.npy features (N×D)',
  stats: '.npz statistics (mu, sigma)',
};

/** The kind a path names by its extension, or null. */
export function inputKind(path: string): InputKind | null {
  const ext = extname(path).toLowerCase();
  return ext === '.npy' ? 'features' : ext === '.npz' ? 'stats' : null;
}

/** Reads `path` as features or statistics, chosen by extension. */
export function loadInput(path: string, opts: LoadInputOptions = {}): LoadedInput {
  const accept = opts.accept ?? ['features', 'stats'];
  const kind = inputKind(path);
  if (kind === null || !accept.includes(kind)) {
    const ext = extname(path) || 'no extension';
    throw inputError(path, `unsupported input (${ext}): expected ${accept.map((k) => DESCRIBE[k]).join(' or ')}`);
  }
  if (kind === 'features') {
    const features = readFeatureMatrix(path, { minRows: opts.minRows ?? 2 });
    return { kind, path, features, dims: features.cols, n: features.rows };
  }
  const stats = readStatsNpz(path);
  if (stats.n !== undefined && !(Number.isInteger(stats.n) && stats.n >= 2)) {
    throw inputError(path, `"num_samples" must be an integer ≥ 2, found ${stats.n}`);
  }
  return { kind, path, stats, dims: stats.dims, n: stats.n ?? null };
}

/** Fails naming the second file when two inputs have different feature dimensions. */
export function checkSameDims(a: LoadedInput, b: LoadedInput): void {
  if (a.dims !== b.dims) throw inputError(b.path, `has ${b.dims} feature dims but ${a.path} has ${a.dims}`);
}
