import { join } from 'node:path';
import { encodeNpy, isMetric, isParameter, RandomState, writeFileAtomic, writeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-metric-keys-');
const PAIRED = join(import.meta.dirname, '../../../fixtures/golden/paired');
function randn(name: string, seed: number, n: number, d: number, shift = 0): string {
  const path = join(dir, name);
  writeNpy(
    path,
    new RandomState(seed).normals(n * d).map((v) => v + shift),
    [n, d],
  );
  return path;
}

/** Top-level keys holding numbers (or null, NaN once serialised) in a command's --json output. */
function numericKeys(...args: string[]): string[] {
  const r = cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  return Object.entries(out)
    .filter(([, v]) => typeof v === 'number' || v === null)
    .map(([k]) => k);
}

describe('every number a command prints is a metric or a parameter of metric-table.ts', () => {
  const real = randn('real.npy', 1, 60, 3);
  const fake = randn('fake.npy', 2, 60, 3, 0.5);
  const logits = randn('logits.npy', 3, 40, 5);
  const labels = join(dir, 'labels.npy');
  writeFileAtomic(
    labels,
    encodeNpy(
      BigInt64Array.from([0, 1, 2, 1, 0, 2], (v) => BigInt(v)),
      [6],
    ),
  );
  const runs: [string, string[]][] = [
    ['fid', ['fid', real, fake]],
    ['kid', ['kid', real, fake, '--subset-size', '20', '--subsets', '3']],
    ['is', ['is', logits, '--splits', '2']],
    ['pr', ['pr', real, fake]],
    ['prdc', ['prdc', real, fake]],
    ['ndb', ['ndb', real, fake, '--bins', '4']],
    ['eval', ['eval', real, fake, '--metrics', 'fid,kid,pr,prdc', '--subset-size', '20', '--subsets', '3']],
    ['modes ring', ['modes', 'ring', randn('ring.npy', 4, 30, 2)]],
    ['modes classes', ['modes', 'classes', labels, '--classes', '3']],
    ['intra-fid', ['intra-fid', randn('real-6.npy', 5, 6, 2), randn('fake-6.npy', 6, 6, 2, 0.5), '--real-labels', labels, '--fake-labels', labels]],
    ['divergence sliced-w', ['divergence', 'sliced-w', real, fake]],
    ['divergence sinkhorn', ['divergence', 'sinkhorn', real, fake]],
    ...(['psnr', 'ssim', 'l1'] as const).map((m): [string, string[]] => [m, [m, `${PAIRED}/ref.npy`, `${PAIRED}/test-float.npy`]]),
  ];
  it.each(runs)('%s', (_, args) => {
    const keys = numericKeys(...args);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(isMetric(k) || isParameter(k), `"${k}" is neither a metric nor a parameter in metric-table.ts`).toBe(true);
    expect(keys.some(isMetric)).toBe(true);
  });
});
