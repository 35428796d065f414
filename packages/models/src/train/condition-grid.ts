/**
 * The condition grids of image runs (samples/step-N-condition.png): what one is, and the layout
 * of one row per condition value — a class, a categorical code's value, a caption — with the same
 * noise down each column. condition-routes.ts picks the layout from the family's declared kind.
 */
import type { ConditionGridRecord } from '@gen-eval/metrics/runs';
import type { SampleOptions, TrainableModel } from '../family.js';
import { Rng } from '../rng.js';

/** Images per row of a label, code or caption grid, and input/translation pairs of a translation grid. */
export const CONDITION_GRID_COLUMNS = 8;
/** Rows of a label, code or caption grid at most: the first classes, code values or captions (100 images at most an evaluation). */
export const CONDITION_GRID_ROWS = 10;

/**
 * An image run's condition grid: what config.json records of its rows and columns, and its images
 * (NHWC in [−1, 1], row by row, `cols` a row) drawn from the model.
 */
export interface ConditionGrid {
  readonly record: ConditionGridRecord;
  readonly cols: number;
  draw(model: Pick<TrainableModel, 'sample'>): Float32Array;
}

/**
 * One row per condition value, named `rows` (at most CONDITION_GRID_ROWS are drawn), `cols` draws
 * each with the options `options(row, cols)`. Every row draws from a fresh `condition-grid`
 * stream, so a column holds the same noise in every row (only the condition changes down it) and
 * every evaluation of the run draws the same noise: grids compare across steps.
 */
export function rowPerValue(kind: string, seed: number, rows: readonly string[], options: (row: number, cols: number) => SampleOptions): ConditionGrid | undefined {
  const names = rows.slice(0, CONDITION_GRID_ROWS);
  if (names.length === 0) return undefined;
  const cols = CONDITION_GRID_COLUMNS;
  return {
    record: { kind, rows: names, columns: `${cols} draws a row, the same noise down each column` },
    cols,
    draw(model) {
      const drawn = names.map((_, row) => model.sample(cols, Rng.stream(seed, 'condition-grid'), options(row, cols)));
      const out = new Float32Array(drawn.length * drawn[0]!.length);
      drawn.forEach((r, i) => out.set(r, i * r.length));
      return out;
    },
  };
}
