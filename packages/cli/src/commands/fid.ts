/**
 * `gen-eval fid A B [--json]` — Fréchet Inception Distance; A and B are each an image folder, .npy
 * features or .npz statistics, in any mix. Prints `FID:  <value>` as pytorch-fid does; with
 * another extractor (`--extractor dinov2`) the line names the Fréchet distance's feature space
 * instead, and `details.feature_space` records it (extractor, weights hash, profile).
 */
import { fid, frechetName, METRIC, type FeatureSpace, type FidInput, type FidResult } from '@gen-eval/metrics';
import { featureSpaceOfInputs, fidInputOf } from '@gen-eval/metrics/extract';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import { emit, type OutputOptions } from '../output.js';
import { inputRecord, loadInputs } from '../read-inputs.js';
import { run as saveStats } from './stats.js';

/** Both inputs (folders share one network) as FID inputs of the same dimension. */
async function load(
  paths: readonly [string, string],
  opts: object,
): Promise<{ inputs: [FidInput, FidInput]; records: Record<string, unknown>[]; warnings: string[]; space: FeatureSpace | undefined }> {
  const loaded = await loadInputs(paths, opts);
  const [a, b] = loaded.inputs.map(fidInputOf) as [FidInput, FidInput];
  const dims = (x: FidInput) => ('cols' in x ? x.cols : x.mu.length);
  if (dims(a) !== dims(b)) throw inputError(paths[1], `has ${dims(b)} feature dims but ${paths[0]} has ${dims(a)}`);
  return { inputs: [a, b], records: loaded.inputs.map(inputRecord), warnings: loaded.warnings, space: featureSpaceOfInputs(loaded.inputs) };
}

export async function run(aPath: string, bPath: string, opts: OutputOptions & { saveStats?: boolean; output?: string }): Promise<void> {
  if (opts.saveStats) return saveStats(aPath, { ...opts, output: bPath, outputOption: 'B (--save-stats)' });
  const {
    inputs: [a, b],
    records,
    warnings,
    space,
  } = await load([aPath, bPath], opts);
  let r: FidResult;
  try {
    r = await fid(a, b, { labels: [aPath, bPath] });
  } catch (err) {
    // The only input-dependent failure left (covariances that are not PSD even with ε·I) names no
    // file: it is about the pair, so name both.
    if (err instanceof GenEvalError && err.code === 'bad_input' && err.path === undefined) {
      throw inputError(`${aPath}, ${bPath}`, err.message.replace(/^fid: /, ''), { cause: err });
    }
    throw err;
  }
  emit(
    {
      metric: 'fid',
      [METRIC.fid]: r.fid,
      n: [r.n1, r.n2],
      dims: r.dims,
      method: r.method,
      epsilon_added: r.epsilonAdded,
      terms: { mean_distance: r.terms.meanDistance, trace1: r.terms.trace1, trace2: r.terms.trace2, trace_sqrt: r.terms.traceSqrt },
      inputs: records,
      ...(space !== undefined ? { details: { feature_space: space } } : {}),
    },
    opts,
    // pytorch-fid prints print('FID: ', value): two spaces (kept for every name of the distance).
    `${frechetName(space?.extractor)}:  ${r.fid}`,
    [...warnings, ...r.warnings],
  );
}
