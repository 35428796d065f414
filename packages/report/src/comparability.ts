/**
 * Whether the numbers on one page may be compared. A metric's scale changes with the feature
 * extractor, its weights, the feature dimensions, the image preprocessing profile, the sample
 * counts (real and generated) and the data or reference set. Wherever two entries — runs or
 * result files alike — share a metric column, every one of these must match (as recorded; a
 * field recorded on one side only is a difference): otherwise the page warns, flags their
 * provenance cells and does not rank that column. The data set is compared by its content's
 * SHA-256 where both entries recorded one, and by its name (path) otherwise.
 */
import type { Provenance, ReportEntry } from './report-data.js';
import { metricColumns } from './table.js';

/** The provenance fields that change a metric's scale, with the phrase of the warning. */
const FIELDS: readonly (readonly [keyof Provenance, string])[] = [
  ['data', 'data sets'],
  ['extractor', 'feature extractors'],
  ['weights', 'extractor weights'],
  ['dims', 'feature dimensions'],
  ['profile', 'preprocessing profiles'],
  ['n', 'sample counts (FID and KID are biased in n)'],
];

export interface Comparability {
  /** One line per difference, e.g. "results used different feature extractors: inception (a) vs onnx@… (b)". */
  readonly warnings: string[];
  /** Per entry (same order), the provenance fields that differ from an entry it shares a column with. */
  readonly differing: readonly ReadonlySet<keyof Provenance>[];
  /** Metric columns whose values were measured differently: they get no ★. */
  readonly unranked: ReadonlySet<string>;
}

const NOT_RECORDED = 'not recorded';

const valueOf = (e: ReportEntry, field: keyof Provenance) => (e.provenance[field] === undefined ? NOT_RECORDED : String(e.provenance[field]));

/** How a difference names an entry's value: a result's reference set with its hash, when it has one (runs name theirs already). */
function shownValue(e: ReportEntry, field: keyof Provenance): string {
  const sha = e.provenance.dataSha256;
  return field === 'data' && e.kind === 'result' && sha !== undefined ? `${valueOf(e, field)} (sha256 ${sha.slice(0, 8)})` : valueOf(e, field);
}

/** Whether two entries differ in `field`: the data by content where both have its hash, else by name. */
function differs(a: ReportEntry, b: ReportEntry, field: keyof Provenance): boolean {
  if (field === 'data' && a.provenance.dataSha256 !== undefined && b.provenance.dataSha256 !== undefined) return a.provenance.dataSha256 !== b.provenance.dataSha256;
  return valueOf(a, field) !== valueOf(b, field);
}

/** "runs", "results" or "runs and results", for the entries involved in a difference. */
function kindsOf(group: readonly ReportEntry[]): string {
  const kinds = new Set(group.map((e) => e.kind));
  return kinds.size > 1 ? 'runs and results' : kinds.has('run') ? 'runs' : 'results';
}

/** Compares the provenance of every pair of entries that share a metric column. */
export function checkComparability(entries: readonly ReportEntry[]): Comparability {
  const differing = entries.map(() => new Set<keyof Provenance>());
  const unranked = new Set<string>();
  const involved = new Map<keyof Provenance, { entries: Set<number>; columns: string[] }>();
  for (const column of metricColumns(entries)) {
    const sharing = entries.flatMap((e, i) => (typeof e.metrics[column] === 'number' ? [i] : []));
    if (sharing.length < 2) continue;
    for (const [field] of FIELDS) {
      const pairs = sharing.flatMap((i, x) => sharing.slice(x + 1).flatMap((j) => (differs(entries[i]!, entries[j]!, field) ? [[i, j] as const] : [])));
      if (pairs.length === 0) continue;
      unranked.add(column);
      const inv = involved.get(field) ?? { entries: new Set<number>(), columns: [] };
      involved.set(field, inv);
      inv.columns.push(column);
      for (const i of pairs.flat()) {
        differing[i]!.add(field);
        inv.entries.add(i);
      }
    }
  }
  const warnings: string[] = [];
  for (const [field, phrase] of FIELDS) {
    const inv = involved.get(field);
    if (!inv) continue;
    const group = [...inv.entries].sort((a, b) => a - b).map((i) => entries[i]!);
    const values = group.map((e) => shownValue(e, field));
    const parts = [...new Set(values)].map(
      (v) =>
        `${v} (${group
          .filter((_, i) => values[i] === v)
          .map((e) => e.label)
          .join(', ')})`,
    );
    const what = field === 'data' && group.some((e) => e.kind === 'result') ? 'data / reference sets' : phrase;
    warnings.push(`${kindsOf(group)} used different ${what}: ${parts.join(' vs ')} — ${inv.columns.join(', ')} not ranked`);
  }
  return { warnings, differing, unranked };
}
