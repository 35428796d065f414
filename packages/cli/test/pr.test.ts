import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { cli, specFile, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const dir = tempDir('gen-eval-pr-');

describe('gen-eval pr', () => {
  it('matches the golden precision/recall (k = 3 default, --k)', () => {
    for (const c of golden.pr.slice(0, 3)) {
      const real = specFile(dir, `real-${c.real.seed}.npy`, c.real);
      const fake = specFile(dir, `fake-${c.fake.seed}.npy`, c.fake);
      const args = ['pr', real, fake, '--json', ...(c.k === 3 ? [] : ['--k', String(c.k)])];
      const r = cli(...args);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect([out.precision, out.recall, out.k]).toEqual([c.precision, c.recall, c.k]);
      expect(out.convention).toMatch(/Kynkäänniemi/);
    }
  });

  it('keeps the convention: tight generated cluster in a wide real cloud ⇒ high precision, low recall', async () => {
    const c = golden.pr[2]!;
    const r = await cliInProcess('pr', specFile(dir, 'wide.npy', c.real), specFile(dir, 'tight.npy', c.fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^precision: ${c.precision.toFixed(6)}  recall: ${c.recall.toFixed(6)}`));
    expect(c.precision).toBeGreaterThan(0.9);
    expect(c.recall).toBeLessThan(0.2);
  });

  it('fails with exit 2 on a dimension mismatch and on too few samples for k', async () => {
    const real = specFile(dir, 'r.npy', { seed: 1, n: 20, d: 4, scale: 1, shift: 0 });
    const wrong = specFile(dir, 'w.npy', { seed: 2, n: 20, d: 5, scale: 1, shift: 0 });
    const small = specFile(dir, 's.npy', { seed: 2, n: 3, d: 4, scale: 1, shift: 0 });
    const m = await cliInProcess('pr', real, wrong, '--json');
    expect(m.code).toBe(2);
    expect(m.stdout).toBe('');
    expect(m.stderr.trim()).toBe(`gen-eval: ${wrong}: has 5 feature dims but ${real} has 4`);
    const s = await cliInProcess('pr', real, small);
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toBe(`gen-eval: ${small}: --k 3 needs at least 4 samples (a sample is not its own neighbour), found 3`);
    expect((await cliInProcess('pr', small, real, '--k', '2')).code).toBe(0);
    expect((await cliInProcess('pr', real, real, '--k', '0')).code).toBe(2);
  });
});
