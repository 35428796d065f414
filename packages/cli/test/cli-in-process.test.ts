/**
 * The in-process runner (cli-in-process.ts) gives what a spawned `node dist/cli.js` gives: the same
 * exit code, stdout and stderr, byte for byte, for each kind of run the tests use it for; and one
 * call leaves nothing behind for the next (option state, exit code, environment, stdio listeners).
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliInProcess, cliInProcessWith } from './cli-in-process.js';
import { cliWith, specFile, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-in-process-');
const put = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const results = put('results.json', { fid: 31.5, is_mean: 2.3, warnings: [] });
const pass = put('pass.yaml', 'fid: {max: 40}\nis_mean: {min: 2}\n');
const fail = put('fail.json', { fid: { max: 30, warn: { max: 29 } } });
const bad = put('bad.json', { fid: { mx: 3 } });
const a = specFile(dir, 'a.npy', { seed: 1, n: 60, d: 4, scale: 1, shift: 0 });
const b = specFile(dir, 'b.npy', { seed: 2, n: 60, d: 4, scale: 1, shift: 0.5 });
const noGithub = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };
const github = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' };

const runs: [string, Record<string, string>, string[]][] = [
  ['--version', {}, ['--version']],
  ['help of a command', {}, ['check', '--help']],
  ['unknown command', {}, ['fidd']],
  ['unknown option', {}, ['check', results, '--thresholds', pass, '--bogus']],
  ['an option given twice', {}, ['check', results, '--thresholds', pass, '--thresholds', fail]],
  ['option value out of range', {}, ['kid', a, b, '--subsets', '1e3']],
  ['check passes', noGithub, ['check', results, '--thresholds', pass]],
  ['check fails, --json', noGithub, ['check', results, '--thresholds', fail, '--json']],
  ['check under GitHub Actions', github, ['check', results, '--thresholds', fail]],
  ['bad thresholds file', noGithub, ['check', results, '--thresholds', bad]],
  ['eval with a gate', noGithub, ['eval', a, b, '--metrics', 'fid,pr', '--thresholds', pass]],
  ['an option the mode ignores', {}, ['divergence', 'knn-kl', a, b, '--sigma', '2']],
];

describe('the in-process runner', () => {
  it.each(runs)('%s: same exit code, stdout and stderr as a spawned run', async (_, env, args) => {
    const spawned = cliWith({ env }, ...args);
    expect(spawned.error).toBeUndefined();
    const inProcess = await cliInProcessWith({ env }, ...args);
    expect(inProcess).toEqual({ code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr });
  });

  it('leaves no state behind: option values, exit code, environment, stdio listeners', async () => {
    const listeners = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    const exitCode = process.exitCode;
    const githubActions = process.env.GITHUB_ACTIONS;
    const first = await cliInProcessWith({ env: github }, 'check', results, '--thresholds', fail, '--json');
    expect(first.code).toBe(1);
    // The same options again are not "given twice"; the --json of the first run does not stick.
    const second = await cliInProcessWith({ env: noGithub }, 'check', results, '--thresholds', pass);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/^metric\s+value/);
    expect(process.env.GITHUB_ACTIONS).toBe(githubActions);
    expect(process.exitCode).toBe(exitCode);
    expect([process.stdout.listenerCount('error'), process.stderr.listenerCount('error')]).toEqual(listeners);
  });

  it('restores the environment it was given', async () => {
    const before = process.env.GEN_EVAL_TEST_PROBE;
    await cliInProcessWith({ env: { GEN_EVAL_TEST_PROBE: 'x' } }, '--version');
    expect(process.env.GEN_EVAL_TEST_PROBE).toBe(before);
    expect((await cliInProcess('--version')).code).toBe(0);
  });
});
