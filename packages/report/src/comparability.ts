/**
 * Whether the numbers on one page may be compared. FID and friends change with the feature
 * extractor, its weights, the image preprocessing profile and the sample count; a run's metrics
 * change with its data set and the number of points each evaluation generates. Any difference
 * among entries of the same kind is a visible warning, and its cells are marked in the table.
 */
import type { Provenance, ReportEntry } from './model.js';

/** The provenance fields checked, per kind of entry, with the phrase of the warning. */
const CHECKS: Readonly<Record<ReportEntry['kind'], readonly (readonly [keyof Provenance, string])[]>> = {
  result: [
    ['extractor', 'feature extractors'],
    ['weights', 'extractor weights'],
    ['profile', 'preprocessing profiles'],
    ['n', 'sample counts (FID and KID are biased in n)'],
  ],
  run: [
    ['data', 'data sets'],
    ['evalSamples', 'evaluation sample counts'],
  ],
};

export interface Comparability {
  /** One line per difference, e.g. "results a, b used different feature extractors: inception (a) vs onnx@… (b)". */
  readonly warnings: string[];
  /** Fields that differ, per kind: their cells are flagged on the page. */
  readonly differing: Readonly<Record<ReportEntry['kind'], ReadonlySet<keyof Provenance>>>;
}

const NOT_RECORDED = 'not recorded';

/** Compares the provenance of the entries of each kind. */
export function checkComparability(entries: readonly ReportEntry[]): Comparability {
  const warnings: string[] = [];
  const differing = { result: new Set<keyof Provenance>(), run: new Set<keyof Provenance>() };
  for (const kind of ['run', 'result'] as const) {
    const group = entries.filter((e) => e.kind === kind);
    if (group.length < 2) continue;
    for (const [field, phrase] of CHECKS[kind]) {
      const values = group.map((e) => (e.provenance[field] === undefined ? NOT_RECORDED : String(e.provenance[field])));
      const distinct = [...new Set(values)];
      // Nothing recorded anywhere (e.g. runs have no extractor): nothing to tell apart.
      if (distinct.length < 2) continue;
      differing[kind].add(field);
      const parts = distinct.map(
        (v) =>
          `${v} (${group
            .filter((_, i) => values[i] === v)
            .map((e) => e.label)
            .join(', ')})`,
      );
      warnings.push(`${kind === 'run' ? 'runs' : 'results'} used different ${phrase}: ${parts.join(' vs ')}`);
    }
  }
  return { warnings, differing };
}
