/**
 * Mode coverage of labelled samples — the Stacked-MNIST protocol (VEEGAN, PacGAN): each sample has
 * one class label per channel (from a pretrained classifier); the labels combine into one of
 * classes^channels modes (first channel most significant: 3 digits d₀d₁d₂ → mode 100·d₀ + 10·d₁ + d₂).
 * Reports the modes covered and KL(mode histogram ‖ uniform) in nats.
 */
import { inputError, usageError } from '../errors.js';
import { klFromUniform } from './mode-coverage.js';

/** Mode coverage of class labels: modes seen out of classes^C, and KL from uniform (nats). */
export interface ClassCoverageResult {
  readonly samples: number;
  readonly modes: number;
  readonly modesCovered: number;
  /** KL(mode histogram ‖ uniform over all modes), nats. */
  readonly kl: number;
}

/** Most modes we histogram (memory: one count per mode). */
const MAX_MODES = 1 << 26;

/**
 * Mode coverage of class labels: how many of the classes^C modes (tuples of C channel labels) occur, and the KL
 * divergence of the mode histogram from uniform.
 * @param labels N labels (shape [N]) or N × C labels (shape [N, C]), integers in [0, classes).
 * @param classes classes per channel.
 */
export function classCoverage(labels: ArrayLike<number | bigint>, shape: readonly number[], classes: number, opts: { name?: string } = {}): ClassCoverageResult {
  const name = opts.name ?? 'labels';
  if (!Number.isInteger(classes) || classes < 1) throw usageError(`classes must be a positive integer, got ${classes}`);
  if (shape.length !== 1 && shape.length !== 2) throw inputError(name, `expected labels of shape (N,) or (N, channels), found (${shape.join(', ')})`);
  const n = shape[0]!;
  const C = shape.length === 2 ? shape[1]! : 1;
  if (n === 0 || C === 0) throw inputError(name, 'is empty (no labels)');
  const modes = classes ** C;
  if (modes > MAX_MODES) throw inputError(name, `${classes}^${C} modes is too many to histogram`);
  const counts = new Float64Array(modes);
  for (let i = 0; i < n; i++) {
    let mode = 0;
    for (let c = 0; c < C; c++) {
      const raw = labels[i * C + c]!;
      const v = typeof raw === 'bigint' ? Number(raw) : raw;
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        const where = C > 1 ? `row ${i}, channel ${c}` : `row ${i}`;
        throw inputError(name, `label ${String(raw)} at ${where} is not an integer in [0, ${classes})`);
      }
      mode = mode * classes + v;
    }
    counts[mode]!++;
  }
  let covered = 0;
  for (let m = 0; m < modes; m++) if (counts[m]! > 0) covered++;
  return { samples: n, modes, modesCovered: covered, kl: klFromUniform(counts)! };
}
