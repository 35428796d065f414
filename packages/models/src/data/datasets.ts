/**
 * The training sets. The 2-D ring and grid mixtures are the ones the mode diagnostics of
 * @gen-eval/metrics score against (one table, its `MIXTURE_DATASETS`, which the report reads
 * too); samples are drawn on the fly from the run's seeded Rng, so no data set ever needs a
 * download. The image
 * sets (MNIST, Fashion-MNIST, Stacked MNIST, image folders) are in images.ts, the paired ones
 * (edges2fashion, edges2shoes, edges2digits, super-resolution and folder pairs) in paired.ts, the
 * captioned ones (captioned-mnist, captioned-fashion) in captioned.ts.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertFinite, MIXTURE_DATASETS, parseNpy, readInputFile, type Mixture2d } from '@gen-eval/metrics';
import type { DataRecord, DatasetOptions } from '@gen-eval/metrics/runs';
import { inputError } from '@gen-eval/metrics/errors';
import type { Dataset } from './dataset.js';
import { IMAGE_DATASETS, imageFolderDataset } from './images.js';
import { PAIRED_DATASETS } from './paired.js';
import { REGISTERED_CAPTIONED_DATASETS } from './captioned.js';

export type { DataRecord, DatasetOptions } from '@gen-eval/metrics/runs';
export type { Dataset } from './dataset.js';
export { RING_EASY } from '@gen-eval/metrics';

function mixtureDataset(name: string, description: string, mixture: Mixture2d): Dataset {
  const K = mixture.centres.rows;
  const c = mixture.centres.data;
  return {
    name,
    description,
    dims: 2,
    mixture,
    classes: K,
    record: { name },
    sample(n, rng) {
      const x = new Float32Array(2 * n);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const m = rng.int(K);
        labels[i] = m;
        x[2 * i] = c[2 * m]! + mixture.sigma * rng.normal();
        x[2 * i + 1] = c[2 * m + 1]! + mixture.sigma * rng.normal();
      }
      return { n, dims: 2, x, labels };
    },
  };
}

/** Spiral: θ = 4π√u, radius θ/2π (0…2), plus N(0, 0.05²) noise on each axis. No modes. */
function spiralDataset(): Dataset {
  const sigma = 0.05;
  return {
    name: 'spiral',
    description: 'two-turn spiral of radius 0…2, noise σ 0.05 (no modes: scored by sliced W and MMD)',
    dims: 2,
    record: { name: 'spiral' },
    sample(n, rng) {
      const x = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const t = 4 * Math.PI * Math.sqrt(rng.uniform());
        const r = t / (2 * Math.PI);
        x[2 * i] = r * Math.cos(t) + sigma * rng.normal();
        x[2 * i + 1] = r * Math.sin(t) + sigma * rng.normal();
      }
      return { n, dims: 2, x };
    },
  };
}

const BUILTIN: Record<string, (opts: DatasetOptions) => Dataset> = {
  ...Object.fromEntries(Object.entries(MIXTURE_DATASETS).map(([name, d]) => [name, () => mixtureDataset(name, d.description, d.mixture())])),
  spiral: spiralDataset,
  ...Object.fromEntries(Object.entries(IMAGE_DATASETS).map(([name, d]) => [name, (opts: DatasetOptions) => d.make(opts)])),
  ...Object.fromEntries(Object.entries(PAIRED_DATASETS).map(([name, d]) => [name, (opts: DatasetOptions) => d.make(opts)])),
  ...Object.fromEntries(Object.entries(REGISTERED_CAPTIONED_DATASETS).map(([name, d]) => [name, (opts: DatasetOptions) => d.make(opts)])),
};

/** Names of the built-in image data sets (paired and captioned ones included), in listing order. */
export const IMAGE_DATASET_NAMES: readonly string[] = [...Object.keys(IMAGE_DATASETS), ...Object.keys(PAIRED_DATASETS), ...Object.keys(REGISTERED_CAPTIONED_DATASETS)];

/** Names of the built-in data sets, in listing order. */
export const DATASET_NAMES: readonly string[] = Object.keys(BUILTIN);

/** Description of every built-in data set (for `train --list`). */
export function listDatasets(): { name: string; description: string }[] {
  return DATASET_NAMES.map((name) => ({
    name,
    description: (IMAGE_DATASETS[name] ?? PAIRED_DATASETS[name] ?? REGISTERED_CAPTIONED_DATASETS[name])?.description ?? BUILTIN[name]!({}).description,
  }));
}

/** 2-D points read from a .npy file: float32, row-major, checked to be N×2 and finite. */
export interface PointsFile {
  readonly data: Float32Array;
  readonly rows: number;
  /** The file's bytes (for hashing). */
  readonly bytes: Uint8Array;
}

/** Reads an N×2 .npy of points (a training set, or points to translate); bad files are one-line errors. */
export function readPoints(path: string): PointsFile {
  const bytes = readInputFile(path, 'a .npy file');
  const arr = parseNpy(bytes, path);
  if (arr.shape.length !== 2 || arr.shape[1] !== 2) {
    throw inputError(path, `expected an N×2 array of points, got shape (${arr.shape.join(', ')})`);
  }
  const data = Float32Array.from(arr.data as ArrayLike<number>, Number);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw inputError(path, `row ${Math.floor(i / 2)} is not finite (${arr.data[i]})`);
  }
  // The metric commands' one rule for magnitudes (|x| ≤ 1e20): the evaluation's distances would overflow.
  assertFinite({ data, rows: arr.shape[0]!, cols: 2 }, path, 'points');
  return { data, rows: arr.shape[0]!, bytes };
}

/** The chance that two points drawn with replacement from the rows of `data` (N × 2) are equal: Σ pᵢ² over distinct points. */
function coincidingPairShare(data: Float32Array): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < data.length; i += 2) {
    const key = `${data[i]},${data[i + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const n = data.length / 2;
  let share = 0;
  for (const c of counts.values()) share += (c / n) ** 2;
  return share;
}

/** Samples of a user's .npy file (N × 2 float array), drawn uniformly with replacement. */
export function fileDataset(path: string): Dataset {
  const { data, rows, bytes } = readPoints(path);
  if (rows < 2) throw inputError(path, `needs at least 2 points, got ${rows}`);
  if (data.every((v, i) => v === data[i % 2]))
    throw inputError(
      path,
      `has zero spread: all ${rows} points are (${data[0]}, ${data[1]}); a model cannot be trained or scored on one point (MMD's bandwidth, their median distance, would be 0)`,
    );
  const coincide = coincidingPairShare(data);
  if (coincide > 0.5)
    throw inputError(
      path,
      `has too little spread: ${(100 * coincide).toFixed(0)} % of pairs of points drawn from it coincide, so their median distance (MMD's bandwidth) would be 0`,
    );
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    name: path,
    description: `${rows} points from ${path}`,
    dims: 2,
    sha256,
    record: { name: path, sha256 },
    sample(n, rng) {
      const x = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const r = rng.int(rows);
        x[2 * i] = data[2 * r]!;
        x[2 * i + 1] = data[2 * r + 1]!;
      }
      return { n, dims: 2, x };
    },
  };
}

/**
 * What a run's config records of `d`: its `record`, or `{ name, sha256 }` for a data set without one.
 * Files and folders (a .npy, an image folder, fashion-mnist's `dataDir`) are recorded by absolute
 * path, so that the run resumes and samples from any working folder.
 */
export function dataRecord(d: Dataset): DataRecord {
  const r = d.record ?? { name: d.name, ...(d.sha256 ? { sha256: d.sha256 } : {}) };
  return {
    ...r,
    name: dataPath(r.name),
    ...(r.dataDir !== undefined ? { dataDir: resolve(r.dataDir) } : {}),
    ...(r.targets ? { targets: { ...r.targets, name: resolve(r.targets.name) } } : {}),
  };
}

/** A `data` value as a run records it: a built-in name as it is, a file or folder as an absolute path. */
export function dataPath(name: string): string {
  return BUILTIN[name] ? name : resolve(name);
}

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * A built-in data set by name, or a .npy file; unknown names list the valid ones. Image folders
 * are decoded asynchronously: use {@link loadDataset} for them.
 */
export function resolveDataset(name: string, opts: DatasetOptions = {}): Dataset {
  const make = BUILTIN[name];
  if (make) return make(opts);
  if (name.endsWith('.npy')) return fileDataset(name);
  if (isFolder(name)) throw inputError(name, 'is an image folder: it loads asynchronously (loadDataset)');
  throw inputError(name, `unknown data set; expected one of ${DATASET_NAMES.join(', ')}, a .npy file (N×2) or a folder of images`);
}

/** Like {@link resolveDataset}, and a folder of images (PNG, JPEG, …; see imageFolderDataset). */
export async function loadDataset(name: string, opts: DatasetOptions = {}): Promise<Dataset> {
  if (!BUILTIN[name] && !name.endsWith('.npy') && isFolder(name)) return imageFolderDataset(name, opts);
  return resolveDataset(name, opts);
}
