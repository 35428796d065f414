/**
 * Reading command inputs: each path is an image folder or a `.npy` feature matrix (and, for FID,
 * a `.npz` stats file). Folders share one extractor, built once.
 */
import { ExtractorSession, featuresOf, inputError, loadInput, type LoadedInput, type LoadInputOptions, type Matrix } from '@gen-eval/metrics';
import { toInputOptions } from './image-options.js';

/**
 * Loads every path with one shared extractor session (built only if a path is an image folder);
 * the session is closed afterwards.
 */
export async function loadInputs(
  paths: readonly string[], opts: object, load: LoadInputOptions = {},
): Promise<{ inputs: LoadedInput[]; warnings: string[] }> {
  const session = new ExtractorSession(toInputOptions(opts as Record<string, unknown>));
  try {
    const inputs: LoadedInput[] = [];
    for (const p of paths) inputs.push(await loadInput(p, session, load));
    const warnings = [...new Set(inputs.flatMap((i) => (i.kind === 'images' ? i.warnings : [])))];
    return { inputs, warnings };
  } finally {
    await session.dispose();
  }
}

/** What a metric needs of its inputs: `why` says so in errors (e.g. "KID needs at least 2 samples"). */
export interface PairRequirement {
  readonly metric: string;
  readonly minRows: number;
  readonly why: string;
}

/** REAL and FAKE feature matrices: same dims, at least `need.minRows` samples each. */
export async function readFeaturePair(
  realPath: string, fakePath: string, opts: object, need: PairRequirement,
): Promise<{ real: Matrix; fake: Matrix; warnings: string[] }> {
  const { inputs, warnings } = await loadInputs([realPath, fakePath], opts, { minRows: 1 });
  const { minRows, why } = need;
  const [real, fake] = inputs.map((input) => {
    const m = featuresOf(input, need.metric);
    if (m.rows < minRows) throw inputError(input.path, `${why}, found ${m.rows}`);
    return m;
  }) as [Matrix, Matrix];
  if (fake.cols !== real.cols) throw inputError(fakePath, `has ${fake.cols} feature dims but ${realPath} has ${real.cols}`);
  return { real, fake, warnings };
}
