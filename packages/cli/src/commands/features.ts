/**
 * `gen-eval features FOLDER -o feats.npy [--logits logits.npy] [--json]` — the extractor's features
 * (and logits) of an image folder as float32 `.npy` matrices, for clean-fid, torch-fidelity, numpy
 * or any other tool. Row i is the i-th image of the folder's sorted listing (the order `stats`,
 * `fid` and the cache use: relative paths compared folder component by folder component, by code
 * point, as Python's sorted() on pathlib paths); images skipped with --skip-bad have no row.
 * These are exactly the rows `stats` reduces to mu and sigma. Files are written atomically.
 */
import { extname } from 'node:path';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import { encodeNpy, writeFilesAtomic, type Matrix } from '@gen-eval/metrics';
import { loadInputs } from '../read-inputs.js';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputs, isSpecial } from '../output-path.js';

export interface FeaturesCommandOptions extends OutputOptions {
  output: string;
  logits?: string;
}

/** The network's float32 output as it is (the pipeline never widens it). */
function float32(m: Matrix): Float32Array {
  return m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
}

export async function run(folder: string, opts: FeaturesCommandOptions): Promise<void> {
  for (const out of [opts.output, opts.logits]) {
    if (out === undefined) continue;
    if (extname(out).toLowerCase() !== '.npy' && !isSpecial(out)) throw inputError(out, 'the output file must end in .npy');
  }
  checkOutputs({
    inputs: [folder],
    outputs: [{ path: opts.output, option: '-o' }, ...(opts.logits !== undefined ? [{ path: opts.logits, option: '--logits' }] : [])],
  });
  const {
    inputs: [input],
    warnings,
  } = await loadInputs([folder], opts, { accept: ['images'] });
  if (input!.kind !== 'images') throw new GenEvalError(`${folder}: expected an image folder`);
  const set = input!.set;
  if (opts.logits !== undefined && set.logits === undefined) {
    throw new GenEvalError(
      `--logits: the extractor ${set.extractor} has no logits output (the inception extractor has its 1008 unbiased logits; onnx:PATH models give features only)`,
    );
  }
  const f = set.features;
  const l = opts.logits !== undefined ? set.logits : undefined;
  // Both files or neither: a full disk on the logits leaves no features file either.
  writeFilesAtomic([
    { path: opts.output, data: encodeNpy(float32(f), [f.rows, f.cols]) },
    ...(l !== undefined ? [{ path: opts.logits!, data: encodeNpy(float32(l), [l.rows, l.cols]) }] : []),
  ]);
  emit(
    {
      output: opts.output,
      n: f.rows,
      dims: f.cols,
      dtype: 'float32',
      logits: l ? opts.logits : null,
      logit_dims: l ? l.cols : null,
      input: folder,
      extractor: set.extractor,
      profile: set.profile.name,
      order: 'sorted relative paths',
      skipped: set.skipped.map((s) => s.file),
    },
    opts,
    `wrote ${opts.output}: ${f.rows}×${f.cols} float32 features${l ? ` and ${opts.logits}: ${l.rows}×${l.cols} logits` : ''} (rows in sorted file order)`,
    warnings,
  );
}
