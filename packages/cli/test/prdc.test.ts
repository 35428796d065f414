import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { cli, specFile, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { expectClose, GOLDEN_TOLERANCE } from '@gen-eval/metrics/testing/expect';

const dir = tempDir('gen-eval-prdc-');

describe('gen-eval prdc', () => {
  it('matches the golden precision, recall, density and coverage (k = 5 default, --k)', () => {
    for (const c of golden.prdc.slice(0, 3)) {
      const real = specFile(dir, `real-${c.real.seed}.npy`, c.real);
      const fake = specFile(dir, `fake-${c.fake.seed}.npy`, c.fake);
      const r = cli('prdc', real, fake, '--json', ...(c.k === 5 ? [] : ['--k', String(c.k)]));
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      for (const key of ['precision', 'recall', 'density', 'coverage'] as const) expectClose(out[key], c[key], GOLDEN_TOLERANCE);
      expect(out.k).toBe(c.k);
    }
  });

  it('prints one human line', async () => {
    const c = golden.prdc[0]!;
    const r = await cliInProcess('prdc', specFile(dir, 'a.npy', c.real), specFile(dir, 'b.npy', c.fake));
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`density: ${c.density.toFixed(6)}  coverage: ${c.coverage.toFixed(6)}`));
  });

  it('reads float32 features', async () => {
    const c = golden.prdc[2]!;
    const r = await cliInProcess('prdc', specFile(dir, 'a32.npy', c.real, true), specFile(dir, 'b32.npy', c.fake, true), '--json');
    expect(r.code).toBe(0);
    // float32 rounding moves distances by ~1e-7, far from any radius here (margin > 1e-9 in float64
    // is not a guarantee in float32, so only check the convention-level outcome).
    expect(JSON.parse(r.stdout).precision).toBeGreaterThan(0.95);
  });

  it('fails with exit 2 on a dimension mismatch and on too few samples for k', async () => {
    const real = specFile(dir, 'r.npy', { seed: 1, n: 20, d: 4, scale: 1, shift: 0 });
    const wrong = specFile(dir, 'w.npy', { seed: 2, n: 20, d: 3, scale: 1, shift: 0 });
    const small = specFile(dir, 's.npy', { seed: 2, n: 5, d: 4, scale: 1, shift: 0 });
    const m = await cliInProcess('prdc', real, wrong);
    expect(m.code).toBe(2);
    expect(m.stderr.trim()).toBe(`gen-eval: ${wrong}: has 3 feature dims but ${real} has 4`);
    const s = await cliInProcess('prdc', small, real, '--json');
    expect(s.code).toBe(2);
    expect(s.stdout).toBe('');
    expect(s.stderr.trim()).toBe(`gen-eval: ${small}: --k 5 needs at least 6 samples (a sample is not its own neighbour), found 5`);
  });
});
