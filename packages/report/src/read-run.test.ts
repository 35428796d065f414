import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeNpy } from '@gen-eval/metrics';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { loadInputs } from './load.js';
import { readRun } from './read-run.js';
import { bestEntries } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'report-read-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a diverged run', () => {
  const diverged = { step: 1000, reason: 'g_loss is NaN' };
  // The diverged run's final modes_covered (8) would otherwise beat the healthy run's 3.
  const bad = writeFakeRun(join(dir, 'runs', 'blown-up'), { model: 'gan', diverged });
  const good = writeFakeRun(join(dir, 'runs', 'healthy'), { model: 'gan', modes: [0, 1, 2] });

  it('is marked, with the step and the reason', async () => {
    const run = await readRun(bad, 'blown-up');
    expect(run.diverged).toEqual(diverged);
    expect(run.notes).toContain('diverged at step 1000: g_loss is NaN');
  });

  it('is never starred, nor named best', async () => {
    const { entries } = await loadInputs([bad, good]);
    expect(bestEntries(entries, 'modes_covered')).toEqual([1]);
    const { html } = await renderReport(entries);
    expect(html).toContain('<span class="badge diverged" title="step 1000: g_loss is NaN">diverged</span>');
    expect(html).toContain('blown-up diverged at step 1000 (g_loss is NaN): its values are never ranked.');
    expect(html).not.toMatch(/★ <b>blown-up<\/b>/);
  });

  it('its all-NaN samples are called not finite, not "outside the view"', async () => {
    const { entries } = await loadInputs([bad]);
    expect(entries[0]!.points?.nonFinite).toBe(400);
    const { html } = await renderReport(entries);
    expect(html).toContain('none of the 400 points is finite (all NaN or ±∞), nothing to draw');
    expect(html).not.toMatch(/outside the view/);
  });

  it('its NaN and ∞ values are named on the page, not silently dropped from the charts', async () => {
    const { entries } = await loadInputs([bad, good]);
    expect(entries[0]!.notes).toEqual(
      expect.arrayContaining([
        'sliced_w: 1 of 4 values not finite (NaN, ±∞ or n/a), from step 1000: not drawn',
        'mmd: 1 of 4 values not finite (NaN, ±∞ or n/a), from step 1000: not drawn',
      ]),
    );
    const { html } = await renderReport(entries);
    expect(html).toContain('<figcaption class="note">Not drawn, not a finite number: blown-up (1).</figcaption>');
    expect(html).toContain('<p class="note">sliced_w: 1 of 4 values not finite (NaN, ±∞ or n/a), from step 1000: not drawn</p>');
  });

  it('some non-finite points: counted apart from the finite ones outside the view', async () => {
    const run = writeFakeRun(join(dir, 'partly'), { model: 'gan' });
    const xy = new Float32Array(2 * 10).fill(0.5);
    xy.set([NaN, 1, Infinity, 0, 1e6, 1e6], 0); // two non-finite points, one far away
    writeNpy(join(run, 'samples', 'step-0001000.npy'), xy, [10, 2]);
    const { html } = await renderReport((await loadInputs([run])).entries);
    expect(html).toContain('(10 points, 2 not finite (NaN or ±∞), not drawn, 1 outside the view)');
  });

  it('a malformed "diverged" is a one-line error naming summary.json', async () => {
    const odd = writeFakeRun(join(dir, 'odd'), { model: 'gan' });
    const file = join(odd, 'summary.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), diverged: 'yes' }));
    await expect(readRun(odd, 'odd')).rejects.toThrow(`${file}: "diverged" must be {"step": <integer>, "reason": "<text>"}`);
  });
});
