/**
 * `gen-eval report INPUTS… -o report.html [--title T] [--csv F] [--csv-rows F] [--skip-bad]`:
 * one self-contained HTML page comparing training runs and result files. Every output folder is
 * checked and every input read before anything is written, and the files are written together
 * and whole (atomically), so a failure never leaves a half-written report or only some of its files.
 */
import { writeFilesAtomic } from '@gen-eval/metrics';
import { findInputs, loadInputs, renderReport } from '@gen-eval/report';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputs, type OutputSpec } from '../output-path.js';

export interface ReportOptions extends OutputOptions {
  output: string;
  title?: string;
  csv?: string;
  csvRows?: string;
  skipBad?: boolean;
}

/** What an input argument reads: its runs and result files (a glob or a folder of runs expanded); itself when it cannot be read, which loadInputs reports. */
function readPaths(arg: string): string[] {
  try {
    return findInputs([arg]).map((f) => f.path);
  } catch {
    return [arg];
  }
}

export async function run(inputs: string[], opts: ReportOptions): Promise<void> {
  const outputs: OutputSpec[] = [
    { path: opts.output, option: '-o' },
    ...(opts.csv !== undefined ? [{ path: opts.csv, option: '--csv' }] : []),
    ...(opts.csvRows !== undefined ? [{ path: opts.csvRows, option: '--csv-rows' }] : []),
  ];
  checkOutputs({ inputs: inputs.flatMap(readPaths), outputs });
  const loaded = await loadInputs(inputs, { skipBad: opts.skipBad === true });
  const report = await renderReport(loaded.entries, { title: opts.title ?? 'gen-eval report', warnings: loaded.warnings });
  writeFilesAtomic([
    { path: opts.output, data: report.html },
    ...(opts.csv !== undefined ? [{ path: opts.csv, data: report.tableCsv }] : []),
    ...(opts.csvRows !== undefined ? [{ path: opts.csvRows, data: report.rowsCsv }] : []),
  ]);
  const runs = loaded.entries.filter((e) => e.kind === 'run').length;
  const results = loaded.entries.length - runs;
  const human = [
    `${opts.output}: report of ${runs} run${runs === 1 ? '' : 's'} and ${results} result file${results === 1 ? '' : 's'} (open it in any browser; it works offline)`,
    ...(opts.csv !== undefined ? [`${opts.csv}: comparison table (CSV)`] : []),
    ...(opts.csvRows !== undefined ? [`${opts.csvRows}: every (run, step, metric, value) row (CSV)`] : []),
  ].join('\n');
  emit(
    {
      output: opts.output,
      csv: opts.csv ?? null,
      csv_rows: opts.csvRows ?? null,
      runs,
      results,
      entries: loaded.entries.map((e) => ({ label: e.label, kind: e.kind, path: e.path, diverged: e.diverged ?? null })),
      comparable: report.warnings.length === 0,
    },
    opts,
    human,
    [
      ...loaded.warnings,
      ...report.warnings.map((w) => `not comparable: ${w}`),
      ...loaded.entries.flatMap((e) => (e.diverged ? [`${e.label} diverged at step ${e.diverged.step} (${e.diverged.reason}): never ranked`] : [])),
    ],
  );
}
