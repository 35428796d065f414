import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricSpec } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { metricInfo } from './metric-direction.js';
import { readRun } from './read-run.js';
import { chartSections } from './sections.js';
import { metricColumns } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'report-run-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lossSpec = (label: string) => ({ label, direction: 'lower', range: [null, null], unit: '', kind: 'loss' });

describe("a run's declared metrics (config.json `metrics`)", () => {
  // First: the table is process-wide, and a declaring run read before would name g_loss.
  it("an older run's undeclared keys are charted as its losses under their own names, never table columns", async () => {
    const run = await readRun(writeFakeRun(join(dir, 'old'), { model: 'ns-gan' }), 'old');
    expect(metricColumns([run])).toEqual(['modes_covered', 'high_quality', 'reverse_kl', 'sliced_w', 'mmd']);
    const { losses } = await chartSections([run]);
    expect(losses).toContain('g_loss against training step');
  });

  it('label and direct its losses without the models package; they stay out of the comparison table', async () => {
    // edge_loss: a key of a family the metric table has never heard of.
    const declared = { d_loss: lossSpec('discriminator loss'), g_loss: lossSpec('generator loss'), edge_loss: { ...lossSpec('edge loss'), range: [0, null] } };
    const run = await readRun(writeFakeRun(join(dir, 'declared'), { model: 'gan', declared }), 'declared');
    expect(metricInfo('d_loss')).toMatchObject({ label: 'discriminator loss', higherIsBetter: false, group: 'loss' });
    expect(metricInfo('edge_loss')).toMatchObject({ label: 'edge loss', higherIsBetter: false, group: 'loss' });
    expect(metricSpec('edge_loss')?.range).toEqual([0, Infinity]);
    expect(metricColumns([run])).not.toContain('d_loss');
    const { quality, losses } = await chartSections([run]);
    expect(losses).toContain('discriminator loss against training step');
    expect(quality).not.toContain('discriminator loss');
  });

  it('a declared label is untrusted text: escaped on the page like a metric name', async () => {
    const label = '<img src=x onerror=alert(1)> loss & "co"';
    const run = await readRun(
      writeFakeRun(join(dir, 'hostile'), { model: 'x-gan', declared: { d_loss: lossSpec('discriminator loss'), g_loss: lossSpec('generator loss'), h_loss: lossSpec(label) } }),
      'hostile',
    );
    const { html } = await renderReport([{ ...run, series: [...run.series, { step: 1, metric: 'h_loss', value: 1 }] }]);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; loss &amp;');
  });

  it.each([
    ['not an object', [1, 2], /"metrics" must be an object of metric specs/],
    ['a bad direction', { x_loss: { ...lossSpec('x'), direction: 'up' } }, /"metrics\.x_loss\.direction" must be higher, lower, none/],
    ['a bad range', { x_loss: { ...lossSpec('x'), range: [2, 1] } }, /"metrics\.x_loss\.range" must be \[min, max\]/],
    ['a built-in metric redefined', { fid: lossSpec('fid') }, /metric "fid" is already declared as "FID"/],
    ['a parameter declared a metric', { seed: lossSpec('seed') }, /metric "seed" is a parameter key/],
    ['a key declared by another run differently', { d_loss: lossSpec('critic loss') }, /metric "d_loss" is already declared as "discriminator loss"/],
  ])('%s is a one-line error naming config.json', async (name, declared, problem) => {
    const run = writeFakeRun(join(dir, `bad-${name.replace(/\W+/g, '-')}`), { model: 'gan', declared });
    const err = await readRun(run, 'bad').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/config\.json: /);
    expect((err as Error).message).toMatch(problem);
    expect((err as Error).message).not.toContain('\n');
  });
});
