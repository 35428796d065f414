import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { installTrainingFixes } from '../tfjs/training-fixes.js';
import { Rng } from '../rng.js';
import { SpectralNorm } from './spectral-norm.js';

/** Largest singular value of a row-major rows×cols matrix, in float64, by Jacobi eigenvalues of AᵀA. */
function largestSingularValue(a: ArrayLike<number>, rows: number, cols: number): number {
  const m: number[][] = [];
  for (let i = 0; i < cols; i++) {
    m.push([]);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += a[r * cols + i]! * a[r * cols + j]!;
      m[i]!.push(s);
    }
  }
  // Cyclic Jacobi rotations until the off-diagonal part vanishes.
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < cols; p++) for (let q = p + 1; q < cols; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < cols; p++)
      for (let q = p + 1; q < cols; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < cols; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < cols; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
      }
  }
  return Math.sqrt(Math.max(...m.map((row, i) => row[i]!)));
}

describe('SpectralNorm', () => {
  beforeAll(async () => {
    await selectBackend(['wasm', 'cpu']);
    installTrainingFixes(tf);
  });

  it('the float64 reference is right on a matrix with known singular values', () => {
    // diag(3, 1) rotated on both sides has singular values 3 and 1.
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const a = [3 * c, -3 * s, 1 * s, 1 * c]; // [[c,-s],[s,c]]·diag(3,1) row-major
    expect(largestSingularValue(a, 2, 2)).toBeCloseTo(3, 12);
  });

  it('σ converges to the largest singular value of W, and W/σ has spectral norm 1', () => {
    const rng = new Rng(5);
    const [rows, cols] = [7, 5];
    const w = rng.uniforms(rows * cols, -1, 1);
    const ref = largestSingularValue(w, rows, cols);
    const W = tf.tensor2d(w, [rows, cols]);
    const sn = new SpectralNorm(tf, rng, rows, cols, { powerIterations: 1 });
    // One step from a random start is only a lower estimate; many steps converge.
    const early = sn.sigma(W, 1);
    expect(early).toBeLessThanOrEqual(ref * (1 + 1e-5));
    expect(sn.sigma(W, 200)).toBeCloseTo(ref, 4);
    // Training forward passes advance the stored state one step each.
    for (let i = 0; i < 200; i++) tf.dispose(sn.normalize(W));
    expect(sn.sigma(W)).toBeCloseTo(ref, 4);
    const Wn = sn.normalize(W);
    expect(largestSingularValue(Wn.dataSync(), rows, cols)).toBeCloseTo(1, 4);
    // Evaluation mode does not move u.
    const u0 = Array.from(sn.u.dataSync());
    tf.dispose(sn.normalize(W, false));
    expect(Array.from(sn.u.dataSync())).toEqual(u0);
    expect(sn.u.trainable).toBe(false);
    expect(sn.u.shape).toEqual([cols, 1]);
    expect(sn.namedVariables('D.0').map(([n]) => n)).toEqual(['D.0.u', 'D.0.v']);
    tf.dispose([W, Wn]);
    sn.dispose();
  });

  it('passes the gradient through W only, with u and v held constant', () => {
    const rng = new Rng(9);
    const [rows, cols] = [4, 3];
    const W = tf.variable(tf.tensor2d(rng.uniforms(rows * cols, -1, 1), [rows, cols]));
    const M = tf.tensor2d(rng.uniforms(rows * cols, -1, 1), [rows, cols]);
    const sn = new SpectralNorm(tf, rng, rows, cols);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(sn.normalize(W as tf.Tensor2D), M)), [W]);
    // L = ⟨W, M⟩/σ with σ = vᵀWu and u, v the values after this pass's power step:
    // ∂L/∂W = M/σ − ⟨W, M⟩/σ² · v uᵀ.
    const u = sn.u.dataSync();
    const v = sn.v.dataSync();
    const w = W.dataSync();
    const m = M.dataSync();
    let sigma = 0;
    let wm = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        sigma += v[i]! * w[i * cols + j]! * u[j]!;
        wm += w[i * cols + j]! * m[i * cols + j]!;
      }
    const g = grads[W.name]!.dataSync();
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const expected = m[i * cols + j]! / sigma - (wm / sigma ** 2) * v[i]! * u[j]!;
        expect(g[i * cols + j]!).toBeCloseTo(expected, 4);
      }
    tf.dispose([W, M, grads[W.name]!]);
    sn.dispose();
  });
});
