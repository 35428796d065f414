/**
 * Where gen-eval keeps downloaded weights, built models and cached features:
 * `$GEN_EVAL_CACHE` when set, else the platform's user cache folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache root for this process (not created here). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.GEN_EVAL_CACHE) return env.GEN_EVAL_CACHE;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'gen-eval', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'gen-eval');
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'gen-eval');
}
