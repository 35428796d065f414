import { join } from 'node:path';
import { gridMixture, ringMixture, sampleMixture, writeNpy, writeFileAtomic, encodeNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';

const dir = tempDir('gen-eval-modes-');

function samplesFile(name: string, data: Float32Array | Float64Array, cols = 2): string {
  const path = join(dir, name);
  writeNpy(path, data, [data.length / cols, cols]);
  return path;
}
function labelsFile(name: string, labels: readonly number[], shape: readonly number[]): string {
  const path = join(dir, name);
  writeFileAtomic(
    path,
    encodeNpy(
      BigInt64Array.from(labels, (v) => BigInt(v)),
      shape,
    ),
  );
  return path;
}

describe('gen-eval modes', () => {
  it('ring: true samples cover 8/8 modes with ≈ 98.9 % high quality; a collapsed sampler covers 1', () => {
    const mix = ringMixture();
    const good = cli('modes', 'ring', samplesFile('ring.npy', sampleMixture(mix, 2500, 1).data), '--json');
    expect(good.code).toBe(0);
    const out = JSON.parse(good.stdout);
    expect(out).toMatchObject({ protocol: 'ring', modes_covered: 8, modes: 8, sigma: 0.01, radius: 1, samples: 2500 });
    expect(Math.abs(out.high_quality - 0.98889)).toBeLessThan(0.012);
    expect(out.reverse_kl).toBeLessThan(0.02);
    const collapsed = JSON.parse(cli('modes', 'ring', samplesFile('one.npy', sampleMixture(mix, 500, 2, { modes: [3] }).data), '--json').stdout);
    expect(collapsed.modes_covered).toBe(1);
    expect(collapsed.reverse_kl).toBeCloseTo(Math.log(8), 12);
    expect(cli('modes', 'ring', samplesFile('ring.npy', sampleMixture(mix, 2500, 1).data)).stdout).toMatch(/^modes covered: 8 \/ 8, high quality: 9\d\.\d %/);
  });

  it('grid and a relaxed ring with configurable geometry', async () => {
    const grid = JSON.parse((await cliInProcess('modes', 'grid', samplesFile('grid.npy', sampleMixture(gridMixture(), 2500, 3).data), '--json')).stdout);
    expect(grid).toMatchObject({ protocol: 'grid', modes_covered: 25, modes: 25, sigma: 0.05, spacing: 2, grid_size: 5 });
    const relaxed = ringMixture({ radius: 2, sigma: 0.05 });
    const r = JSON.parse(
      (await cliInProcess('modes', 'ring', samplesFile('relaxed.npy', sampleMixture(relaxed, 1000, 4).data), '--radius', '2', '--sigma', '0.05', '--json')).stdout,
    );
    expect(r).toMatchObject({ modes_covered: 8, radius: 2, sigma: 0.05 });
    // Scored against the default (r = 1, σ = 0.01) ring, the same samples are all low quality.
    const wrong = await cliInProcess('modes', 'ring', samplesFile('relaxed.npy', sampleMixture(relaxed, 1000, 4).data), '--json');
    expect(JSON.parse(wrong.stdout)).toMatchObject({ modes_covered: 0, high_quality: 0, reverse_kl: null });
    expect(wrong.stderr).toMatch(/warning: no sample .* reverse KL is undefined/);
  });

  it('classes: Stacked-MNIST style labels (N × 3, int64) → modes covered and KL vs uniform', async () => {
    const labels: number[] = [];
    for (let i = 0; i < 1000; i++) labels.push(Math.floor(i / 100), Math.floor(i / 10) % 10, i % 10);
    const all = JSON.parse((await cliInProcess('modes', 'classes', labelsFile('all.npy', labels, [1000, 3]), '--classes', '10', '--json')).stdout);
    expect(all).toMatchObject({ protocol: 'classes', modes_covered: 1000, modes: 1000, kl: 0, channels: 3, samples: 1000 });
    const half = JSON.parse((await cliInProcess('modes', 'classes', labelsFile('half.npy', labels.slice(0, 1500), [500, 3]), '--classes', '10', '--json')).stdout);
    expect(half.modes_covered).toBe(500);
    expect(half.kl).toBeCloseTo(Math.log(2), 12);
  });

  it('bad input: one clear line naming the file, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['ring', samplesFile('d3.npy', new Float64Array(9), 3)], /d3\.npy: has 3 dimensions but the ring mixture is 2-D/],
      [['grid', samplesFile('none.npy', new Float64Array(0))], /none\.npy: is empty/],
      [['classes', labelsFile('big.npy', [1, 12], [2]), '--classes', '10'], /big\.npy: label 12 at row 1 is not an integer in \[0, 10\)/],
      [['classes', labelsFile('ok.npy', [1, 2], [2])], /modes classes needs --classes K/],
      [['ring', samplesFile('ok2.npy', new Float64Array(4)), '--sigma', '0'], /--sigma must be a number > 0/],
      [['square', 'x.npy'], /value 'square' is invalid for argument 'protocol'/],
    ];
    for (const [args, msg] of cases) {
      const r = await cliInProcess('modes', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
