/**
 * Downloads a file with a progress report and a SHA-256 check. The bytes stream into a temporary
 * file beside the target while being hashed; only a complete file whose hash matches is renamed
 * into place, so a failed or interrupted download never leaves a file a later run would use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { GenEvalError } from '../errors.js';
import { createProgress, type ProgressListener } from './progress.js';
import { tempTag, trackTemp, untrackTemp } from './temp-cleanup.js';

/** Options of `downloadFile`: expected SHA-256 prefix, quiet progress, an injectable fetch. */
export interface DownloadOptions {
  /** The file's SHA-256 must start with this hex prefix (torch hub convention: the name carries it). */
  sha256Prefix?: string;
  quiet?: boolean;
  /** Progress events; without it they are drawn on stderr unless quiet. */
  onProgress?: ProgressListener;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

/** Downloads `url` to `dest` atomically; returns the file's SHA-256 (hex). */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<string> {
  const doFetch = opts.fetchImpl ?? fetch;
  try {
    mkdirSync(dirname(dest), { recursive: true });
  } catch (err) {
    throw new GenEvalError(`${dirname(dest)}: cannot create the folder for ${basename(dest)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // Tagged with host and pid: removed on SIGINT/SIGTERM/SIGHUP, swept on a later start if left.
  const tmp = join(dirname(dest), `.tmp-${tempTag()}-${randomBytes(4).toString('hex')}-${basename(dest)}.part`);
  let res: Response;
  try {
    res = await doFetch(url, { redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new GenEvalError(`cannot download ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new GenEvalError(`cannot download ${url}: HTTP ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get('content-length') ?? 0) || undefined;
  const progress = createProgress({
    label: `downloading ${basename(dest)}`,
    unit: 'bytes',
    quiet: opts.quiet ?? false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(total ? { total } : {}),
  });
  const hash = createHash('sha256');
  trackTemp(tmp);
  const out = createWriteStream(tmp);
  let received = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.length;
      progress.update(received);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    progress.finish();
    if (total !== undefined && received !== total) {
      throw new GenEvalError(`download of ${url} was cut short: got ${received} of ${total} bytes`);
    }
    const digest = hash.digest('hex');
    if (opts.sha256Prefix && !digest.startsWith(opts.sha256Prefix.toLowerCase())) {
      throw new GenEvalError(`download of ${url} has SHA-256 ${digest.slice(0, 16)}…, expected it to start with ${opts.sha256Prefix}; the file was removed`);
    }
    renameSync(tmp, dest);
    return digest;
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    if (err instanceof GenEvalError) throw err;
    throw new GenEvalError(`download of ${url} failed: ${(err as Error).message}; nothing was kept`);
  } finally {
    untrackTemp(tmp);
  }
}
