import { beforeAll, describe, expect, it } from 'vitest';
import type { TF } from '../family.js';
import { testTf } from '../families/family.test-helper.js';
import { Adam, RmsProp, type Optimizer } from './optimizers.js';

let tf: TF;
beforeAll(async () => {
  tf = await testTf('wasm');
});

const target = [0.5, -1.5, 2, 0.25];
const start = [0, 0.3, -0.7, 1];
/** Loss Σ w_i (θ_i − a_i)² with uneven weights, so the coordinates move at different speeds. */
const grad = (th: number[]) => th.map((t, i) => 2 * (i + 1) * (t - target[i]!));

/** PyTorch's Adam and RMSprop in float64, the reference. */
function referenceAdam(steps: number, lr: number, b1: number, b2: number, eps = 1e-8): number[] {
  const th = [...start];
  const m = th.map(() => 0);
  const v = th.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = grad(th);
    for (let i = 0; i < th.length; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      th[i]! -= (lr * (m[i]! / (1 - b1 ** t))) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps);
    }
  }
  return th;
}
function referenceRmsProp(steps: number, lr: number, alpha = 0.99, eps = 1e-8): number[] {
  const th = [...start];
  const s = th.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = grad(th);
    for (let i = 0; i < th.length; i++) {
      s[i] = alpha * s[i]! + (1 - alpha) * g[i]! ** 2;
      th[i]! -= (lr * g[i]!) / (Math.sqrt(s[i]!) + eps);
    }
  }
  return th;
}

function run(opt: Optimizer, theta: ReturnType<TF['variable']>, steps: number): void {
  const a = tf.tensor1d(target);
  const w = tf.tensor1d(target.map((_, i) => i + 1));
  for (let k = 0; k < steps; k++) opt.minimize(() => tf.sum(tf.mul(w, tf.square(tf.sub(theta, a)))), [theta]);
  a.dispose();
  w.dispose();
}

describe('optimisers', () => {
  it("Adam follows PyTorch's update in float64 to float32 precision", () => {
    const theta = tf.variable(tf.tensor1d(start));
    const opt = new Adam(tf, 0.05, 0.5, 0.9);
    run(opt, theta, 40);
    const want = referenceAdam(40, 0.05, 0.5, 0.9);
    Array.from(theta.dataSync()).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(2e-5));
    expect(opt.iterations).toBe(40);
    opt.dispose();
    theta.dispose();
  });

  it("RMSprop follows PyTorch's update (α 0.99, ε outside the root)", () => {
    const theta = tf.variable(tf.tensor1d(start));
    const opt = new RmsProp(tf, 0.01);
    run(opt, theta, 40);
    const want = referenceRmsProp(40, 0.01);
    Array.from(theta.dataSync()).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(2e-5));
    opt.dispose();
    theta.dispose();
  });

  it.each([
    ['Adam', () => new Adam(tf, 0.05, 0.5, 0.9)],
    ['RMSprop', () => new RmsProp(tf, 0.01)],
  ])('%s restored from its state continues bit for bit like the uninterrupted one', (_name, make) => {
    const whole = tf.variable(tf.tensor1d(start));
    const o1 = make();
    run(o1, whole, 6);
    const part = tf.variable(tf.tensor1d(start));
    const o2 = make();
    run(o2, part, 3);
    const mid = Array.from(part.dataSync());
    const copyState = () => o2.state();
    // A fresh optimiser restored before its first step (slots created lazily from the saved state).
    const o3 = make();
    o3.restore(copyState(), o2.iterations);
    run(o3, part, 3);
    expect(Array.from(part.dataSync())).toEqual(Array.from(whole.dataSync()));
    // And restored into an optimiser whose slots already exist.
    const again = tf.variable(tf.tensor1d(start));
    const o4 = make();
    run(o4, again, 1);
    again.assign(tf.tensor1d(mid));
    o4.restore(copyState(), o2.iterations);
    run(o4, again, 3);
    expect(Array.from(again.dataSync())).toEqual(Array.from(whole.dataSync()));
    expect(Array.from(whole.dataSync())).not.toEqual(mid);
    for (const o of [o1, o2, o3, o4]) o.dispose();
    for (const v of [whole, part, again]) v.dispose();
  });

  it("refuses other variables than the first call's, and a state without a slot", () => {
    const a = tf.variable(tf.tensor1d([1]));
    const b = tf.variable(tf.tensor1d([1]));
    const opt = new Adam(tf, 0.1);
    opt.minimize(() => tf.sum(tf.square(a)), [a]);
    expect(() => opt.minimize(() => tf.sum(tf.square(b)), [b])).toThrow(/same variables in the same order/);
    const fresh = new Adam(tf, 0.1);
    fresh.restore(new Map([['m.0', { data: new Float32Array(1), shape: [1] }]]), 1);
    expect(() => fresh.minimize(() => tf.sum(tf.square(a)), [a])).toThrow(/no optimiser slot v.0/);
    for (const x of [opt, fresh, a, b]) x.dispose();
  });

  it('an optimiser saved before its first step (no slots, 0 steps) restores as a fresh one', () => {
    const make = () => tf.variable(tf.tensor1d(start));
    const [a, b] = [make(), make()];
    const never = new Adam(tf, 0.1);
    const restored = new Adam(tf, 0.1);
    restored.restore(never.state(), never.iterations);
    run(restored, a, 3);
    const fresh = new Adam(tf, 0.1);
    run(fresh, b, 3);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    for (const x of [never, restored, fresh, a, b]) x.dispose();
  });

  it('returns the loss and the side values of the same forward pass, leaving no tensor behind', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Adam(tf, 0.1);
    const before = tf.memory().numTensors;
    const out = opt.minimize(() => {
      const sq = tf.sum(tf.square(w));
      const abs = tf.sum(tf.abs(w));
      return { loss: tf.add(sq, abs), sq, abs };
    }, [w]);
    // Values of the weights before the update: Σw² = 5, Σ|w| = 3.
    expect(out).toEqual({ loss: 8, sq: 5, abs: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const plain = opt.minimize(() => tf.sum(tf.square(w)), [w]);
    expect(Object.keys(plain)).toEqual(['loss']);
    expect(plain.loss).toBeLessThan(5);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    w.dispose();
  });
});
