/**
 * The `inception` extractor as the pipeline runs it: weights resolved (local file, cache or
 * download), the ONNX network built from them cached under <cache>/models with its SHA-256 beside
 * it, and the onnxruntime session created lazily — a run whose features are all cached never loads
 * the 95 MB network.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { buildInceptionModel, inceptionExtractorName } from '../extractors/inception/inception-extractor.js';
import { INCEPTION_GRAPH_VERSION } from '../extractors/inception/graph.js';
import type { InceptionDims } from '../extractors/inception/architecture.js';
import { createSession, type OnnxSessionOptions } from '../extractors/session.js';
import { tempTag, trackTemp, untrackTemp } from './temp-cleanup.js';

/**
 * The session of the ONNX model built from the weights, cached under <cacheRoot>/models (building
 * takes seconds) with its SHA-256 beside it: a cached model that is damaged (truncated, altered,
 * not loadable) is deleted and rebuilt from the weights. `cacheRoot` null: built, not cached.
 */
export async function openInceptionSession(
  weightsPath: string,
  sha256: string,
  dims: InceptionDims,
  logits: boolean,
  cacheRoot: string | null,
  options: OnnxSessionOptions,
): Promise<ort.InferenceSession> {
  const name = inceptionExtractorName(sha256, dims);
  const tag = logits ? '-logits' : '';
  const file = cacheRoot === null ? null : join(cacheRoot, 'models', `inception-${sha256.slice(0, 16)}-${dims}${tag}-v${INCEPTION_GRAPH_VERSION}.onnx`);
  if (file !== null && existsSync(file)) {
    const bytes = readCachedModel(file);
    if (bytes !== undefined) {
      try {
        return await createSession(bytes, file, options);
      } catch (err) {
        if (options.executionProvider === 'cuda') throw err; // the provider, not the file
      }
    }
    removeQuietly(file);
    removeQuietly(`${file}.sha256`);
  }
  const model = buildInceptionModel(weightsPath, { dims, logits });
  if (file !== null) cacheModel(file, model.bytes);
  return createSession(model.bytes, name, options);
}

/** A cached model's bytes when they match the SHA-256 stored beside them, else undefined. */
function readCachedModel(file: string): Uint8Array | undefined {
  try {
    const bytes = readFileSync(file);
    const want = readFileSync(`${file}.sha256`, 'utf8').trim();
    return createHash('sha256').update(bytes).digest('hex') === want ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a model and its SHA-256 (temp file + rename, removed if interrupted); the cache is optional. */
function cacheModel(file: string, bytes: Uint8Array): void {
  const tmp = join(dirname(file), `.tmp-${tempTag()}-${randomBytes(4).toString('hex')}.onnx`);
  trackTemp(tmp);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    writeFileSync(`${file}.sha256`, `${createHash('sha256').update(bytes).digest('hex')}\n`);
  } catch {
    removeQuietly(tmp);
  } finally {
    untrackTemp(tmp);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // a read-only cache: nothing to clean up there
  }
}
