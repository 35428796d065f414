/**
 * `gen-eval features FOLDER -o feats.npy [--logits logits.npy] [--json]` — the extractor's features
 * (and logits) of an image folder as float32 `.npy` matrices, for clean-fid, torch-fidelity, numpy
 * or any other tool. Row i is the i-th image of the folder's sorted listing (the order `stats`,
 * `fid` and the cache use: relative paths compared folder component by folder component, by code
 * point, as Python's sorted() on pathlib paths); images skipped with --skip-bad have no row.
 * These are exactly the rows `stats` reduces to mu and sigma. Files are written atomically.
 */
import { extname, resolve } from 'node:path';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import { writeNpy, type Matrix } from '@gen-eval/metrics';
import { loadInputs } from '../read-inputs.js';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputFile } from '../output-path.js';

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
    if (extname(out).toLowerCase() !== '.npy') throw inputError(out, 'the output file must end in .npy');
    checkOutputFile(out);
  }
  if (opts.logits !== undefined && resolve(opts.logits) === resolve(opts.output)) {
    throw inputError(opts.logits, 'is also the features output (-o); give the logits their own file');
  }
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
  writeNpy(opts.output, float32(f), [f.rows, f.cols]);
  const l = opts.logits !== undefined ? set.logits : undefined;
  if (l !== undefined) writeNpy(opts.logits!, float32(l), [l.rows, l.cols]);
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
