/**
 * The paired routes of condition-routes.ts (pix2pix, srgan): the (input | output | target) grid,
 * evaluation's target, and `sample`'s inputs — given, read from a folder at the inputs' shape, or
 * held-out ones — with a test-only paired MNIST (paired-data.test-helper.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Condition } from '../condition.js';
import { writeSamplePngs } from '../data/png.js';
import { Rng } from '../rng.js';
import { CONDITION_GRID_COLUMNS, conditionGrid, enlarge, evalCondition, evalTarget, sampleCondition, type ConditionPlan } from './condition-routes.js';
import { inputsOf, inverseModel, pairedMnist } from './paired-data.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-paired-routes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PIX2PIX: Condition = { kind: 'image', paired: true, from: ['a'] };
const SRGAN: Condition = { kind: 'image', paired: true, from: ['a'], scale: 2 };
const plan = (condition: Condition, scale: number): ConditionPlan => ({ family: { condition }, data: pairedMnist(scale), hp: { batchSize: 4, lr: 1e-3 } });
const DIMS = 28 * 28;
const COLS = CONDITION_GRID_COLUMNS;

describe('a paired run’s condition grid: input | output | target', () => {
  it('same-size inputs: three rows of 8 held-out pairs, the same at every evaluation', () => {
    const grid = conditionGrid(plan(PIX2PIX, 1), 3)!;
    expect(grid.record).toEqual({
      kind: 'image',
      rows: ['input (28×28)', 'output (the model’s translation of the input above)', 'target (mnist-negated-pairs, 28×28)'],
      columns: `${COLS} held-out pairs, each input above its output above its target`,
    });
    const x = grid.draw(inverseModel(1));
    expect(x.length).toBe(3 * COLS * DIMS);
    const [input, output, target] = [0, 1, 2].map((r) => x.subarray(r * COLS * DIMS, (r + 1) * COLS * DIMS));
    expect(output).toEqual(target); // the perfect model
    expect(input).toEqual(target!.map((v) => -v));
    expect(grid.draw(inverseModel(1))).toEqual(x);
  });

  it('super-resolution: inputs enlarged by pixel repetition, and the record says so', () => {
    const grid = conditionGrid(plan(SRGAN, 2), 3)!;
    expect(grid.record.rows[0]).toBe('input (14×14, shown ×2 by pixel repetition)');
    const x = grid.draw(inverseModel(2));
    const [input, output] = [0, 1].map((r) => x.subarray(r * COLS * DIMS, (r + 1) * COLS * DIMS));
    // The inverse model repeats pixels too: the enlarged input row equals the output row.
    expect(input).toEqual(output);
    const target = x.subarray(2 * COLS * DIMS);
    expect(inputsOf(target, 2)).toEqual(inputsOf(input!, 2));
  });

  it('enlarge repeats each pixel factor × factor times and a grey channel into RGB', () => {
    const two = enlarge(Float32Array.of(1, 2, 3, 4), { height: 2, width: 2, channels: 1 }, 2, 1);
    expect(Array.from(two)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(Array.from(enlarge(Float32Array.of(5), { height: 1, width: 1, channels: 1 }, 1, 3))).toEqual([5, 5, 5]);
  });
});

describe('evaluation and sample of a paired run', () => {
  it('the data is the target (no second domain), and evaluation draws no fresh inputs', () => {
    expect(evalTarget(plan(PIX2PIX, 1)).name).toBe('mnist-negated-pairs');
    expect(evalCondition(plan(SRGAN, 2))(4, Rng.stream(1, 'eval'))).toBeUndefined();
  });

  it('without inputs: n held-out inputs of the data, from the draw’s Rng, with a note', async () => {
    const c = await sampleCondition(plan(SRGAN, 2), 'runs/r', 'srgan', 5, {});
    expect(c.n).toBe(5);
    expect(c.notes).toEqual(['no input given: translated 5 held-out inputs of mnist-subsampled-pairs']);
    const o = c.options(Rng.stream(0, 'sample'));
    expect(o.input).toEqual(pairedMnist(2).heldOut!(5, Rng.stream(0, 'sample')).input);
  });

  it('given inputs have the inputs’ columns; a folder is read at their shape, its files named', async () => {
    const p = plan(SRGAN, 2);
    await expect(sampleCondition(p, 'r', 'srgan', 5, { input: { data: new Float32Array(DIMS), rows: 1, cols: DIMS, name: 'x' } })).rejects.toThrow(
      "x: has 784 columns, the model's inputs have 196",
    );
    const dir = join(root, 'in');
    const small = pairedMnist(2).heldOut!(3, Rng.stream(1, 'x')).input!;
    await writeSamplePngs(join(dir, 'sub'), small.subarray(0, 2 * 196), { height: 14, width: 14, channels: 1 });
    await writeSamplePngs(dir, small.subarray(2 * 196), { height: 14, width: 14, channels: 1 });
    const read = await sampleCondition(p, 'r', 'srgan', 5, { inputPath: dir });
    expect([read.n, read.files]).toEqual([3, ['000000.png', 'sub/000000.png', 'sub/000001.png']]);
    expect(read.options(Rng.stream(0, 's')).input!.subarray(0, 196)).toEqual(small.subarray(2 * 196).map((v) => Math.round((v + 1) * 127.5) / 127.5 - 1));
    // A 28×28 image among them is refused by name, never resized.
    const bad = join(root, 'bad');
    mkdirSync(bad);
    await writeSamplePngs(join(bad, 'a'), small.subarray(0, 196), { height: 14, width: 14, channels: 1 });
    await writeSamplePngs(join(bad, 'b'), new Float32Array(DIMS), { height: 28, width: 28, channels: 1 });
    await expect(sampleCondition(p, 'r', 'srgan', 5, { inputPath: bad })).rejects.toThrow(
      `${join(bad, 'b', '000000.png')}: is 28×28; this run's inputs are 14×14 (they are translated as they are, never resized)`,
    );
  });
});
