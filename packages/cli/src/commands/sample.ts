/**
 * `gen-eval sample runs/NAME -n N -o FILE.npy` — draws points from a trained run's latest
 * checkpoint (`--label` for cgan; `--from a|b [--input X.npy]` for cyclegan).
 */
import { GenEvalError, writeNpy } from '@gen-eval/metrics';
import { readPoints, sampleRun, type SampleRunOptions } from '@gen-eval/models';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputFile } from '../output-path.js';

export interface SampleCommandOptions extends OutputOptions {
  n: number;
  seed: number;
  label?: number;
  from?: 'a' | 'b';
  input?: string;
  output: string;
}

export async function run(dir: string, opts: SampleCommandOptions): Promise<void> {
  if (!opts.output.endsWith('.npy')) throw new GenEvalError(`-o must name a .npy file, got "${opts.output}"`);
  checkOutputFile(opts.output);
  const o: SampleRunOptions = { n: opts.n, seed: opts.seed };
  if (opts.label !== undefined) o.label = opts.label;
  if (opts.from !== undefined) o.from = opts.from;
  if (opts.input !== undefined) {
    const { data, rows } = readPoints(opts.input);
    o.input = { data, rows, cols: 2, name: opts.input };
  }
  const r = await sampleRun(dir, o);
  writeNpy(opts.output, r.points, [r.rows, r.dims]);
  emit({ run: dir, output: opts.output, rows: r.rows, dims: r.dims, step: r.step, seed: opts.seed }, opts, `${opts.output}: ${r.rows} points from ${dir} (checkpoint at step ${r.step}, seed ${opts.seed})`);
}
