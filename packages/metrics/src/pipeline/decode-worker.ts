/**
 * Worker-thread body of the decode pool: decodes one image file and runs the preprocessing
 * profile, returning the network input (transferred, not copied). Bad images come back as
 * `{ error, bad: true }` so the pool can honour `--skip-bad`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { isUserError } from '../errors.js';
import { decodeImageFile } from '../image/decode.js';
import { preprocess, type PreprocessProfile } from '../image/profiles.js';

const profile = (workerData as { profile: PreprocessProfile }).profile;
// Each image is decoded once: libvips' operation cache would only hold memory.
sharp.cache(false);

// The handler catches its own errors (a failure is posted back), so nothing awaits its promise.
parentPort!.on('message', (msg: { id: number; path: string }) => void handle(msg));

async function handle(msg: { id: number; path: string }): Promise<void> {
  try {
    const image = await decodeImageFile(msg.path);
    const out = preprocess(image, profile);
    parentPort!.postMessage({ id: msg.id, data: out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    // A user error keeps its code and path across the thread boundary; anything else is a bug.
    const bad = isUserError(err);
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message, bad, ...(bad ? { code: err.code, path: err.path } : {}) });
  }
}
