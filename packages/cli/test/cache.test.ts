/**
 * The feature cache through the built CLI (synthetic Inception weights): its key never lets two
 * different contents meet; it is optional (an unusable cache path gives one warning, and the
 * right numbers); interrupted runs leave no temporary entries; damaged entries and a damaged
 * cached model are rebuilt.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeLegacyPth, syntheticInceptionStateDict } from '@gen-eval/metrics/testing';
import { readStatsNpz } from '@gen-eval/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './golden-cli.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = tempDir('gen-eval-cache-');
const weights = join(dir, 'synthetic.pth');
const cache = join(dir, 'cache');
const MTIME = 1_000_000; // seconds: as `tar --mtime` or a reproducible build leaves every file

beforeAll(() => {
  writeFileSync(weights, encodeLegacyPth(syntheticInceptionStateDict(1)));
  statsMu(folder('warm-model', 0), cache); // builds and caches the ONNX model once
}, 120_000);

/**
 * A new cache holding only the built model: the reference numbers come from it (recomputed
 * features) without rebuilding the network from the weights every time (seconds).
 */
function freshCache(name: string): string {
  const root = join(dir, name);
  cpSync(join(cache, 'models'), join(root, 'models'), { recursive: true });
  return root;
}

/** A binary PPM of 16×16 pixels: every file of a folder has the same size whatever `seed`. */
function ppm(seed: number): Buffer {
  const pixels = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 31 + ((i * seed) % 13)) & 255;
  return Buffer.concat([Buffer.from('P6\n16 16\n255\n'), pixels]);
}

/** A folder of `n` PPM images drawn from `seed`, all with the same fixed mtime. */
function folder(name: string, seed: number, n = 4): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (let i = 0; i < n; i++) {
    const f = join(d, `img${String(i).padStart(3, '0')}.ppm`);
    writeFileSync(f, ppm(seed * 100 + i));
    utimesSync(f, MTIME, MTIME);
  }
  return d;
}

const run = (env: Record<string, string>, ...args: string[]) => cliWith({ env, timeout: 120_000 }, ...args, '--weights', weights, '--quiet');

/** `stats` of a folder with the given cache folder: the mu it wrote. */
function statsMu(input: string, cacheDir: string): Float64Array {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.npz`);
  const r = run({ GEN_EVAL_CACHE: cacheDir }, 'stats', input, '-o', out);
  expect(r.code, r.stderr).toBe(0);
  return readStatsNpz(out).mu;
}

const tempEntries = (root: string) => (existsSync(join(root, 'features')) ? readdirSync(join(root, 'features')).filter((n) => n.startsWith('.tmp-')) : []);

describe('the cache key', () => {
  it('two folders with the same names, sizes and mtimes but other pixels do not share an entry', () => {
    const a = folder('same-a', 1);
    const b = folder('same-b', 2);
    const [fa, fb] = [join(a, 'img000.ppm'), join(b, 'img000.ppm')];
    expect([statSync(fa).size, statSync(fa).mtimeMs]).toEqual([statSync(fb).size, statSync(fb).mtimeMs]);
    const muA = statsMu(a, cache);
    const muB = statsMu(b, cache);
    expect(muB).not.toEqual(muA);
    expect(muB).toEqual(statsMu(b, freshCache('truth-b')));
  });

  it('a file edited in place with its mtime restored is recomputed', () => {
    const a = folder('edited', 3);
    const before = statsMu(a, cache);
    const f = join(a, 'img001.ppm');
    writeFileSync(f, ppm(999));
    utimesSync(f, MTIME, MTIME);
    const after = statsMu(a, cache);
    expect(after).not.toEqual(before);
    expect(after).toEqual(statsMu(a, freshCache('truth-edited')));
  });
});

describe('a cache that cannot be used', () => {
  it('a file at the cache path, or a path under a file: one warning naming it, and the right numbers', () => {
    const a = folder('nocache-a', 4);
    const b = folder('nocache-b', 5);
    const file = join(dir, 'cache-is-a-file');
    writeFileSync(file, 'not a folder');
    const want = JSON.parse(run({ GEN_EVAL_CACHE: freshCache('truth-nocache') }, 'fid', a, b, '--json').stdout).fid as number;
    for (const path of [file, join(file, 'sub')]) {
      const r = run({ GEN_EVAL_CACHE: path }, 'eval', a, b, '--metrics', 'fid', '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.fid).toBe(want);
      const cacheWarnings = (out.warnings as string[]).filter((w) => w.includes(path) && w.includes('--no-cache'));
      expect(cacheWarnings, JSON.stringify(out.warnings)).toHaveLength(1);
      expect(r.stderr.split('\n').filter((l) => l.includes('--no-cache'))).toHaveLength(1);
    }
  });
});

/** Spawns `stats` on `input` and sends `signal` as soon as a temporary cache entry exists. */
function interrupt(input: string, cacheDir: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawTemp: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'stats', input, '-o', join(dir, 'interrupted.npz'), '--weights', weights, '--quiet', '--batch-size', '4'], {
      env: { ...process.env, GEN_EVAL_CACHE: cacheDir },
      stdio: 'ignore',
    });
    let sawTemp = false;
    const poll = setInterval(() => {
      if (!sawTemp && tempEntries(cacheDir).length > 0) {
        sawTemp = true;
        child.kill(signal);
      }
    }, 10);
    child.on('error', reject);
    child.on('exit', (code, killedBy) => {
      clearInterval(poll);
      resolve({ code, signal: killedBy, sawTemp });
    });
  });
}

describe('interrupted runs', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s removes the temporary entry and ends the process by that signal',
    async (signal) => {
      const many = folder(`many-${signal}`, 6, 40); // the model is cached: extraction starts quickly
      const r = await interrupt(many, cache, signal);
      expect(r.sawTemp).toBe(true);
      // Killed by the signal (a shell reports 128 + its number), not exited with a code.
      expect([r.code, r.signal]).toEqual([null, signal]);
      expect(tempEntries(cache)).toEqual([]);
    },
    120_000,
  );

  it('a temporary entry left by a dead process is swept on the next start', () => {
    const host =
      hostname()
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 32) || 'host';
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = join(cache, 'features', `.tmp-${host}-${dead}-0123456789abcdef-deadbeef`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'features.npy'), 'partial');
    statsMu(folder('sweep', 8), cache);
    expect(existsSync(stale)).toBe(false);
  });
});

describe('damaged cache files are rebuilt', () => {
  it('a damaged stats.npz in a cache entry', () => {
    const own = freshCache('cache-stats');
    const a = folder('damaged-stats', 9);
    const want = statsMu(a, own);
    const entries = readdirSync(join(own, 'features'));
    expect(entries).toHaveLength(1);
    writeFileSync(join(own, 'features', entries[0]!, 'stats.npz'), 'PK\x03\x04 not a zip any more');
    expect(statsMu(a, own)).toEqual(want);
    expect(readStatsNpz(join(own, 'features', entries[0]!, 'stats.npz')).mu).toEqual(want);
  });

  it('a damaged cached ONNX model', () => {
    const own = freshCache('cache-model');
    const models = join(own, 'models');
    const model = readdirSync(models).find((n) => n.endsWith('.onnx'))!;
    const size = statSync(join(models, model)).size;
    writeFileSync(join(models, model), 'garbage, not an ONNX protobuf');
    const b = folder('model-second', 11);
    expect(statsMu(b, own)).toEqual(statsMu(b, freshCache('truth-model')));
    expect(statSync(join(models, model)).size).toBe(size);
    expect(readFileSync(join(models, model)).subarray(0, 7).toString()).not.toBe('garbage');
  });
});
