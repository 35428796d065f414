/**
 * The automatic feature cache. An entry holds the features (and logits, when computed) of one
 * input folder for one extractor configuration, keyed by a hash of everything that changes the
 * numbers: each file's relative path, size and modification time, the extractor's name, the
 * weights' hash, the preprocessing profile and the outputs. A changed folder gets a new key, so it
 * never hits a stale entry; an entry that fails to load is deleted and recomputed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../matrix.js';
import { NpyRowWriter } from '../io/npy-writer.js';
import { readNpy } from '../io/npy.js';

/** Everything a cached result depends on. */
export interface FeatureCacheKeyInput {
  readonly files: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  readonly extractor: string;
  readonly weightsSha256?: string;
  readonly profile: string;
  /** e.g. ['pool3'] or ['pool3', 'logits']. */
  readonly outputs: readonly string[];
}

/** Hex SHA-256 of the canonical key (format version included so layout changes invalidate). */
export function featureCacheKey(k: FeatureCacheKeyInput): string {
  const canonical = JSON.stringify({
    v: 1,
    extractor: k.extractor,
    weights: k.weightsSha256 ?? null,
    profile: k.profile,
    outputs: [...k.outputs].sort(),
    files: k.files.map((f) => [f.path, f.size, Math.round(f.mtimeMs)]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CachedFeatures {
  readonly features: Matrix;
  readonly logits?: Matrix;
  readonly meta: Readonly<Record<string, unknown>>;
}

function entryDir(cacheRoot: string, key: string): string {
  return join(cacheRoot, 'features', key);
}

/** Loads an entry, or returns undefined (deleting it) when it is missing or unreadable. */
export function loadCachedFeatures(cacheRoot: string, key: string): CachedFeatures | undefined {
  const dir = entryDir(cacheRoot, key);
  if (!existsSync(dir)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    const load = (name: string): Matrix => {
      const a = readNpy(join(dir, name));
      if (a.dtype !== '<f4' || a.shape.length !== 2 || a.shape[0] !== meta.n) throw new Error(`${name} does not match meta.json`);
      return { rows: a.shape[0]!, cols: a.shape[1]!, data: a.data as Float32Array };
    };
    const features = load('features.npy');
    if (meta.hasLogits) return { features, logits: load('logits.npy'), meta };
    return { features, meta };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/**
 * Streams a new entry into a temporary folder; `commit` renames it into place, so readers only
 * ever see complete entries.
 */
export class FeatureCacheWriter {
  private readonly tmp: string;
  private readonly features: NpyRowWriter;
  private readonly logits: NpyRowWriter | undefined;

  constructor(private readonly cacheRoot: string, private readonly key: string, featureDims: number, logitDims?: number) {
    this.tmp = join(cacheRoot, 'features', `.tmp-${key.slice(0, 16)}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.tmp, { recursive: true });
    this.features = new NpyRowWriter(join(this.tmp, 'features.npy'), featureDims);
    this.logits = logitDims ? new NpyRowWriter(join(this.tmp, 'logits.npy'), logitDims) : undefined;
  }

  append(features: Float32Array, logits?: Float32Array): void {
    this.features.append(features);
    if (this.logits) {
      if (!logits) throw new Error('FeatureCacheWriter: logits expected');
      this.logits.append(logits);
    }
  }

  /** Publishes the entry with its metadata (extractor, profile …) and any extra files (e.g. stats.npz). */
  commit(meta: Record<string, unknown>, extraFiles: Readonly<Record<string, Uint8Array>> = {}): void {
    this.features.close();
    this.logits?.close();
    for (const [name, bytes] of Object.entries(extraFiles)) writeFileSync(join(this.tmp, name), bytes);
    writeFileSync(join(this.tmp, 'meta.json'), JSON.stringify({ ...meta, n: this.features.rows, hasLogits: this.logits !== undefined }));
    const dest = entryDir(this.cacheRoot, this.key);
    rmSync(dest, { recursive: true, force: true });
    try {
      renameSync(this.tmp, dest);
    } catch (err) {
      rmSync(this.tmp, { recursive: true, force: true });
      throw err;
    }
  }

  abort(): void {
    this.features.abort();
    this.logits?.abort();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
