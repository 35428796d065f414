/**
 * Networks built at run time from weight files (Inception, DINOv2, ...) cached under
 * <cacheRoot>/models with their SHA-256 beside them: building takes seconds, loading a cached
 * model much less. A cached model that is damaged (truncated, altered, not loadable) is deleted and
 * rebuilt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { createSession, type OnnxSessionOptions } from '../extractors/session.js';
import { tempTag, trackTemp, untrackTemp } from './temp-cleanup.js';

/**
 * The session of a model cached as <cacheRoot>/models/`fileName`, built by `build` (and cached)
 * when missing or damaged. `cacheRoot` null: built each time, not cached. `label` names the model
 * in errors.
 */
export async function openCachedModelSession(
  cacheRoot: string | null,
  fileName: string,
  build: () => Uint8Array,
  label: string,
  options: OnnxSessionOptions,
): Promise<ort.InferenceSession> {
  const file = cacheRoot === null ? null : join(cacheRoot, 'models', fileName);
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
  const bytes = build();
  if (file !== null) cacheModel(file, bytes);
  return createSession(bytes, label, options);
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
