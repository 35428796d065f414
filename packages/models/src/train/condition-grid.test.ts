/**
 * Condition grids: the layout each declared kind gets (condition-routes.ts conditionGrid, with fake
 * models whose samples show their condition), and the loop writing them (tiny cgan and cyclegan
 * image runs): the file's pixel size, config.json's record, and the same draws at every evaluation.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '@gen-eval/metrics/images';
import { readRunConfig, runPaths, writeJson } from '@gen-eval/metrics/runs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Condition } from '../condition.js';
import { resolveDataset } from '../data/datasets.js';
import { toBytes, writeGridPng } from '../data/png.js';
import type { HyperParams, SampleOptions } from '../family.js';
import type { Rng } from '../rng.js';
import { CONDITION_GRID_COLUMNS, conditionGrid, type ConditionPlan } from './condition-routes.js';
import { trainNew, trainResume } from './loop.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-condition-grid-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mnist = resolveDataset('mnist');
const DIMS = 28 * 28;
const plan = (condition: Condition, hp: HyperParams = {}, data = mnist): ConditionPlan => ({
  family: { condition },
  data,
  ...(condition.kind === 'image' ? { dataB: resolveDataset('mnist-inverted') } : {}),
  hp: { batchSize: 4, lr: 1e-3, ...hp },
});

/** A model whose every image is one grey level set by its label (label/10 − 0.9), and records each call's first random draw. */
function labelModel() {
  const firsts: number[] = [];
  return {
    firsts,
    sample(n: number, rng: Rng, opts?: SampleOptions) {
      firsts.push(rng.uniform());
      return new Float32Array(n * DIMS).fill((opts?.label ?? 0) / 10 - 0.9);
    },
  };
}

describe('conditionGrid lays the grid out by the declared kind', () => {
  it('label: one row per class (the first 10), the same noise down each column, at every evaluation', async () => {
    const grid = conditionGrid(plan({ kind: 'label' }), 7)!;
    expect(grid.record).toEqual({
      kind: 'label',
      rows: Array.from({ length: 10 }, (_, i) => `class ${i}`),
      columns: `${CONDITION_GRID_COLUMNS} draws a row, the same noise down each column`,
    });
    const model = labelModel();
    const x = grid.draw(model);
    expect(x.length).toBe(10 * CONDITION_GRID_COLUMNS * DIMS);
    expect(new Set(model.firsts).size).toBe(1); // a fresh stream per row
    grid.draw(model);
    expect(new Set(model.firsts).size).toBe(1); // and per evaluation
    // Row r of the PNG is class r's grey level.
    const path = join(root, 'label.png');
    await writeGridPng(path, x, mnist.image!, { cols: grid.cols });
    const png = await decodeImageFile(path);
    expect([png.width, png.height]).toEqual([8 * 30 + 2, 10 * 30 + 2]);
    for (let r = 0; r < 10; r++) {
      const byte = png.data[((2 + r * 30 + 14) * png.width + 2 + 5 * 30 + 14) * 3]; // decoded as RGB
      expect(byte, `row ${r}`).toBe(toBytes(Float32Array.of(r / 10 - 0.9))[0]);
    }
  });

  it('code: one row per value of the categorical code; none without one', () => {
    const grid = conditionGrid(plan({ kind: 'code', categorical: 'catCodes' }, { catCodes: 3 }), 7)!;
    expect(grid.record.rows).toEqual(['categorical code 0', 'categorical code 1', 'categorical code 2']);
    const x = grid.draw(labelModel());
    expect([x[0], x[CONDITION_GRID_COLUMNS * DIMS], x[2 * CONDITION_GRID_COLUMNS * DIMS]]).toEqual([-0.9, -0.8, -0.7].map(Math.fround));
    expect(conditionGrid(plan({ kind: 'code', categorical: 'catCodes' }, { catCodes: 0 }), 7)).toBeUndefined();
    expect(conditionGrid(plan({ kind: 'code' }), 7)).toBeUndefined();
  });

  it('image: held-out inputs of the source domain above their translations, the same inputs every evaluation', () => {
    const grid = conditionGrid(plan({ kind: 'image', paired: false, from: ['a', 'b'] }), 7)!;
    expect(grid.record).toEqual({
      kind: 'image',
      rows: ['input (domain A: mnist)', 'translation (domain B: mnist-inverted)'],
      columns: `${CONDITION_GRID_COLUMNS} held-out inputs, each above its translation`,
    });
    const negate = { sample: (n: number, _rng: Rng, o?: SampleOptions) => (expect(o?.from).toBe('a'), o!.input!.map((v) => -v)) };
    const x = grid.draw(negate);
    const half = CONDITION_GRID_COLUMNS * DIMS;
    expect(x.length).toBe(2 * half);
    expect(x.subarray(half)).toEqual(x.subarray(0, half).map((v) => -v));
    expect(grid.draw(negate)).toEqual(x);
  });

  it('no grid for unconditioned families, nor off images', () => {
    expect(conditionGrid(plan({ kind: 'none' }), 7)).toBeUndefined();
    const ring = resolveDataset('ring-easy');
    expect(conditionGrid(plan({ kind: 'label' }, {}, ring), 7)).toBeUndefined();
  });
});

describe('the loop writes condition grids', () => {
  const tiny = { data: 'mnist', backend: 'wasm' as const, evalEvery: 1, evalSamples: 8, seed: 2 };

  it('cgan: samples/step-N-condition.png at each evaluation, 10 rows × 8, recorded in config.json; resume drops later ones', { timeout: 60_000 }, async () => {
    const out = join(root, 'cgan');
    await trainNew({ ...tiny, model: 'cgan', hp: { batchSize: 4, hidden: 4, latentDim: 8 }, steps: 2, out });
    expect(readdirSync(runPaths(out).samples).filter((n) => n.endsWith('-condition.png'))).toEqual(['step-0000001-condition.png', 'step-0000002-condition.png']);
    const png = await decodeImageFile(runPaths(out).conditionGrid(2));
    expect([png.width, png.height]).toEqual([8 * 30 + 2, 10 * 30 + 2]);
    expect(readRunConfig(out).conditionGrid).toMatchObject({ kind: 'label', rows: Array.from({ length: 10 }, (_, i) => `class ${i}`) });
    // An old run (no record) resumed: the record is added, and a grid past the checkpoint goes.
    const { conditionGrid: _, ...old } = readRunConfig(out);
    writeJson(runPaths(out).config, old);
    writeFileSync(runPaths(out).conditionGrid(9), readFileSync(runPaths(out).conditionGrid(2)));
    await trainResume({ resume: out, steps: 3 });
    expect(readdirSync(runPaths(out).samples).filter((n) => n.endsWith('-condition.png'))).toEqual([1, 2, 3].map((s) => `step-000000${s}-condition.png`));
    expect(readRunConfig(out).conditionGrid?.kind).toBe('label');
  });

  it('cyclegan: 8 input/translation pairs, two rows', { timeout: 60_000 }, async () => {
    const out = join(root, 'cyclegan');
    await trainNew({ ...tiny, model: 'cyclegan', hp: { batchSize: 4, hidden: 4 }, steps: 1, out });
    const png = await decodeImageFile(runPaths(out).conditionGrid(1));
    expect([png.width, png.height]).toEqual([8 * 30 + 2, 2 * 30 + 2]);
    expect(readRunConfig(out).conditionGrid?.rows).toEqual(['input (domain A: mnist)', 'translation (domain B: mnist-inverted)']);
  });
});
