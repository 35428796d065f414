import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.js';
import { writeFakeResult, writeFakeRun } from './fake-runs.test-helper.js';
import { CONTENT_SECURITY_POLICY, renderReport } from './html-report.js';
import { loadInputs } from './load.js';
import type { ReportEntry } from './report-data.js';
import { bestEntries, formatMetric, metricColumns } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Enough CSV parsing for these files (no quoted commas in them). */
function parse(csv: string, _opts: { columns: true }): Record<string, string>[] {
  const [head, ...lines] = csv
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
  return lines.map((cells) => Object.fromEntries(head!.map((h, i) => [h, cells[i] ?? ''])));
}

const entry = (label: string, metrics: Record<string, number | null>): ReportEntry => ({
  kind: 'result',
  label,
  path: `${label}.json`,
  metrics,
  series: [],
  provenance: {},
  images: [],
  notes: [],
});

describe('comparison table', () => {
  const entries = [entry('dcgan <10k>', { fid: 31.5, is_mean: 6.1, is_std: 0.2, precision: 0.7 }), entry('wgan-gp', { fid: 24.25, is_mean: 5.9, recall: 0.4 })];

  it('ranks each metric in its direction', () => {
    expect(bestEntries(entries, 'fid')).toEqual([1]); // lower is better
    expect(bestEntries(entries, 'is_mean')).toEqual([0]); // higher is better
    expect(bestEntries(entries, 'unknown_thing')).toEqual([]); // not ranked
  });

  it('has one column per metric, spreads as ±, not as columns', () => {
    expect(metricColumns(entries)).toEqual(['fid', 'is_mean', 'precision', 'recall']);
    expect(formatMetric(entries[0]!, 'is_mean')).toBe('6.1 ± 0.2');
    expect(formatMetric(entries[1]!, 'precision')).toBe('—');
  });

  it('escapes labels and highlights the best cell', async () => {
    const { html } = await renderReport(entries);
    expect(html).toContain('dcgan &lt;10k&gt;');
    expect(html).toMatch(/<td class="best" data-sort="24.25">.*24.25/);
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
  });

  it('escaping never leaves markup characters', () => {
    fc.assert(fc.property(fc.string(), (s) => !/[<>"']/.test(escapeHtml(s))));
  });
});

describe('runs and results', () => {
  const runs = join(dir, 'runs');
  writeFakeRun(join(runs, 'gan-a'), { model: 'gan', modes: [0, 1, 2] });
  writeFakeRun(join(runs, 'ddpm-b'), { model: 'ddpm', seed: 1, pngs: 3 });
  const r1 = writeFakeResult(join(dir, 'inception.json'), { fid: 12 });
  const r2 = writeFakeResult(join(dir, 'dino.json'), { fid: 3, extractor: 'onnx@1a2b3c4d:224x224:nchw:imagenet:features' });

  it('reads a folder of runs and result files into one page with charts, samples and CSV', async () => {
    const { entries, warnings } = await loadInputs([runs, r1, r2]);
    expect(warnings).toEqual([]);
    expect(entries.map((e) => e.label)).toEqual(['ddpm-b', 'gan-a', 'inception', 'dino']);
    const gan = entries[1]!;
    expect(gan.points?.histogram).toHaveLength(4);
    expect(gan.points?.histogram.at(-1)?.counts.filter((c) => c > 0)).toHaveLength(3);
    expect(entries[0]!.images).toHaveLength(3);
    const report = await renderReport(entries, { title: 'T' });
    expect(report.html.match(/<svg /g)?.length).toBeGreaterThan(8);
    expect(report.html).not.toMatch(/(src|href)="(https?:|\/\/)/);
    // Different extractors (and weights) of the two result files: a visible warning.
    expect(report.warnings.join('\n')).toMatch(/different feature extractors/);
    expect(report.html).toContain('role="alert"');
    const table = parse(report.tableCsv, { columns: true });
    expect(table.map((r) => r.run)).toEqual(['ddpm-b', 'gan-a', 'inception', 'dino']);
    expect(Number(table[1]!.modes_covered)).toBe(3);
    expect(table[3]!.kid_std).toBe('0.001');
    const rows = parse(report.rowsCsv, { columns: true });
    expect(rows.filter((r) => r.run === 'gan-a')).toHaveLength(4 * 7);
  });

  it('ids of inline SVGs are unique on the page', async () => {
    const { entries } = await loadInputs([runs]);
    const { html } = await renderReport(entries);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('warns when runs used different data sets or eval sample counts', async () => {
    const other = writeFakeRun(join(dir, 'other', 'vae-c'), { model: 'vae', evalSamples: 200, data: 'ring' });
    const { entries } = await loadInputs([join(runs, 'gan-a'), other]);
    const { warnings } = await renderReport(entries);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/data sets: ring-easy \(gan-a\) vs ring \(vae-c\)/);
  });
});

describe('bad input', () => {
  it('names the file and line of a corrupt metrics.jsonl; --skip-bad renders the rest', async () => {
    const bad = writeFakeRun(join(dir, 'bad', 'broken'), { model: 'gan', corruptLine: 3 });
    const good = writeFakeRun(join(dir, 'bad', 'fine'), { model: 'gan' });
    await expect(loadInputs([bad, good])).rejects.toThrow(`${join(bad, 'metrics.jsonl')}:3: not a JSON object`);
    const { entries, warnings } = await loadInputs([bad, good], { skipBad: true });
    expect(entries.map((e) => e.label)).toEqual(['fine']);
    expect(warnings).toEqual([`left out: ${join(bad, 'metrics.jsonl')}:3: not a JSON object`]);
  });

  it('rejects a folder that is not a run and results without a metric', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(loadInputs([empty])).rejects.toThrow(`${empty}: not a gen-eval run`);
    const none = join(dir, 'none.json');
    writeFileSync(none, JSON.stringify({ metric: 'fid', n_real: 10, seed: 0 }));
    await expect(loadInputs([none])).rejects.toThrow(`${none}: no metric`);
  });

  it('expands globs itself', async () => {
    const { entries } = await loadInputs([join(dir, 'runs', '*-?')]);
    expect(entries.map((e) => e.label)).toEqual(['ddpm-b', 'gan-a']);
    await expect(loadInputs([join(dir, 'nothing-*')])).rejects.toThrow(/no run folder or .json file matches/);
  });
});
