import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { classificationAccuracy, trainDigitCnn, type CasBudget, type LabelledImages } from './cas.js';
import { balancedCounts, samplePerClass } from './class-accuracy.js';

beforeAll(async () => {
  expect((await selectBackend(['wasm'])).backend).toBe('wasm');
  installTrainingFixes(tf);
});

/** A tiny budget: 300 images × 3 epochs (≈ 2 s). */
const TINY: CasBudget = { epochs: 3, batchSize: 64, lr: 2e-3 };
const mnist = resolveDataset('mnist');
const labelled = (b: { x: Float32Array; labels?: Int32Array }): LabelledImages => ({ x: b.x, labels: b.labels! });
const real = labelled(mnist.sample(300, Rng.stream(0, 'train')));
const test = labelled(mnist.heldOut!(500, Rng.stream(0, 'test')));
const PIXELS = 784;

/** A "generator" answering each request for class k with real training digits of class (k + shift) mod 10. */
function digitsOf(shift: number) {
  const pool = mnist.sample(3000, Rng.stream(0, 'pool'));
  const byClass = Array.from({ length: 10 }, (_, k) => [...pool.labels!.keys()].filter((i) => pool.labels![i] === k));
  return {
    sample(n: number, rng: Rng, opts?: { label?: number }): Float32Array {
      const rows = byClass[(opts!.label! + shift) % 10]!;
      const x = new Float32Array(n * PIXELS);
      for (let i = 0; i < n; i++) {
        const r = rows[rng.int(rows.length)]!;
        x.set(pool.x.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
      }
      return x;
    },
  };
}

describe('classification accuracy score', () => {
  it('is deterministic: the same images, seed and budget give the same weights and score', () => {
    const weights = () => {
      const net = trainDigitCnn(tf, real, 10, 7, { ...TINY, epochs: 1 });
      const w = net.trainable().map((v) => Array.from(v.dataSync()));
      net.dispose();
      return w;
    };
    expect(weights()).toEqual(weights());
    expect(classificationAccuracy(tf, real, test, 10, 7, TINY)).toBe(classificationAccuracy(tf, real, test, 10, 7, TINY));
  });

  it('trained on 300 real digits, is far above chance (0.1) on held-out digits', () => {
    expect(classificationAccuracy(tf, real, test, 10, 0, TINY)).toBeGreaterThan(0.3);
  });

  it('is high for a generator that draws the requested class and near 0 for one that draws the next class', () => {
    const draw = (shift: number) => samplePerClass(digitsOf(shift), balancedCounts(300, 10), PIXELS, Rng.stream(1, 'cas-samples'));
    const right = draw(0);
    const wrong = draw(1);
    expect(Array.from(right.labels)).toEqual(balancedCounts(300, 10).flatMap((c, k) => new Array<number>(c).fill(k)));
    expect(classificationAccuracy(tf, right, test, 10, 0, TINY)).toBeGreaterThan(0.3);
    expect(classificationAccuracy(tf, wrong, test, 10, 0, TINY)).toBeLessThan(0.08);
  });

  it('refuses images of another size and labels outside the classes', () => {
    expect(() => trainDigitCnn(tf, { x: new Float32Array(10), labels: Int32Array.of(0) }, 10, 0, TINY)).toThrow(/28×28×1/);
    expect(() => trainDigitCnn(tf, { x: new Float32Array(PIXELS), labels: Int32Array.of(10) }, 10, 0, TINY)).toThrow(/label 10 is not a class 0…9/);
  });
});

describe('balancedCounts', () => {
  it('splits n over the classes within one of each other, summing to n', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.integer({ min: 1, max: 100 }), (n, k) => {
        const c = balancedCounts(n, k);
        expect(c.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
