import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkComparability } from './comparability.js';
import { writeFakeResult, writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { loadInputs } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'report-comparability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `gen-eval eval A B --json` prints for two feature files of `dims` columns. */
function evalResult(name: string, fid: number, dims: number, real = 'real.npy', realSha?: string): string {
  const path = join(dir, `${name}.json`);
  const details = { fid: { method: 'cholesky-eigh', epsilon_added: 0, n1: 200, n2: 200, dims } };
  const inputs = [
    { path: real, kind: 'features', ...(realSha ? { sha256: realSha } : {}) },
    { path: `${name}-fake.npy`, kind: 'features' },
  ];
  writeFileSync(path, JSON.stringify({ fid, metrics: ['fid'], details, inputs, warnings: [] }));
  return path;
}

const starred = (html: string) => [...html.matchAll(/<td class="best"[^>]*><span class="star"[^>]*>★<\/span>([^<]*)/g)].map((m) => m[1]);

describe('comparability', () => {
  it('results of different feature dimensions are not comparable and their FIDs get no star', async () => {
    const { entries } = await loadInputs([evalResult('d16', 0.07, 16), evalResult('d8', 0.02, 8)]);
    const comp = checkComparability(entries);
    expect(comp.warnings).toEqual(['results used different feature dimensions: 16 (d16) vs 8 (d8) — fid not ranked']);
    expect(comp.unranked).toEqual(new Set(['fid']));
    const { html } = await renderReport(entries);
    expect(starred(html)).toEqual([]);
    expect(html).not.toContain('✓ Comparable');
    expect(html).toContain('<td class="differs" title="differs from an entry it shares a metric with">⚠ 16</td>');
  });

  it('FID in Inception space and FD in DINOv2 space share the fid key but are never ranked together', async () => {
    /** What `gen-eval fid real/ fake/ --extractor E --json` prints. */
    const fidResult = (name: string, fid: number, extractor: string, profile: string) => {
      const path = join(dir, `${name}.json`);
      const inputs = ['real/', `${name}/`].map((p) => ({ path: p, kind: 'images', n: 100, extractor, profile }));
      writeFileSync(path, JSON.stringify({ metric: 'fid', fid, n: [100, 100], inputs, details: { feature_space: { extractor, network: extractor.split('@')[0] } } }));
      return path;
    };
    const { entries } = await loadInputs([
      fidResult('inception-a', 30, 'inception@6726825d:2048', 'pytorch-fid'),
      fidResult('inception-b', 20, 'inception@6726825d:2048', 'pytorch-fid'),
      fidResult('dinov2', 300, 'dinov2@0f1e2d3c:vitl14', 'dgm-eval'),
    ]);
    const comp = checkComparability(entries);
    expect(comp.unranked).toEqual(new Set(['fid']));
    expect(comp.warnings).toContain(
      'results used different feature extractors: inception@6726825d:2048 (inception-a, inception-b) vs dinov2@0f1e2d3c:vitl14 (dinov2) — fid not ranked',
    );
    expect(comp.warnings.some((w) => w.startsWith('results used different extractor weights: 6726825d'))).toBe(true);
    expect(comp.warnings.some((w) => w.startsWith('results used different preprocessing profiles'))).toBe(true);
    expect(comp.differing.map((d) => d.has('extractor'))).toEqual([true, true, true]);
  });

  it('results against different reference sets are not comparable', async () => {
    const { entries } = await loadInputs([evalResult('ref-a', 5, 16, 'cifar-train.npy'), evalResult('ref-b', 4, 16, 'celeba.npy')]);
    expect(checkComparability(entries).warnings).toEqual(['results used different data / reference sets: cifar-train.npy (ref-a) vs celeba.npy (ref-b) — fid not ranked']);
  });

  it('the reference set is compared by its sha256 where both results recorded one, not by its path', async () => {
    const [x, y] = ['a'.repeat(64), 'b'.repeat(64)];
    // The same data at two paths: comparable.
    const moved = await loadInputs([evalResult('at-a', 5, 16, 'data/real.npy', x), evalResult('at-b', 4, 16, '/mnt/copy/real.npy', x)]);
    expect(checkComparability(moved.entries).warnings).toEqual([]);
    // Different data at one path (the folder changed between the two evaluations): not comparable.
    const changed = await loadInputs([evalResult('before', 5, 16, 'real', x), evalResult('after', 4, 16, 'real', y)]);
    const comp = checkComparability(changed.entries);
    expect(comp.warnings).toEqual([`results used different data / reference sets: real (sha256 aaaaaaaa) (before) vs real (sha256 bbbbbbbb) (after) — fid not ranked`]);
    expect(comp.unranked).toEqual(new Set(['fid']));
    // One result without a fingerprint (an older file): the paths decide.
    const older = await loadInputs([evalResult('old', 5, 16, 'real'), evalResult('new', 4, 16, 'real', y)]);
    expect(checkComparability(older.entries).warnings).toEqual([]);
  });

  it('the same extractor, dims, n and reference: comparable, the best is starred', async () => {
    const { entries } = await loadInputs([evalResult('same-a', 5, 16), evalResult('same-b', 4, 16)]);
    expect(checkComparability(entries).warnings).toEqual([]);
    const { html } = await renderReport(entries);
    expect(starred(html)).toEqual(['4']);
    expect(html).toContain('✓ Comparable');
  });

  it('a run and a result sharing a metric are checked against each other', async () => {
    const run = writeFakeRun(join(dir, 'img-run'), { model: 'dcgan' });
    appendFileSync(join(run, 'metrics.jsonl'), `${JSON.stringify({ step: 1000, elapsed: 10, metric: 'fid', value: 3 })}\n`);
    const result = writeFakeResult(join(dir, 'inception.json'), { fid: 12 });
    const { entries } = await loadInputs([run, result]);
    const comp = checkComparability(entries);
    expect(comp.unranked.has('fid')).toBe(true);
    expect(comp.warnings.join('\n')).toMatch(/^runs and results used different feature extractors: none \(raw samples\) \(img-run\) vs inception \(inception\)/m);
    const { html } = await renderReport(entries);
    expect(starred(html)).not.toContain('3');
  });

  it("an image run's FID (embedded mnist classifier) is not ranked against a result's Inception FID", async () => {
    const run = writeFakeRun(join(dir, 'mnist-run'), { model: 'dcgan' });
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(run, 'config.json'), JSON.stringify({ ...config, data: { name: 'mnist', imageSize: 28 }, evalSamples: 1000, evalReal: 1000 }));
    appendFileSync(join(run, 'metrics.jsonl'), `${JSON.stringify({ step: 1000, elapsed: 10, metric: 'fid', value: 3 })}\n`);
    const result = writeFakeResult(join(dir, 'inception-1000.json'), { fid: 12, n: 1000 });
    const { entries } = await loadInputs([run, result]);
    expect(entries[0]!.provenance).toMatchObject({ extractor: 'embedded classifier of the data set', n: '1000 / 1000', data: 'mnist (28 px)' });
    const comp = checkComparability(entries);
    expect(comp.warnings.join('\n')).toMatch(
      /^runs and results used different feature extractors: embedded classifier of the data set \(mnist-run\) vs inception \(inception-1000\) — fid not ranked$/m,
    );
    expect(comp.warnings.join('\n')).not.toMatch(/sample counts/);
    const stars = starred((await renderReport(entries)).html);
    expect(stars).not.toContain('3');
    expect(stars).not.toContain('12');
  });

  it("a run's data.sha256 and a result's reference sha256 are compared with each other", async () => {
    const sha = 'c'.repeat(64);
    const run = writeFakeRun(join(dir, 'sha-run'), { model: 'gan' });
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
    const withData = (sha256: string) => writeFileSync(join(run, 'config.json'), JSON.stringify({ ...config, data: { name: '/data/points.npy', sha256 } }));
    appendFileSync(join(run, 'metrics.jsonl'), `${JSON.stringify({ step: 1000, elapsed: 10, metric: 'fid', value: 3 })}\n`);
    const result = evalResult('sha-result', 5, 16, 'elsewhere/points.npy', sha);
    const dataDiffers = async () => checkComparability((await loadInputs([run, result])).entries).differing.some((d) => d.has('data'));
    withData(sha);
    expect(await dataDiffers()).toBe(false);
    withData('d'.repeat(64));
    expect(await dataDiffers()).toBe(true);
  });

  it('a run and a result that share no metric do not make the page incomparable', async () => {
    const run = writeFakeRun(join(dir, 'ring-run'), { model: 'gan' });
    const { entries } = await loadInputs([run, writeFakeResult(join(dir, 'other.json'), { fid: 12 })]);
    expect(checkComparability(entries).warnings).toEqual([]);
  });
});
