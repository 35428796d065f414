/**
 * A run's baselines (config.json `baselines`, e.g. a super-resolution run's bicubic upsampling):
 * a dashed reference line on the charts of their metrics and a line on the run's card, so the
 * page shows the gain; a malformed record is a one-line error naming config.json.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaths } from '@gen-eval/metrics/runs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { readRun } from './read-run.js';

const root = mkdtempSync(join(tmpdir(), 'report-baselines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake run with an FID history and config.json's `baselines` set to `baselines` (when given). */
function runWith(name: string, baselines?: unknown): string {
  const dir = writeFakeRun(join(root, name), { model: 'srgan', steps: [250, 500] });
  const paths = runPaths(dir);
  appendFileSync(paths.metrics, [250, 500].map((s) => `{"step":${s},"elapsed":1,"metric":"fid","value":${s === 250 ? 90 : 60}}\n`).join(''));
  if (baselines !== undefined) writeFileSync(paths.config, JSON.stringify({ ...JSON.parse(readFileSync(paths.config, 'utf8')), baselines }));
  return dir;
}

const bicubic = { label: 'bicubic ×2 (Pillow’s bicubic upsampling of the held-out inputs)', metrics: { fid: 75.5, kid_mean: 0.02, kid_std: 0.001, psnr: null } };

describe('a run’s baselines', () => {
  it('are read from config.json, drawn as a labelled reference line on their metric’s chart and listed on the card', async () => {
    const run = await readRun(runWith('sr', { bicubic }), 'sr');
    expect(run.baselines).toEqual([{ name: 'bicubic', ...bicubic }]);
    const { html } = await renderReport([run]);
    expect(html).toContain(
      '<p class="stats baseline">baseline bicubic — bicubic ×2 (Pillow’s bicubic upsampling of the held-out inputs): fid <b>75.5</b> · kid_mean <b>0.02 ± 0.001</b></p>',
    );
    // The FID chart has the dashed rule and its label; a run without baselines draws neither.
    const fidChart = html.slice(html.indexOf('aria-label="FID'), html.indexOf('</svg>', html.indexOf('aria-label="FID')));
    expect(fidChart).toContain('stroke-dasharray="5,3"');
    expect(fidChart).toContain('>bicubic</text>');
    const plain = (await renderReport([await readRun(runWith('plain'), 'plain')])).html;
    expect(plain).not.toContain('>bicubic</text>');
    expect(plain).not.toContain('class="stats baseline"');
  });

  it('a malformed record is one line naming config.json', async () => {
    const dir = runWith('bad', { bicubic: { label: 'x', metrics: { fid: 'high' } } });
    await expect(readRun(dir, 'bad')).rejects.toThrow(`${runPaths(dir).config}: "baselines" must be {"<name>": {"label": "<text>", "metrics"`);
  });
});
