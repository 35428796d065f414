import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomState, writeNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gen-eval-prdc-'));
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

describe('gen-eval prdc', () => {
  it('matches the golden precision, recall, density and coverage (k = 5 default, --k)', () => {
    for (const c of golden.prdc.slice(0, 3)) {
      const real = specFile(`real-${c.real.seed}.npy`, c.real);
      const fake = specFile(`fake-${c.fake.seed}.npy`, c.fake);
      const r = cli('prdc', real, fake, '--json', ...(c.k === 5 ? [] : ['--k', String(c.k)]));
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      for (const key of ['precision', 'recall', 'density', 'coverage'] as const) close(out[key], c[key]);
      expect(out.k).toBe(c.k);
    }
  });

  it('prints one human line', () => {
    const c = golden.prdc[0]!;
    const r = cli('prdc', specFile('a.npy', c.real), specFile('b.npy', c.fake));
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`density: ${c.density.toFixed(6)}  coverage: ${c.coverage.toFixed(6)}`));
  });

  it('reads float32 features', () => {
    const c = golden.prdc[2]!;
    const r = cli('prdc', specFile('a32.npy', c.real, true), specFile('b32.npy', c.fake, true), '--json');
    expect(r.code).toBe(0);
    // float32 rounding moves distances by ~1e-7, far from any radius here (margin > 1e-9 in float64
    // is not a guarantee in float32, so only check the convention-level outcome).
    expect(JSON.parse(r.stdout).precision).toBeGreaterThan(0.95);
  });

  it('fails with exit 2 on a dimension mismatch and on too few samples for k', () => {
    const real = specFile('r.npy', { seed: 1, n: 20, d: 4, scale: 1, shift: 0 });
    const wrong = specFile('w.npy', { seed: 2, n: 20, d: 3, scale: 1, shift: 0 });
    const small = specFile('s.npy', { seed: 2, n: 5, d: 4, scale: 1, shift: 0 });
    const m = cli('prdc', real, wrong);
    expect(m.code).toBe(2);
    expect(m.stderr.trim()).toBe(`gen-eval: ${wrong}: has 3 feature dims but ${real} has 4`);
    const s = cli('prdc', small, real, '--json');
    expect(s.code).toBe(2);
    expect(s.stdout).toBe('');
    expect(s.stderr.trim()).toBe(`gen-eval: ${small}: --k 5 needs at least 6 samples (a sample is not its own neighbour), found 5`);
  });
});
