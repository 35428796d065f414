/**
 * Shared by the CLI tests against fixtures/golden/metrics: run the built CLI, and write the golden
 * script's seeded inputs as .npy files in a per-file temp folder (removed after the file's tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { afterAll, expect } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs `gen-eval …` (the built CLI) and returns its exit code and output. */
export function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp folder for this test file, removed when its tests end. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes the golden script's input RandomState(seed).standard_normal(n·d)·scale + shift as .npy. */
export function specFile(dir: string, name: string, s: { seed: number; n: number; d: number; scale: number; shift: number }, f32 = false): string {
  const data = new RandomState(s.seed).normals(s.n * s.d);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * s.scale + s.shift;
  const path = join(dir, name);
  writeNpy(path, f32 ? new Float32Array(data) : data, [s.n, s.d]);
  return path;
}

/** The agreement: 1e-9 relative or 1e-12 absolute. */
export const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(1e-12, 1e-9 * Math.abs(want)));
