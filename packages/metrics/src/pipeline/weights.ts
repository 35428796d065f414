/**
 * Locating pytorch-fid's Inception weights: `--weights PATH` (no network), else the cache, else a
 * download from pytorch-fid's release (torch-fidelity's copy of the same file as a fallback),
 * verified by the SHA-256 prefix that the file name carries.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GenEvalError, inputError } from '../errors.js';
import { cacheDir } from './cache-dir.js';
import { downloadFile } from './download.js';
import type { ProgressListener } from './progress.js';

/** pytorch-fid's FID Inception weights (legacy torch serialization). */
export const PYTORCH_FID_WEIGHTS = {
  fileName: 'pt_inception-2015-12-05-6726825d.pth',
  sha256Prefix: '6726825d',
  urls: [
    'https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth',
    'https://github.com/toshas/torch-fidelity/releases/download/v0.2.0/weights-inception-2015-12-05-6726825d.pth',
  ],
} as const;

/** SHA-256 of a file, streamed (4 MiB reads: the default 64 KiB took 1.5× as long on 95 MB). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The Inception weights file to use, its SHA-256, whether it is the official one, and warnings. */
export interface ResolvedWeights {
  readonly path: string;
  readonly sha256: string;
  /** True when the file is pytorch-fid's own (its numbers are comparable to published FIDs). */
  readonly official: boolean;
  readonly warnings: readonly string[];
}

/** Options of `resolveInceptionWeights`: a local file, the cache root, quiet progress, an injectable fetch. */
export interface ResolveWeightsOptions {
  /** A local weights file: used as is, never downloaded. */
  weights?: string;
  /** Cache root (default: `cacheDir()`). */
  cache?: string;
  quiet?: boolean;
  /** Download progress events; without it they are drawn on stderr unless quiet. */
  onProgress?: ProgressListener;
  fetchImpl?: typeof fetch;
}

/** Finds (or downloads once) the Inception weights. */
export async function resolveInceptionWeights(opts: ResolveWeightsOptions = {}): Promise<ResolvedWeights> {
  const spec = PYTORCH_FID_WEIGHTS;
  if (opts.weights !== undefined) {
    if (!existsSync(opts.weights)) throw inputError(opts.weights, 'no such weights file');
    if (!statSync(opts.weights).isFile()) throw inputError(opts.weights, 'is not a file (expected a .pth weights file)');
    const sha256 = await sha256File(opts.weights);
    const official = sha256.startsWith(spec.sha256Prefix);
    const warnings = official
      ? []
      : [`${opts.weights}: SHA-256 ${sha256.slice(0, 8)}… is not pytorch-fid's (${spec.sha256Prefix}…); these numbers are not comparable to published FIDs`];
    return { path: opts.weights, sha256, official, warnings };
  }
  const dest = join(opts.cache ?? cacheDir(), 'weights', spec.fileName);
  if (existsSync(dest)) {
    const sha256 = await sha256File(dest);
    if (sha256.startsWith(spec.sha256Prefix)) return { path: dest, sha256, official: true, warnings: [] };
    try {
      rmSync(dest, { force: true }); // a damaged cache entry: fetch it again
    } catch {
      // a read-only cache: the download below reports where it cannot write
    }
  }
  const failures: string[] = [];
  for (const url of spec.urls) {
    try {
      const sha256 = await downloadFile(url, dest, {
        sha256Prefix: spec.sha256Prefix,
        ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
      });
      return { path: dest, sha256, official: true, warnings: [] };
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  throw new GenEvalError(
    `the Inception weights are not cached and could not be downloaded (${failures[0] ?? 'no URL'}). ` +
      `Download ${spec.fileName} from ${spec.urls[0]} and put it at ${dest}, or give a local weights file as \`weights\``,
    { options: ['weights'] },
  );
}
