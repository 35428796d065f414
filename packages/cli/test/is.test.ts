import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gen-eval-is-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes the golden script's input RandomState(seed).standard_normal(n·d)·scale + shift as .npy. */
function specFile(name: string, s: { seed: number; n: number; d: number; scale: number; shift: number }, f32 = false): string {
  const data = new RandomState(s.seed).normals(s.n * s.d);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * s.scale + s.shift;
  const path = join(dir, name);
  writeNpy(path, f32 ? new Float32Array(data) : data, [s.n, s.d]);
  return path;
}

const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(1e-12, 1e-9 * Math.abs(want)));

describe('gen-eval is', () => {
  const c0 = golden.is[0]!;
  const logits = specFile('logits.npy', c0.logits);

  it('prints the IS line and matches the golden value in JSON', () => {
    const human = cli('is', logits);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^IS: ${c0.mean.toFixed(6)} ± ${c0.std.toFixed(6)}`));
    const r = cli('is', logits, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    close(out.is_mean, c0.mean);
    close(out.is_std, c0.std);
    expect([out.n, out.classes, out.splits, out.shuffle_seed]).toEqual([1000, 20, 10, null]);
  });

  it('shuffles like torch-fidelity with --shuffle-seed, and honours --splits', () => {
    const c = golden.is[2]!;
    const out = JSON.parse(cli('is', specFile('logits2.npy', c.logits), '--json', '--splits', String(c.splits), '--shuffle-seed', String(c.shuffleSeed)).stdout);
    close(out.is_mean, c.mean);
    close(out.is_std, c.std);
    expect(out.split_scores).toHaveLength(c.splits);
  });

  it('fails with exit 2 and a one-line message naming the file', () => {
    const few = specFile('few.npy', { seed: 1, n: 5, d: 4, scale: 1, shift: 0 }, true);
    const r = cli('is', few);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`gen-eval: ${few}: --splits 10 needs at least 10 samples, found 5`);
    const oneClass = specFile('one.npy', { seed: 1, n: 20, d: 1, scale: 1, shift: 0 });
    expect(cli('is', oneClass).stderr).toContain(`${oneClass}: logits need at least 2 classes`);
    const missing = join(dir, 'missing.npy');
    const m = cli('is', missing, '--json');
    expect(m.code).toBe(2);
    expect(m.stdout).toBe('');
    expect(m.stderr).toContain(missing);
    expect(cli('is', logits, '--splits', '0').code).toBe(2);
    expect(cli('is', logits, '--shuffle-seed', String(2 ** 32)).code).toBe(2);
  });
});
