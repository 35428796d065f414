/**
 * The metrics a run declares in its config.json (`metrics`: its family's losses, with label and
 * direction), joined to the metric table while the run is read, so that the report and the gate
 * know them without loading the models package. Runs of older versions declare none: their keys
 * the table does not know are still charted, under their own names, as training quantities.
 */
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import { registerMetrics, type Direction, type MetricKind, type MetricSpec } from '@gen-eval/metrics';

const DIRECTIONS: readonly Direction[] = ['higher', 'lower', 'none'];
const KINDS: readonly MetricKind[] = ['quality', 'loss', 'spread'];

/** One recorded spec, checked; a problem names the key. */
function specOf(key: string, v: unknown): MetricSpec | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `"metrics.${key}" must be an object`;
  const o = v as Record<string, unknown>;
  if (typeof o.label !== 'string' || typeof o.unit !== 'string') return `"metrics.${key}" needs a string label and unit`;
  if (!DIRECTIONS.includes(o.direction as Direction)) return `"metrics.${key}.direction" must be ${DIRECTIONS.join(', ')}`;
  if (!KINDS.includes(o.kind as MetricKind)) return `"metrics.${key}.kind" must be ${KINDS.join(', ')}`;
  const r = o.range;
  const end = (x: unknown, open: number) => (x === null ? open : typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const lo = Array.isArray(r) && r.length === 2 ? end(r[0], -Infinity) : undefined;
  const hi = Array.isArray(r) && r.length === 2 ? end(r[1], Infinity) : undefined;
  if (lo === undefined || hi === undefined || lo > hi) return `"metrics.${key}.range" must be [min, max] (null: unbounded) with min ≤ max`;
  return { label: o.label, direction: o.direction as Direction, range: [lo, hi], unit: o.unit, kind: o.kind as MetricKind };
}

/** Joins the run's declared metrics (config.json `metrics`) to the metric table; a bad or contradicting declaration is an input error naming `configPath`. */
export function declareRunMetrics(declared: unknown, configPath: string): void {
  if (declared === undefined) return;
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) throw inputError(configPath, '"metrics" must be an object of metric specs');
  const specs: Record<string, MetricSpec> = {};
  for (const [key, v] of Object.entries(declared)) {
    const spec = specOf(key, v);
    if (typeof spec === 'string') throw inputError(configPath, spec);
    specs[key] = spec;
  }
  try {
    registerMetrics(specs);
  } catch (err) {
    if (err instanceof GenEvalError) throw inputError(configPath, err.message);
    throw err;
  }
}
