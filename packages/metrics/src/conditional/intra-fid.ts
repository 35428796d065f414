/**
 * Intra-FID (Miyato & Koyama 2018, cGANs with projection discriminator): the FID between the real
 * and generated samples of each class, averaged over classes. A class-conditional generator that
 * draws good images of the wrong class, or one mode per class, scores well on FID and badly here.
 */
import { ACCUMULATOR_BLOCK_ROWS } from '../api/feature-accumulator.js';
import { inputError } from '../errors.js';
import { fid, type FidInput, type FidMethod } from '../fid.js';
import { GaussianAccumulator } from '../gaussian-stats.js';
import { selectRows, type Matrix } from '../matrix.js';
import { checkClassLabels } from './class-labels.js';

/** Options of {@link intraFid}. */
export interface IntraFidOptions {
  /** Names of real features, real labels, fake features, fake labels in errors (e.g. file names). */
  readonly names?: readonly [string, string, string, string];
  /**
   * Per side (real, fake): whether its features were extracted from images by the folder pipeline.
   * A class with more samples than dims then gets its statistics in the pipeline's blocks of rows,
   * so its FID equals `fid` of that class's own image folder bit for bit (batch boundaries change
   * sums by rounding); otherwise as `fid` computes them from a feature matrix.
   */
  readonly streamed?: readonly [boolean, boolean];
  /** ε for singular covariances, as {@link fid}'s. */
  readonly eps?: number;
}

/** One class's FID and sample counts. */
export interface IntraFidClass {
  readonly label: number;
  readonly fid: number;
  readonly nReal: number;
  readonly nFake: number;
  readonly method: FidMethod;
  readonly epsilonAdded: number;
}

/** The mean of the per-class FIDs, the classes (ascending) with their values, and warnings. */
export interface IntraFidResult {
  readonly intraFid: number;
  readonly classes: number;
  readonly dims: number;
  readonly details: { readonly perClass: readonly IntraFidClass[] };
  readonly warnings: string[];
}

/**
 * Intra-FID of `fake` against `real` (feature rows) with one class label per row. Every class must
 * appear on both sides with at least 2 samples (a covariance); the value is the plain mean of the
 * per-class FIDs in ascending class order, each computed by {@link fid}.
 */
export async function intraFid(
  real: Matrix,
  realLabels: ArrayLike<number | bigint>,
  fake: Matrix,
  fakeLabels: ArrayLike<number | bigint>,
  opts: IntraFidOptions = {},
): Promise<IntraFidResult> {
  const [realName, realLabelsName, fakeName, fakeLabelsName] = opts.names ?? ['real', 'realLabels', 'fake', 'fakeLabels'];
  if (fake.cols !== real.cols) throw inputError(fakeName, `has ${fake.cols} feature dims but ${realName} has ${real.cols}`);
  const realRows = byClass(checkClassLabels(realLabels, real.rows, realLabelsName, realName));
  const fakeRows = byClass(checkClassLabels(fakeLabels, fake.rows, fakeLabelsName, fakeName));
  for (const [[mine, theirs], [name, otherName]] of [
    [
      [realRows, fakeRows],
      [fakeLabelsName, realLabelsName],
    ],
    [
      [fakeRows, realRows],
      [realLabelsName, fakeLabelsName],
    ],
  ] as const) {
    for (const [label, rows] of mine)
      if (!theirs.has(label)) throw inputError(name, `has no sample of class ${label} (${otherName} has ${rows.length}); intra-FID needs every class on both sides`);
  }
  for (const [rows, name] of [
    [realRows, realLabelsName],
    [fakeRows, fakeLabelsName],
  ] as const) {
    for (const [label, idx] of rows) if (idx.length < 2) throw inputError(name, `class ${label} has ${idx.length} sample; intra-FID needs at least 2 per class (a covariance)`);
  }
  const [realStreamed, fakeStreamed] = opts.streamed ?? [false, false];
  const perClass: IntraFidClass[] = [];
  let sum = 0;
  for (const label of [...realRows.keys()].sort((a, b) => a - b)) {
    const [ri, fi] = [realRows.get(label)!, fakeRows.get(label)!];
    const r = await fid(await classInput(real, ri, realStreamed), await classInput(fake, fi, fakeStreamed), { ...(opts.eps === undefined ? {} : { eps: opts.eps }) });
    perClass.push({ label, fid: r.fid, nReal: ri.length, nFake: fi.length, method: r.method, epsilonAdded: r.epsilonAdded });
    sum += r.fid;
  }
  return { intraFid: sum / perClass.length, classes: perClass.length, dims: real.cols, details: { perClass }, warnings: warnings(perClass, real.cols) };
}

/** Row indexes of each class, in row order. */
function byClass(labels: Int32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const rows = out.get(label);
    if (rows) rows.push(i);
    else out.set(label, [i]);
  });
  return out;
}

/**
 * A class's rows as `fid` would get them from a file of its own: the rows (exact low-rank route
 * when n ≤ d; statistics in one block otherwise), or for streamed image features with n > d the
 * statistics in the folder pipeline's blocks.
 */
async function classInput(m: Matrix, rows: readonly number[], streamed: boolean): Promise<FidInput> {
  const sub = selectRows(m, rows);
  if (!streamed || sub.rows <= sub.cols) return sub;
  return (await new GaussianAccumulator(sub.cols, { blockRows: ACCUMULATOR_BLOCK_ROWS }).add(sub)).result();
}

/** One line per kind of problem, not one per class: sample sizes that bias FID, ε added. */
function warnings(perClass: readonly IntraFidClass[], dims: number): string[] {
  const out: string[] = [];
  const small = perClass.filter((c) => Math.min(c.nReal, c.nFake) <= dims).map((c) => c.label);
  if (small.length > 0) {
    out.push(
      `${small.length} of ${perClass.length} classes (${small.slice(0, 10).join(', ')}${small.length > 10 ? ', …' : ''}) have no more samples than the ${dims} feature dims on a side: their covariance is singular and their FID strongly biased upwards; compare intra-FID only at equal sample sizes`,
    );
  }
  const eps = perClass.filter((c) => c.epsilonAdded > 0).map((c) => c.label);
  if (eps.length > 0) out.push(`classes ${eps.join(', ')}: both covariances singular, ε·I added (see fid)`);
  return out;
}
