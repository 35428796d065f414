/**
 * Locating DINOv2 weights: `weights` PATH (no network), else the cache, else a download from the
 * URL torch.hub uses. No checksum is published for these files, so a downloaded or cached file is
 * checked tensor by tensor when the network is built (extractors/dinov2/weights.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GenEvalError, inputError } from '../errors.js';
import { dinov2WeightsUrl, type Dinov2Size } from '../extractors/dinov2/architecture.js';
import { cacheDir } from './cache-dir.js';
import { downloadFile } from './download.js';
import { sha256File, type ResolveWeightsOptions } from './weights.js';

/** A DINOv2 weights file and the SHA-256 of its bytes. */
export interface ResolvedDinov2Weights {
  readonly path: string;
  readonly sha256: string;
}

/** Finds (or downloads once into `cache`/weights) the weights of one DINOv2 size. */
export async function resolveDinov2Weights(size: Dinov2Size, opts: ResolveWeightsOptions = {}): Promise<ResolvedDinov2Weights> {
  if (opts.weights !== undefined) {
    if (!existsSync(opts.weights)) throw inputError(opts.weights, 'no such weights file');
    if (!statSync(opts.weights).isFile()) throw inputError(opts.weights, 'is not a file (expected a .pth weights file)');
    return { path: opts.weights, sha256: await sha256File(opts.weights) };
  }
  const url = dinov2WeightsUrl(size);
  const dest = join(opts.cache ?? cacheDir(), 'weights', `dinov2_${size}_pretrain.pth`);
  if (existsSync(dest)) return { path: dest, sha256: await sha256File(dest) };
  try {
    const sha256 = await downloadFile(url, dest, {
      ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    });
    return { path: dest, sha256 };
  } catch (err) {
    throw new GenEvalError(
      `the DINOv2 ${size} weights are not cached and could not be downloaded (${(err as Error).message}). ` +
        `Download ${url} and put it at ${dest}, or give a local weights file as \`weights\``,
      { options: ['weights'] },
    );
  }
}
