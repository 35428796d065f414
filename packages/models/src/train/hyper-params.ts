/**
 * The one place where hyper-parameter ranges are enforced. Each family declares the range of each
 * of its number-valued hyper-parameters beside its default (`FamilyDefinition.ranges`); the two
 * that every family has are declared here. Values outside a range are refused before anything is
 * written (a zero latent size, a β1 of 5, a million critic steps that no signal can interrupt).
 */
import { internalError, usageError } from '@gen-eval/metrics/errors';
import type { FamilyDefinition, HpRange, HyperParams } from '../family.js';

/** Largest batch the CLI's `--batch-size` takes; images: the README's 1024 (a batch of 64 px RGB images is 50 MB). */
export const MAX_BATCH = { points: 65_536, images: 1024 } as const;

/** Ranges of the hyper-parameters common to every family. */
export const COMMON_RANGES: Readonly<Record<'batchSize' | 'lr', HpRange>> = {
  batchSize: { type: 'int', min: 1, max: MAX_BATCH.points, imageMax: MAX_BATCH.images },
  // No upper bound: a learning rate too large for the data shows as divergence, which the loop detects.
  lr: { type: 'real', min: 0, minExclusive: true },
};

/** Range of hyper-parameter `name` of `family` (its own declaration, else the common one). */
export function rangeOf(family: Pick<FamilyDefinition, 'name' | 'ranges'>, name: string): HpRange {
  const r = (family.ranges as Readonly<Record<string, HpRange | undefined>>)[name] ?? (COMMON_RANGES as Readonly<Record<string, HpRange | undefined>>)[name];
  if (!r) throw internalError(`${family.name} declares no range for its hyper-parameter "${name}"`);
  return r;
}

/** The range in words: "an integer from 1 to 4096", "a number in (0, 1)", "a number > 0". */
export function describeRange(r: HpRange, image: boolean): string {
  const max = image && r.imageMax !== undefined ? Math.min(r.imageMax, r.max ?? Infinity) : r.max;
  const what = r.type === 'int' ? (r.even ? 'an even integer' : 'an integer') : 'a number';
  const closedInt = r.type === 'int' && !r.minExclusive && !r.maxExclusive;
  if (r.min !== undefined && max !== undefined) {
    if (closedInt) return `${what} from ${r.min} to ${max}`;
    return `${what} in ${r.minExclusive ? '(' : '['}${r.min}, ${max}${r.maxExclusive ? ')' : ']'}`;
  }
  if (r.min !== undefined) return `${what} ${r.minExclusive ? '>' : '≥'} ${r.min}`;
  if (max !== undefined) return `${what} ${r.maxExclusive ? '<' : '≤'} ${max}`;
  return what;
}

/** True when `v` lies in `r` (on image data when `image`). */
export function inRange(v: number, r: HpRange, image: boolean): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.type === 'int' && !Number.isInteger(v)) return false;
  if (r.even && v % 2 !== 0) return false;
  if (r.min !== undefined && (r.minExclusive ? v <= r.min : v < r.min)) return false;
  const max = image && r.imageMax !== undefined ? Math.min(r.imageMax, r.max ?? Infinity) : r.max;
  if (max !== undefined && (r.maxExclusive ? v >= max : v > max)) return false;
  return true;
}

/**
 * Hyper-parameter `name` of `family` given as `raw` (a number, or the text of `--hp NAME=VALUE`),
 * checked against its declared range; a one-line usage error otherwise.
 */
export function checkNumberHp(family: Pick<FamilyDefinition, 'name' | 'ranges'>, name: string, raw: number | string | boolean, image: boolean): number {
  const r = rangeOf(family, name);
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(v)) throw usageError(`${name} must be a number, got "${String(raw)}"`);
  if (r.type === 'int' && !Number.isInteger(v)) throw usageError(`${name} must be an integer, got "${String(raw)}"`);
  if (!inRange(v, r, image)) throw usageError(`${name} must be ${describeRange(r, image)}${image && r.imageMax !== undefined ? ' on image data' : ''}, got "${String(raw)}"`);
  return v;
}

/** Checks every number-valued entry of merged hyper-parameters (defaults included) against its range. */
export function checkRanges(family: Pick<FamilyDefinition, 'name' | 'ranges'>, hp: HyperParams, image: boolean): void {
  for (const [k, v] of Object.entries(hp)) if (typeof v === 'number') checkNumberHp(family, k, v, image);
}
