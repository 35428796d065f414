/**
 * The birthday-paradox test (Arora & Zhang 2017): draw random batches of s samples and list the
 * closest pairs within each batch, for a person (or the report) to inspect as candidate
 * duplicates. If batches of size s contain a duplicate with probability ≥ ½, the support size is
 * about s². Batches are drawn without replacement from a seeded RandomState.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError, usageError } from '../errors.js';
import { forEachDistanceBlock } from '../knn.js';
import { selectRows, type Matrix } from '../matrix.js';
import { RandomState } from '../random.js';

/** Options of `birthdayPairs` (Arora & Zhang 2017; defaults `DEFAULTS.birthday*`). */
export interface BirthdayOptions {
  /** Batch size s (default `DEFAULTS.birthdayBatchSize`; at most the number of samples). */
  batchSize?: number;
  /** Number of batches (default `DEFAULTS.birthdayBatches`). */
  batches?: number;
  /** Closest pairs kept per batch (default `DEFAULTS.birthdayPairs`). */
  pairs?: number;
  seed?: number;
  blockRows?: number;
  name?: string;
}

/** A pair of samples (row indices into the input, i < j) at Euclidean distance `distance`. */
export interface CandidatePair {
  readonly batch: number;
  readonly i: number;
  readonly j: number;
  readonly distance: number;
}

/** The closest candidate duplicate pairs of each random batch, for visual inspection. */
export interface BirthdayResult {
  readonly batchSize: number;
  readonly batches: number;
  readonly seed: number;
  /** The closest pairs of each batch, batch by batch, nearest first within a batch. */
  readonly pairs: readonly CandidatePair[];
  /** Smallest pair distance in each batch. */
  readonly minDistances: readonly number[];
}

/** Keeps the `cap` smallest (distance, a, b) triples, sorted; ties by a then b. */
function insertPair(list: [number, number, number][], cap: number, d: number, a: number, b: number): void {
  const worse = (x: [number, number, number]) => x[0] > d || (x[0] === d && (x[1] > a || (x[1] === a && x[2] > b)));
  if (list.length === cap && !worse(list[cap - 1]!)) return;
  let p = list.length;
  while (p > 0 && worse(list[p - 1]!)) p--;
  list.splice(p, 0, [d, a, b]);
  if (list.length > cap) list.pop();
}

/** Closest pairs inside random batches of the samples (see the module notes). */
export async function birthdayPairs(samples: Matrix, opts: BirthdayOptions = {}): Promise<BirthdayResult> {
  const name = opts.name ?? 'samples';
  const n = samples.rows;
  if (n < 2) throw inputError(name, `needs at least 2 samples, found ${n}`);
  const batchSize = Math.min(opts.batchSize ?? DEFAULTS.birthdayBatchSize, n);
  const batches = opts.batches ?? DEFAULTS.birthdayBatches;
  const cap = opts.pairs ?? DEFAULTS.birthdayPairs;
  const seed = opts.seed ?? DEFAULTS.birthdaySeed;
  for (const [v, what] of [
    [batchSize, 'batchSize'],
    [batches, 'batches'],
    [cap, 'pairs'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw usageError(`${what} must be a positive integer, got ${v}`);
  }
  if (batchSize < 2) throw usageError('batchSize must be at least 2');
  const rs = new RandomState(seed);
  const pairs: CandidatePair[] = [];
  const minDistances: number[] = [];
  for (let b = 0; b < batches; b++) {
    const idx = rs.choiceWithoutReplacement(n, batchSize);
    const batch = selectRows(samples, idx);
    const best: [number, number, number][] = [];
    await forEachDistanceBlock(
      batch,
      batch,
      (start, count, dist) => {
        for (let r = 0; r < count; r++) {
          const i = start + r;
          for (let j = i + 1; j < batchSize; j++) {
            const a = Math.min(idx[i]!, idx[j]!);
            const c = Math.max(idx[i]!, idx[j]!);
            insertPair(best, cap, dist[r * batchSize + j]!, a, c);
          }
        }
      },
      opts.blockRows,
    );
    for (const [distance, i, j] of best) pairs.push({ batch: b, i, j, distance });
    minDistances.push(best[0]![0]);
  }
  return { batchSize, batches, seed, pairs, minDistances };
}
