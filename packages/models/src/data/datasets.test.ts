import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mixtureModeCoverage, ringMixture, writeNpy } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { FASHION_MNIST_SETS } from './paired.js';
import { DATASET_NAMES, dataRecord, listDatasets, resolveDataset, RING_EASY } from './datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const asMatrix = (x: Float32Array) => ({ rows: x.length / 2, cols: 2, data: Float64Array.from(x) });

describe('2-D data sets', () => {
  it('the mixtures are the ones the mode diagnostics score: a true sample covers every mode, ~98.9 % high quality', async () => {
    for (const name of ['ring', 'ring-easy', 'ring-easy-rot', 'grid']) {
      const d = resolveDataset(name);
      const b = d.sample(20_000, new Rng(1));
      const m = await mixtureModeCoverage(asMatrix(b.x), d.mixture!);
      expect(m.modesCovered, name).toBe(d.classes);
      expect(Math.abs(m.highQuality - (1 - Math.exp(-4.5))), name).toBeLessThan(0.005);
      // Labels are the mode each point was drawn from.
      const c = d.mixture!.centres.data;
      for (let i = 0; i < 50; i++) {
        const l = b.labels![i]!;
        expect(Math.hypot(b.x[2 * i]! - c[2 * l]!, b.x[2 * i + 1]! - c[2 * l + 1]!)).toBeLessThan(6 * d.mixture!.sigma);
      }
    }
  });

  it('ring-easy-rot is ring-easy turned by π/8', () => {
    const a = resolveDataset('ring-easy').mixture!.centres.data;
    const b = resolveDataset('ring-easy-rot').mixture!.centres.data;
    const [c, sn] = [Math.cos(Math.PI / 8), Math.sin(Math.PI / 8)];
    for (let i = 0; i < 8; i++) {
      expect(b[2 * i]!).toBeCloseTo(c * a[2 * i]! - sn * a[2 * i + 1]!, 12);
      expect(b[2 * i + 1]!).toBeCloseTo(sn * a[2 * i]! + c * a[2 * i + 1]!, 12);
      expect(Math.hypot(b[2 * i]!, b[2 * i + 1]!)).toBeCloseTo(RING_EASY.radius, 12);
    }
    expect(resolveDataset('ring').mixture).toEqual(ringMixture());
  });

  it('spiral points lie near the curve r = θ/2π', () => {
    const b = resolveDataset('spiral').sample(1000, new Rng(2));
    expect(b.labels).toBeUndefined();
    for (let i = 0; i < 1000; i++) expect(Math.hypot(b.x[2 * i]!, b.x[2 * i + 1]!)).toBeLessThan(2.4);
  });

  it('samples are a pure function of the stream', () => {
    // (Fashion-MNIST's sets need Debian's files; images.test.ts, fashion-mnist.test.ts and paired.test.ts check the image sets.)
    for (const name of DATASET_NAMES.filter((n) => !FASHION_MNIST_SETS.includes(n)))
      expect(resolveDataset(name).sample(10, new Rng(3)).x).toEqual(resolveDataset(name).sample(10, new Rng(3)).x);
  });

  it('a data set records what shaped it (config.json `data`); resolving the record gives the same data', () => {
    expect(dataRecord(resolveDataset('ring-easy'))).toEqual({ name: 'ring-easy' });
    const f = join(dir, 'rec.npy');
    writeNpy(f, new Float64Array([1, 2, 3, 4]), [2, 2]);
    const d = resolveDataset(f);
    expect(dataRecord(d)).toEqual({ name: f, sha256: d.sha256 });
    // Options a set does not use are neither applied nor recorded.
    const r = dataRecord(resolveDataset('mnist', { imageSize: 64, channels: 3, dataDir: '/nowhere' }));
    expect(r).toEqual({ name: 'mnist', imageSize: 64 });
    expect(resolveDataset(r.name, r).sample(2, new Rng(1))).toEqual(resolveDataset('mnist', { imageSize: 64 }).sample(2, new Rng(1)));
    expect(dataRecord({ name: 'x', description: '', dims: 2, sha256: 'ab', sample: () => ({ n: 0, dims: 2, x: new Float32Array(0) }) })).toEqual({
      name: resolve('x'),
      sha256: 'ab',
    }); // files are recorded by absolute path
    expect(listDatasets().map((l) => l.name)).toEqual(DATASET_NAMES);
    expect(DATASET_NAMES).toEqual(expect.arrayContaining(['mnist', 'mnist-inverted', 'fashion-mnist', 'stacked-mnist']));
  });

  it('a .npy file is resampled row by row, with its hash; bad files are one-line errors', () => {
    const f = join(dir, 'pts.npy');
    writeNpy(f, new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const d = resolveDataset(f);
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    const x = d.sample(30, new Rng(1)).x;
    for (let i = 0; i < 30; i++) expect([1, 3, 5]).toContain(x[2 * i]);
    for (let i = 0; i < 30; i++) expect(x[2 * i + 1]).toBe(x[2 * i]! + 1);
    expect(() => resolveDataset(join(dir, 'missing.npy'))).toThrow(/missing.npy: no such file/);
    const one = join(dir, 'one.npy');
    writeNpy(one, new Float64Array([1, 2]), [1, 2]);
    expect(() => resolveDataset(one)).toThrow(/needs at least 2 points, got 1/);
    const flat = join(dir, 'flat.npy');
    writeNpy(flat, new Float64Array([1, 2]), [2]);
    expect(() => resolveDataset(flat)).toThrow(/expected an N×2 array of points, got shape \(2\)/);
    expect(() => resolveDataset('moons')).toThrow(
      /moons: unknown data set; expected one of ring, ring-easy, ring-easy-rot, grid, spiral, mnist, mnist-inverted, fashion-mnist, stacked-mnist, edges2fashion, edges2shoes, edges2digits, (captioned-[a-z-]+, )+a .npy file \(N×2\) or a folder of images/,
    );
  });

  it('refuses a .npy file with no spread or with values beyond 1e20 (the metric commands’ rule), naming it', () => {
    const same = join(dir, 'const.npy');
    writeNpy(same, new Float64Array([0.5, -1, 0.5, -1, 0.5, -1]), [3, 2]);
    expect(() => resolveDataset(same)).toThrow(new RegExp(`^${same.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: has zero spread: all 3 points are \\(0\\.5, -1\\)`));
    const line = join(dir, 'line.npy');
    writeNpy(line, new Float64Array([0, 1, 0, 2, 0, 3]), [3, 2]);
    expect(resolveDataset(line).dims).toBe(2); // spread along one axis is spread
    const mostly = join(dir, 'mostly.npy');
    writeNpy(mostly, new Float64Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2]), [10, 2]);
    expect(() => resolveDataset(mostly)).toThrow(/mostly\.npy: has too little spread: 66 % of pairs of points drawn from it coincide/);
    const huge = join(dir, 'huge.npy');
    writeNpy(huge, new Float64Array([0, 0, 1, 1e30, 2, 2]), [3, 2]);
    expect(() => resolveDataset(huge)).toThrow(/huge\.npy: values overflow: \|x\| = 1\.000e\+30 at row 1, column 1 exceeds 1e\+20 .*rescale the points$/);
    const edge = join(dir, 'edge.npy');
    writeNpy(edge, new Float64Array([0, 0, 1, 1e19, 2, 2]), [3, 2]);
    expect(resolveDataset(edge).dims).toBe(2);
  });
});
