/**
 * `gen-eval fid A B [--json]` — Fréchet Inception Distance; A and B are each .npy features or
 * .npz statistics, in any mix. Prints `FID:  <value>` as pytorch-fid does.
 */
import { fid, fidInputOf, inputError, type FidInput, type FidResult } from '@gen-eval/metrics';
import { checkSameDims, loadInput, type LoadedInput } from '../inputs.js';
import { emit, type OutputOptions } from '../output.js';
import { loadInputs } from '../read-inputs.js';
import { isDirectory, run as saveStats } from './stats.js';

function asFidInput(x: LoadedInput): FidInput {
  if (x.kind === 'features') return x.features;
  return x.n === null ? { mu: x.stats.mu, sigma: x.stats.sigma } : { mu: x.stats.mu, sigma: x.stats.sigma, n: x.n };
}

/** Files through the strict file loader; image folders through the extraction pipeline (one shared network). */
async function load(paths: readonly [string, string], opts: object): Promise<{ inputs: [FidInput, FidInput]; dims: [number, number]; warnings: string[] }> {
  const folders = paths.filter(isDirectory);
  const loaded = folders.length > 0 ? await loadInputs(folders, opts) : { inputs: [], warnings: [] };
  const out = paths.map((p) => {
    const i = folders.indexOf(p);
    if (i >= 0) {
      const x = loaded.inputs[i]!;
      const input = fidInputOf(x);
      return { input, dims: 'cols' in input ? input.cols : input.mu.length };
    }
    const x = loadInput(p);
    return { input: asFidInput(x), dims: x.dims, loaded: x };
  });
  const [fa, fb] = out as [(typeof out)[number], (typeof out)[number]];
  if ('loaded' in fa && 'loaded' in fb && fa.loaded && fb.loaded) checkSameDims(fa.loaded, fb.loaded);
  else if (fa.dims !== fb.dims) throw inputError(paths[1], `has ${fb.dims} feature dims but ${paths[0]} has ${fa.dims}`);
  return { inputs: [fa.input, fb.input], dims: [fa.dims, fb.dims], warnings: loaded.warnings };
}

export async function run(aPath: string, bPath: string, opts: OutputOptions & { saveStats?: boolean; output?: string }): Promise<void> {
  if (opts.saveStats) return saveStats(aPath, { ...opts, output: bPath });
  const { inputs: [a, b], warnings } = await load([aPath, bPath], opts);
  let r: FidResult;
  try {
    r = await fid(a, b, { labels: [aPath, bPath] });
  } catch (err) {
    // The only input-dependent failure left: covariances that are not PSD even with ε·I.
    if (err instanceof RangeError && /positive semi-definite/.test(err.message)) {
      throw inputError(`${aPath}, ${bPath}`, err.message.replace(/^fid: /, ''));
    }
    throw err;
  }
  emit(
    {
      metric: 'fid',
      fid: r.fid,
      n: [r.n1, r.n2],
      dims: r.dims,
      method: r.method,
      epsilon_added: r.epsilonAdded,
      terms: { mean_distance: r.terms.meanDistance, trace1: r.terms.trace1, trace2: r.terms.trace2, trace_sqrt: r.terms.traceSqrt },
      inputs: [aPath, bPath],
    },
    opts,
    // pytorch-fid prints print('FID: ', value): two spaces.
    `FID:  ${r.fid}`,
    [...warnings, ...r.warnings],
  );
}
