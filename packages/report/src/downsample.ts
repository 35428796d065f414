/** Thinning of long metric histories for the charts (the CSV keeps every point). */

/** Points per run and metric drawn at most: a 1e5-line metrics.jsonl must not make a 36 MB page. */
export const MAX_CHART_POINTS = 400;

/**
 * At most `max` of `points` (in step order), for a line chart. M4 downsampling: the points are cut
 * into max/4 buckets of consecutive steps, and each bucket keeps its first, last, lowest and
 * highest point, so the first and last points and every spike survive.
 */
export function downsample<T extends { readonly value: number }>(points: readonly T[], max = MAX_CHART_POINTS): T[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 4));
  const keep = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * points.length) / buckets);
    const end = Math.floor(((b + 1) * points.length) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (points[i]!.value < points[lo]!.value) lo = i;
      if (points[i]!.value > points[hi]!.value) hi = i;
    }
    keep
      .add(start)
      .add(end - 1)
      .add(lo)
      .add(hi);
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}
