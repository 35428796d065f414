/**
 * The report's two CSV files (and any other CSV gen-eval writes), with csv-stringify (quoting, embedded commas and newlines).
 * Text cells come from untrusted names (run folders, config values, metric keys): one that
 * starts with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL would open as a formula in a
 * spreadsheet, so it gets a leading `'` (OWASP's CSV-injection advice). Numbers stay numbers.
 */
import { stringify } from 'csv-stringify/sync';
import type { ReportEntry } from './report-data.js';
import { tableRecords } from './table.js';

/** OWASP's list (=, +, -, @, tab, CR) and ASVS 1.2.10's NUL. */
const FORMULA_START = /^[=+\-@\t\r\0]/;

/** A text cell made inert for spreadsheets: `'` before a leading formula character. */
export function csvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows as CSV text (csv-stringify), every string cell (header included) passed through {@link csvText}. */
export const toCsv = (records: readonly (readonly (string | number)[])[]): string => stringify(records as (string | number)[][], { cast: { string: csvText } });

/** The comparison table as CSV: one row per run or result file, one column per metric (and spread). */
export function tableCsv(entries: readonly ReportEntry[]): string {
  const { header, rows } = tableRecords(entries);
  return toCsv([header, ...rows]);
}

/**
 * Every value as a (run, step, metric, value) row: each metrics.jsonl record of the runs, and the
 * metrics of result files with an empty step. A null value (e.g. reverse KL with no point near a
 * mode) is an empty cell.
 */
export function rowsCsv(entries: readonly ReportEntry[]): string {
  const rows: (string | number)[][] = [['run', 'step', 'metric', 'value']];
  for (const e of entries) {
    if (e.kind === 'run') for (const p of e.series) rows.push([e.label, p.step, p.metric, p.value ?? '']);
    else for (const [k, v] of Object.entries(e.metrics)) rows.push([e.label, '', k, v ?? '']);
  }
  return toCsv(rows);
}
