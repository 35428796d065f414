/**
 * The condition grid of an image run (samples/step-N-condition.png) beside its sample grid,
 * captioned from config.json's `conditionGrid`; absent for unconditioned and older runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaths } from '@gen-eval/metrics/runs';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyPng, writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { readRun } from './read-run.js';

const root = mkdtempSync(join(tmpdir(), 'report-condition-grid-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake image run: a sample grid at each step, condition grids at `conditionSteps`, and config.json's `conditionGrid` (when given). */
function imageRun(name: string, o: { conditionSteps?: readonly number[]; record?: unknown } = {}): string {
  const dir = writeFakeRun(join(root, name), { model: 'cgan', steps: [250, 500] });
  const paths = runPaths(dir);
  for (const step of [250, 500]) writeFileSync(paths.grid(step), tinyPng(8, step));
  for (const step of o.conditionSteps ?? []) writeFileSync(paths.conditionGrid(step), tinyPng(12, step));
  if (o.record !== undefined) writeFileSync(paths.config, JSON.stringify({ ...JSON.parse(readFileSync(paths.config, 'utf8')), conditionGrid: o.record }));
  return dir;
}

const labels = { kind: 'label', rows: Array.from({ length: 10 }, (_, i) => `class ${i}`), columns: '8 draws a row, the same noise down each column' };

describe('the condition grid', () => {
  it('the latest is shown beside the sample grid, captioned from config.json', async () => {
    const dir = imageRun('cgan', { conditionSteps: [250, 500], record: labels });
    const run = await readRun(dir, 'cgan');
    expect(run.images.map((i) => i.name)).toEqual(['step-0000500.png']);
    expect(run.conditionGrid).toMatchObject({ step: 500, name: 'step-0000500-condition.png', rows: labels.rows, columns: labels.columns });
    expect(run.conditionGrid!.dataUrl).toBe(`data:image/png;base64,${tinyPng(12, 500).toString('base64')}`);
    const { html } = await renderReport([run]);
    expect(html).toContain('<figcaption>Condition grid at step 500: rows: class 0 … class 9; columns: 8 draws a row, the same noise down each column.</figcaption>');
    expect(html).toContain(`title="step-0000500-condition.png: ${labels.rows.join(', ')}"`);
  });

  it('two rows read top and bottom; recorded text is escaped', async () => {
    const record = { kind: 'image', rows: ['input (domain A: <b>a&b</b>)', 'translation (domain B: "x")'], columns: '8 held-out inputs, each above its translation' };
    const { html } = await renderReport([await readRun(imageRun('cyclegan', { conditionSteps: [500], record }), 'cyclegan')]);
    expect(html).toContain(
      '<figcaption>Condition grid at step 500: top: input (domain A: &lt;b&gt;a&amp;b&lt;/b&gt;), bottom: translation (domain B: &quot;x&quot;); columns: 8 held-out inputs, each above its translation.</figcaption>',
    );
    expect(html).not.toContain('<b>a&b</b>');
  });

  it('three rows (a paired run’s input | output | target) read top, middle and bottom', async () => {
    const record = {
      kind: 'image',
      rows: ['input (14×14, shown ×2 by pixel repetition)', 'output (the model’s translation of the input above)', 'target (mnist, 28×28)'],
      columns: '8 held-out pairs, each input above its output above its target',
    };
    const { html } = await renderReport([await readRun(imageRun('srgan', { conditionSteps: [500], record }), 'srgan')]);
    expect(html).toContain(
      '<figcaption>Condition grid at step 500: top: input (14×14, shown ×2 by pixel repetition), middle: output (the model’s translation of the input above), bottom: target (mnist, 28×28); columns: 8 held-out pairs, each input above its output above its target.</figcaption>',
    );
  });

  it('a grid without a record is shown as such; a malformed record is a one-line error naming config.json', async () => {
    const { html } = await renderReport([await readRun(imageRun('unrecorded', { conditionSteps: [500] }), 'unrecorded')]);
    expect(html).toContain('Condition grid at step 500: rows and columns not recorded in config.json.');
    const bad = imageRun('bad', { conditionSteps: [500], record: { kind: 'label', rows: 'class 0' } });
    await expect(readRun(bad, 'bad')).rejects.toThrow(`${runPaths(bad).config}: "conditionGrid" must be {"kind"`);
  });

  it('is absent for an unconditioned run and a run of an older version', async () => {
    for (const name of ['ns-gan', 'old']) {
      const run = await readRun(imageRun(name), name);
      expect(run.conditionGrid).toBeUndefined();
      expect(run.images.map((i) => i.name)).toEqual(['step-0000500.png']);
      expect((await renderReport([run])).html).not.toContain('Condition grid');
    }
  });

  it('is never taken for a sample image of a run without sample grids', async () => {
    const dir = writeFakeRun(join(root, 'pngs'), { model: 'gan', pngs: 2 });
    writeFileSync(runPaths(dir).conditionGrid(1000), tinyPng(12, 1));
    const run = await readRun(dir, 'pngs');
    expect(run.images.map((i) => i.name)).toEqual(['image-000.png', 'image-001.png']);
    expect(run.conditionGrid?.step).toBe(1000);
  });
});
