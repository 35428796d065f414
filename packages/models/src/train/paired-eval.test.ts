/**
 * Evaluation of paired runs (evaluate.ts with paired-eval.ts): every evaluation translates the
 * same held-out inputs and compares each output with its own target (l1, psnr, ssim) besides FID;
 * a super-resolution run's bicubic baseline. Fake models whose outputs are known stand in for
 * pix2pix and srgan: the routing and the numbers are under test, not the networks.
 */
import { pairedMetrics } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDataset } from '../data/datasets.js';
import { superResolutionPairs } from '../data/paired.js';
import { toBytes } from '../data/png.js';
import type { SampleOptions, TrainableModel } from '../family.js';
import { Rng } from '../rng.js';
import { bicubicBaseline, disposeReference, evalReference, evaluateModel, type EvalReference } from './evaluate.js';
import { bicubicUpsample } from './paired-eval.js';
import { inverseModel, pairedMnist } from './paired-data.test-helper.js';

const refs: EvalReference[] = [];
afterAll(async () => {
  for (const r of refs) await disposeReference(r);
});

/** A paired set named as its base (mnist), so the evaluation has the mnist classifier's FID. */
const negated = { ...pairedMnist(1), name: 'mnist' };

async function reference(data = negated, samples = 16, scale?: number): Promise<EvalReference> {
  const ref = await evalReference(data, data, samples, 5, samples, scale);
  refs.push(ref);
  return ref;
}

/** `model` as a TrainableModel that records the inputs of every sample call. */
function recording(model: { sample(n: number, rng: Rng, o?: SampleOptions): Float32Array }) {
  const inputs: Float32Array[] = [];
  const m = {
    sample: (n: number, rng: Rng, o?: SampleOptions) => (inputs.push(Float32Array.from(o!.input!)), model.sample(n, rng, o)),
  } as unknown as TrainableModel;
  return { m, inputs };
}

describe('the evaluation of a paired run', () => {
  it('a perfect translation: l1 0, ssim 1, psnr +∞ (recorded as null), and FID, KID, IS of the outputs', async () => {
    const ref = await reference();
    const { m } = recording(inverseModel(1));
    const { metrics, samples } = await evaluateModel(m, ref, 5, 1);
    expect(samples).toEqual(ref.heldOut.x.map((v) => Math.max(-1, Math.min(1, v))));
    expect([metrics.l1, metrics.ssim, metrics.psnr]).toEqual([0, 1, Infinity]);
    expect(JSON.parse(JSON.stringify({ v: metrics.psnr })).v).toBeNull();
    for (const k of ['fid', 'kid_mean', 'is_mean']) expect(Number.isFinite(metrics[k]), k).toBe(true);
  });

  it('every evaluation translates the same held-out inputs, the run’s `held-out` draw; the values are the metrics package’s', async () => {
    const ref = await reference();
    const { m, inputs } = recording(inverseModel(1, 0.2));
    const one = await evaluateModel(m, ref, 5, 1);
    const two = await evaluateModel(m, ref, 5, 2);
    expect(inputs[1]).toEqual(inputs[0]);
    expect(inputs[0]).toEqual(negated.heldOut!(16, Rng.stream(5, 'held-out')).input);
    expect(one.metrics.l1).not.toBe(two.metrics.l1); // the model's noise differs by step, the inputs do not
    const per = 28 * 28;
    const images = (x: Float32Array) => Array.from({ length: 16 }, (_, i) => ({ height: 28, width: 28, channels: 1, data: toBytes(x, i * per, per) }));
    const expected = await pairedMetrics(images(ref.heldOut.x), images(two.samples));
    expect({ l1: two.metrics.l1, psnr: two.metrics.psnr, ssim: two.metrics.ssim }).toEqual(expected.result);
  });

  it('beyond one chunk (250 images a call) the inputs follow on in order', async () => {
    const ref = await reference({ ...pairedMnist(1) }, 260); // no classifier: no FID, only the paired values
    const { m, inputs } = recording(inverseModel(1));
    const { metrics } = await evaluateModel(m, ref, 5, 1);
    expect(inputs.map((x) => x.length / (28 * 28))).toEqual([250, 10]);
    expect(Float32Array.from([...inputs[0]!, ...inputs[1]!])).toEqual(ref.pairs!.input);
    expect(metrics.l1).toBe(0);
    expect(metrics.fid).toBeUndefined();
  });
});

describe('the bicubic baseline of a super-resolution run', () => {
  it('Pillow bicubic ×2 of the held-out inputs: l1, psnr, ssim and FID; none without a scale', async () => {
    const sr = superResolutionPairs(resolveDataset('mnist'), 2);
    const ref = await reference(sr, 16, 2);
    const base = (await bicubicBaseline(ref))!;
    expect(Object.keys(base)).toEqual(['l1', 'psnr', 'ssim', 'fid', 'kid_mean', 'kid_std', 'is_mean', 'is_std']);
    const up = bicubicUpsample(ref.pairs!.input, { height: 14, width: 14, channels: 1 }, 2);
    const { metrics } = await evaluateModel({ sample: () => up } as unknown as TrainableModel, ref, 5, 1);
    expect(metrics.psnr).toBe(base.psnr);
    expect(metrics.fid).toBe(base.fid);
    // A blurry upsampling: far from the targets, yet not nothing.
    expect(base.ssim).toBeGreaterThan(0.3);
    expect(base.ssim).toBeLessThan(1);
    expect(await bicubicBaseline(await reference())).toBeUndefined();
  });

  it('bicubicUpsample keeps a constant image and treats each channel as a plane', () => {
    const c = bicubicUpsample(new Float32Array(2 * 4 * 4).fill(0.5), { height: 4, width: 4, channels: 2 }, 2);
    expect(c.length).toBe(2 * 8 * 8);
    for (const v of c) expect(v).toBeCloseTo(0.5, 6);
    const grey = Float32Array.from({ length: 16 }, (_, i) => (i % 5) / 4 - 0.5);
    const two = new Float32Array(32);
    grey.forEach((v, i) => ((two[2 * i] = v), (two[2 * i + 1] = -v)));
    const g = bicubicUpsample(grey, { height: 4, width: 4, channels: 1 }, 2);
    const t = bicubicUpsample(two, { height: 4, width: 4, channels: 2 }, 2);
    expect(t.filter((_, i) => i % 2 === 0)).toEqual(g);
  });
});
