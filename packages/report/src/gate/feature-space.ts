/**
 * The feature space a gate's numbers were measured in, as results record it (`inputs[].extractor`
 * and `.profile` of image inputs, `details.feature_space`). A Fréchet distance in DINOv2 space is
 * on another scale than Inception FID, and a KID or CMMD changes with the extractor, its weights
 * and the preprocessing profile as well: a bound set in one space says nothing of a value in
 * another, so the gate refuses such a comparison instead of passing or failing on it.
 */
import { quoteInput } from '@gen-eval/metrics/errors';

/** The extractor (network, weights hash, output) and profile of a result's image inputs. */
export interface RecordedSpace {
  readonly extractor: string;
  readonly profile?: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The distinct string values of `key` over `objects`, joined (`a / b`), or undefined when none. */
function joined(objects: readonly Record<string, unknown>[], key: string): string | undefined {
  const values = [...new Set(objects.map((o) => o[key]).filter((v): v is string => typeof v === 'string'))];
  return values.length > 0 ? values.join(' / ') : undefined;
}

/**
 * The feature space a result object records, or undefined when it records none (features read
 * from `.npy`/`.npz` files, whose extractor only their maker knows; a run's summary).
 */
export function recordedSpace(obj: unknown): RecordedSpace | undefined {
  if (!isRecord(obj)) return undefined;
  const images = (Array.isArray(obj.inputs) ? obj.inputs : []).filter(isRecord).filter((i) => typeof i.extractor === 'string');
  const details = isRecord(obj.details) && isRecord(obj.details.feature_space) ? [obj.details.feature_space] : [];
  const from = images.length > 0 ? images : details;
  const extractor = joined(from, 'extractor');
  if (extractor === undefined) return undefined;
  const profile = joined(from, 'profile');
  return { extractor, ...(profile !== undefined ? { profile } : {}) };
}

/** `extractor inception@6726825d:2048 vs dinov2@…`, or undefined when both spaces agree. */
export function spaceDifference(a: RecordedSpace, b: RecordedSpace): string | undefined {
  const parts: string[] = [];
  if (a.extractor !== b.extractor) parts.push(`extractor ${quoteInput(a.extractor, 60)} vs ${quoteInput(b.extractor, 60)}`);
  if (a.profile !== b.profile) parts.push(`profile ${a.profile ?? 'not recorded'} vs ${b.profile ?? 'not recorded'}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Whether results of `extractor` belong to the space a thresholds file declares: its whole name,
 * or its network (`inception` matches `inception@6726825d:2048`, `dinov2` matches `dinov2@…`).
 */
export function inDeclaredSpace(declared: string, extractor: string): boolean {
  return extractor === declared || extractor.startsWith(`${declared}@`) || extractor.startsWith(`${declared}:`);
}
