/**
 * Reads a result file written by `gen-eval eval|fid|kid|… --json`: a flat JSON object whose
 * numeric top-level keys are metrics (parameters such as `n_real` or `seed` excepted), with
 * optional `inputs` (paths, or objects carrying extractor, profile and the content's sha256) and
 * `details`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { weightsHashOf } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import { isRunSummary } from './input-kind.js';
import { isMetricKey, isSpreadKey, metricInfo } from './metric-direction.js';
import type { Provenance, ReportEntry } from './report-data.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `seed`-like number in the object and its `details` (one level down), as "key value". */
function seedsOf(obj: Json): string[] {
  const out: string[] = [];
  const scan = (o: Json, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (/seed/i.test(k) && (typeof v === 'number' || v === null)) out.push(`${prefix}${k} ${v}`);
    }
  };
  scan(obj, '');
  if (isObject(obj.details)) for (const [k, v] of Object.entries(obj.details)) if (isObject(v)) scan(v, `${k}.`);
  return out;
}

function provenanceOf(obj: Json): Provenance {
  const inputs = Array.isArray(obj.inputs) ? obj.inputs : [];
  const described = inputs.map((i): Json => (isObject(i) ? i : { path: i }));
  const pick = (key: string) => {
    const values = [
      ...new Set(
        described
          .map((i) => i[key])
          .filter((v) => typeof v === 'string' || typeof v === 'number')
          .map(String),
      ),
    ];
    return values.length ? values.join(' / ') : undefined;
  };
  // Feature files (.npy/.npz) carry no extractor: whoever made them chose it, so say so.
  const kinds = pick('kind');
  const extractor = pick('extractor') ?? (typeof obj.extractor === 'string' ? obj.extractor : kinds ? `unknown (${kinds} inputs)` : undefined);
  const weights = pick('weights') ?? (extractor ? weightsHashOf(extractor) : undefined);
  const ns = described.map((i) => i.n).filter((v) => typeof v === 'number');
  const nTop = Array.isArray(obj.n) ? obj.n : typeof obj.n_real === 'number' ? [obj.n_real, obj.n_fake] : typeof obj.n === 'number' ? [obj.n] : [];
  // `eval` of feature files records the counts and dimensions only per metric, under details.
  const details = isObject(obj.details) ? Object.values(obj.details).filter(isObject) : [];
  const nDetails = details.find((d) => typeof d.n1 === 'number');
  const n = (ns.length ? ns : nTop.length ? nTop : nDetails ? [nDetails.n1, nDetails.n2] : []).map(String).join(' / ');
  const dims = [...new Set([obj.dims, ...details.map((d) => d.dims)].filter((v) => typeof v === 'number'))].join(' / ');
  const seeds = seedsOf(obj).join(', ');
  const reference = described[0]?.path;
  const referenceSha = described[0]?.sha256;
  return {
    ...(extractor ? { extractor } : {}),
    ...(weights ? { weights } : {}),
    ...(dims ? { dims } : {}),
    ...(pick('profile') ? { profile: pick('profile')! } : {}),
    ...(n ? { n } : {}),
    ...(seeds ? { seeds } : {}),
    ...(typeof reference === 'string' ? { data: reference } : {}),
    ...(typeof referenceSha === 'string' && /^[0-9a-f]{64}$/.test(referenceSha) ? { dataSha256: referenceSha } : {}),
  };
}

/** Reads a result file; throws a one-line input error when it is not JSON or has no metric. */
export function readResult(file: string, label: string): ReportEntry {
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw inputError(file, e.code ? `cannot read (${e.code})` : `not a gen-eval result (not valid JSON: ${e.message})`);
  }
  if (!isObject(obj)) throw inputError(file, 'not a gen-eval result (expected a JSON object of metrics)');
  const metrics: Record<string, number | null> = {};
  let count = 0;
  // A run summary away from its run folder: its metrics are its `metrics` object (as `check` reads it).
  const source: Json = isRunSummary(obj) ? obj.metrics : obj;
  for (const [k, v] of Object.entries(source)) {
    // null is kept for known metrics only (reverse_kl is null when no point is near a mode).
    if (typeof v !== 'number' && !(v === null && metricInfo(k).higherIsBetter !== undefined)) continue;
    if (isMetricKey(k)) count++;
    else if (!isSpreadKey(k)) continue;
    metrics[k] = v;
  }
  if (count === 0) throw inputError(file, 'no metric in it (no numeric top-level key such as "fid" or "kid_mean")');
  return { kind: 'result', label, path: file, metrics, series: [], provenance: provenanceOf(obj), images: [], notes: [] };
}

/** The label of a result file: its name without `.json`. */
export const resultLabel = (file: string) => basename(file).replace(/\.json$/i, '');
