import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainNew } from './loop.js';
import { sampleRun } from './sample.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-sample-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// One tiny run per condition kind: the routing is under test, not the models.
const MODELS = { none: 'ns-gan', label: 'cgan', code: 'infogan', image: 'cyclegan' } as const;
const run = (kind: keyof typeof MODELS) => join(root, kind);
beforeAll(async () => {
  for (const [kind, model] of Object.entries(MODELS)) {
    const hp = { hidden: 8, batchSize: 16, ...(model === MODELS.image ? {} : { latentDim: 4 }) };
    await trainNew({ model, backend: 'wasm', hp, steps: 2, evalEvery: 2, evalSamples: 16, seed: 1, out: run(kind as keyof typeof MODELS) });
  }
}, 60_000);

describe('sampleRun routes its options by the run family’s declared condition', () => {
  it('label: the class to draw, checked against the data’s modes', async () => {
    const three = await sampleRun(run('label'), { n: 20, seed: 2, label: 3 });
    const zero = await sampleRun(run('label'), { n: 20, seed: 2, label: 0 });
    expect(three.rows).toBe(20);
    expect(three.points).not.toEqual(zero.points);
    expect((await sampleRun(run('label'), { n: 20, seed: 2, label: 3 })).points).toEqual(three.points);
    await expect(sampleRun(run('label'), { n: 5, label: 8 })).rejects.toThrow('`label` must be an integer from 0 to 7 (the modes of ring-easy), got "8"');
  });

  it('code: fixes the categorical code, checked against its values', async () => {
    const two = await sampleRun(run('code'), { n: 20, seed: 2, code: 2 });
    const five = await sampleRun(run('code'), { n: 20, seed: 2, code: 5 });
    expect(two.points).not.toEqual(five.points);
    expect(two.points).not.toEqual((await sampleRun(run('code'), { n: 20, seed: 2 })).points);
    await expect(sampleRun(run('code'), { n: 5, code: 8 })).rejects.toThrow('`code` must be an integer from 0 to 7 (the values of its categorical code, catCodes=8), got "8"');
  });

  it('image: a direction, and given points translated one per row', async () => {
    expect((await sampleRun(run('image'), { n: 5, seed: 1, from: 'b' })).rows).toBe(5);
    const given = await sampleRun(run('image'), { n: 99, input: { data: new Float32Array([2, 0, 0, 2, -2, 0]), rows: 3, cols: 2, name: 'pts' } });
    expect([given.rows, given.points.length]).toEqual([3, 6]);
  });

  it('refuses an option of another kind before loading anything, naming the option, the run and what it takes', async () => {
    await expect(sampleRun(run('none'), { n: 5, label: 1 })).rejects.toMatchObject({
      code: 'usage',
      options: ['label'],
      message: `\`label\` applies to models conditioned on a class label (cgan); ${run('none')} is a run of ns-gan, conditioned on noise alone`,
    });
    await expect(sampleRun(run('code'), { n: 5, label: 1 })).rejects.toThrow(`${run('code')} is a run of infogan, conditioned on a latent code (it takes \`code\`)`);
    await expect(sampleRun(run('label'), { n: 5, from: 'b' })).rejects.toThrow(
      /^`from` applies to models conditioned on a source-domain sample \(cyclegan, pix2pix, srgan\); .* \(it takes `label`\)$/,
    );
    await expect(sampleRun(run('image'), { n: 5, code: 1 })).rejects.toThrow(/^`code` applies .*\(it takes `from` or `input`\)$/);
  });
});
