/**
 * Shared by the CLI tests: run the built CLI, make temp folders (removed after the test or file
 * that made them), and write the golden scripts' seeded inputs as .npy files.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { expect } from 'vitest';

/** A temp folder removed when the calling test (or, at a file's top level, the file's tests) ends. */
export { tempDir } from '@gen-eval/metrics/testing/expect';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A finished CLI process. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not run or was killed (e.g. by the timeout). */
  readonly error?: Error;
}

/** Runs `gen-eval …` (the built CLI) with extra environment variables and a timeout (ms). */
export function cliWith(opts: { env?: Record<string, string>; timeout?: number }, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ...(r.error ? { error: r.error } : {}) };
}

/** Runs `gen-eval …` (the built CLI) and returns its exit code and output. */
export function cli(...args: string[]): CliRun {
  return cliWith({}, ...args);
}

/**
 * Asserts a user error of the CLI: exit 2, nothing on stdout, exactly one stderr line
 * `gen-eval: <file>: <problem>` (bad input), or `gen-eval: <problem>` when `file` is null (usage).
 */
export function expectInputError(r: CliRun, file: string | null, problem: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(file === null ? 'gen-eval: ' : `gen-eval: ${file}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(problem);
  expect(r.code, r.stderr).toBe(2);
}

/** Writes the golden script's input RandomState(seed).standard_normal(n·d)·scale + shift as .npy. */
export function specFile(dir: string, name: string, s: { seed: number; n: number; d: number; scale: number; shift: number }, f32 = false): string {
  const data = new RandomState(s.seed).normals(s.n * s.d);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * s.scale + s.shift;
  const path = join(dir, name);
  writeNpy(path, f32 ? new Float32Array(data) : data, [s.n, s.d]);
  return path;
}
