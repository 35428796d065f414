/**
 * Adam and RMSprop with their whole state in plain float32 arrays, updated by one JS loop per
 * variable. Two reasons:
 * - Exact checkpoints. tfjs's own Adam rebuilds β^t with `pow` on restore while training multiplies
 *   it step by step; the two differ in the last float32 bit, and a resumed run would drift from
 *   the uninterrupted one. Here the state is the arrays and the step count, nothing else.
 * - Speed. Adam as tensor ops is 13 small kernels per variable; on the wasm and cpu backends their
 *   dispatch cost more than the update itself (measured: ~1 ms of a 10 ms 2-D GAN step). One
 *   loop over the values, reading the gradient and writing the weights back, is a fraction of it.
 * The arithmetic is float64 with float32 storage, so results are the same on every backend.
 * Conventions follow PyTorch (Adam ε = 1e-8; RMSprop α = 0.99, ε outside the square root), which
 * is what the reference hyper-parameters were tuned with.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../tf-types.js';
import { badInputError, internalError } from '@gen-eval/metrics/errors';

/** One state array of an optimiser, as a checkpoint stores it. */
export interface SlotArray {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * What a loss closure returns: the scalar to minimise, or `{ loss, …side values }` where each side
 * value is a scalar computed in the same forward pass (reported, not minimised).
 */
export type Objective = tfNs.Tensor | { readonly loss: tfNs.Tensor; readonly [side: string]: tfNs.Tensor };

/** The numbers `minimize` returns for an objective: `loss` and every side value by its name. */
export type ObjectiveValues<O extends Objective> = O extends tfNs.Tensor ? { loss: number } : { [K in keyof O]: number };

/** The slice of an optimiser the training loop and the families use. */
export interface Optimizer {
  /**
   * Takes one step down the gradient of the objective's loss with respect to `varList`, and returns
   * the loss and the objective's named side values (penalty terms, estimates) as numbers — the
   * values of this step's forward pass, with no second pass and no tensor left behind.
   */
  minimize<O extends Objective>(objective: () => O, varList: readonly Variable[]): ObjectiveValues<O>;
  /** Steps taken so far (the t of the bias corrections). */
  readonly iterations: number;
  /** Every state array, by name (`m.<i>`, `v.<i>` … for the i-th variable of varList). */
  state(): Map<string, SlotArray>;
  /** Restores `state()` and `iterations` from a checkpoint (checked against the variables at the next step). */
  restore(state: ReadonlyMap<string, SlotArray>, iterations: number): void;
  dispose(): void;
}

/** A scalar tensor's value as a number; the tensor is released. */
function scalarValue(t: tfNs.Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

abstract class SlotOptimizer implements Optimizer {
  iterations = 0;
  private vars: readonly Variable[] | undefined;
  private slots = new Map<string, Float32Array>();
  private pending: ReadonlyMap<string, SlotArray> | undefined;

  constructor(
    protected readonly tf: TF,
    private readonly slotNames: readonly string[],
  ) {}

  minimize<O extends Objective>(objective: () => O, varList: readonly Variable[]): ObjectiveValues<O> {
    const tf = this.tf;
    // Side values are kept past the gradient's tidy, read back with the loss, then released.
    const sides = new Map<string, tfNs.Tensor>();
    const value = this.descend(() => {
      const o = objective();
      if (o instanceof tf.Tensor) return o as tfNs.Scalar;
      for (const [k, t] of Object.entries(o)) if (k !== 'loss') sides.set(k, tf.keep(t));
      return o.loss as tfNs.Scalar;
    }, varList);
    const out: Record<string, number> = { loss: scalarValue(value) };
    for (const [k, t] of sides) out[k] = scalarValue(t);
    return out as ObjectiveValues<O>;
  }

  /** One update of `varList` down the gradient of `loss`; returns the loss tensor. */
  private descend(loss: () => tfNs.Scalar, varList: readonly Variable[]): tfNs.Scalar {
    const tf = this.tf;
    if (varList.length === 0) throw internalError('minimize needs the list of variables to train');
    this.ensureSlots(varList);
    const { value, grads } = tf.variableGrads(loss, varList as Variable[]);
    this.iterations++;
    varList.forEach((v, i) => {
      const g = grads[v.name];
      if (!g) throw internalError(`no gradient for variable ${v.name}`);
      const w = v.dataSync() as Float32Array;
      // dataSync may hand out the backend's own buffer: update a copy.
      const next = new Float32Array(w);
      this.update(next, g.dataSync() as Float32Array, (s) => this.slots.get(`${s}.${i}`)!, this.iterations);
      const t = tf.tensor(next, v.shape, 'float32');
      v.assign(t);
      t.dispose();
    });
    for (const g of Object.values(grads)) g.dispose();
    return value;
  }

  /** Updates the weights `w` in place from the gradient `g`; `slot(name)` is this variable's state of that kind. */
  protected abstract update(w: Float32Array, g: Float32Array, slot: (name: string) => Float32Array, t: number): void;

  private ensureSlots(varList: readonly Variable[]): void {
    if (this.vars) {
      if (this.vars.length !== varList.length || this.vars.some((v, i) => v !== varList[i])) {
        throw internalError('an optimiser must always be given the same variables in the same order');
      }
      return;
    }
    const slots = new Map<string, Float32Array>();
    varList.forEach((v, i) => {
      for (const s of this.slotNames) {
        const key = `${s}.${i}`;
        const saved = this.pending?.get(key);
        if (this.pending && !saved) throw badInputError(`checkpoint has no optimiser slot ${key}`);
        if (saved && saved.shape.join() !== v.shape.join()) {
          throw badInputError(`checkpoint slot ${key} has shape [${saved.shape}] but the variable is [${v.shape}]`);
        }
        slots.set(key, saved ? Float32Array.from(saved.data) : new Float32Array(v.size));
      }
    });
    this.vars = varList;
    this.slots = slots;
    this.shapes = varList.map((v) => v.shape);
    this.pending = undefined;
  }

  private shapes: readonly (readonly number[])[] = [];

  state(): Map<string, SlotArray> {
    const out = new Map<string, SlotArray>();
    for (const [k, data] of this.slots) out.set(k, { data: Float32Array.from(data), shape: this.shapes[Number(k.split('.')[1])]! });
    return out;
  }

  restore(state: ReadonlyMap<string, SlotArray>, iterations: number): void {
    this.iterations = iterations;
    if (this.slots.size === 0) {
      // Saved before its first step (a stage not yet trained), an optimiser has no slots: it starts fresh.
      this.pending = iterations === 0 && state.size === 0 ? undefined : state;
      return;
    }
    for (const [k, slot] of this.slots) {
      const saved = state.get(k);
      if (!saved) throw badInputError(`checkpoint has no optimiser slot ${k}`);
      if (saved.data.length !== slot.length) throw badInputError(`checkpoint slot ${k} has ${saved.data.length} values, the variable ${slot.length}`);
      slot.set(saved.data);
    }
  }

  dispose(): void {
    this.slots.clear();
  }
}

/** Adam (Kingma & Ba 2015) with PyTorch's conventions. */
export class Adam extends SlotOptimizer {
  constructor(
    tf: TF,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    super(tf, ['m', 'v']);
  }

  protected update(w: Float32Array, g: Float32Array, slot: (name: string) => Float32Array, t: number): void {
    const m = slot('m');
    const v = slot('v');
    const { beta1: b1, beta2: b2, eps } = this;
    // θ ← θ − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε)
    const stepSize = this.lr / (1 - b1 ** t);
    const c2 = 1 / Math.sqrt(1 - b2 ** t);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi);
      w[i] = w[i]! - (stepSize * mi) / (Math.sqrt(vi) * c2 + eps);
    }
  }
}

/** RMSprop (Tieleman & Hinton 2012) with PyTorch's conventions (α = 0.99, ε outside the root). */
export class RmsProp extends SlotOptimizer {
  constructor(
    tf: TF,
    private readonly lr: number,
    private readonly alpha = 0.99,
    private readonly eps = 1e-8,
  ) {
    super(tf, ['sq']);
  }

  protected update(w: Float32Array, g: Float32Array, slot: (name: string) => Float32Array): void {
    const sq = slot('sq');
    const { alpha, eps, lr } = this;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const s = (sq[i] = alpha * sq[i]! + (1 - alpha) * gi * gi);
      w[i] = w[i]! - (lr * gi) / (Math.sqrt(s) + eps);
    }
  }
}
