/**
 * `gen-eval eval REAL FAKE --metrics fid,kid,is,pr,prdc`: every metric from one feature pass per
 * input. With `--thresholds` it gates the result as `gen-eval check` does, in the same step.
 */
import { evaluateLoaded, ExtractorSession, loadInput, parseMetricList } from '@gen-eval/metrics/extract';
import { frechetName } from '@gen-eval/metrics';
import { GenEvalError } from '@gen-eval/metrics/errors';
import type { PreparedGate } from '@gen-eval/report/gate';
import { toInputOptions } from '../image-options.js';
import { emit, flagOf } from '../output.js';
import { inputRecord } from '../read-inputs.js';
import { checkJunitPath, publishGate, type GateOptions } from './check.js';

/**
 * Loads the thresholds and baseline before anything is computed, so a typo in them fails in a
 * moment rather than after the feature pass. The report package (mathjs) loads only when gating.
 */
async function prepare(opts: GateOptions, inputs: readonly string[]): Promise<PreparedGate | undefined> {
  if (opts.thresholds === undefined) {
    if (opts.baseline !== undefined || opts.junit !== undefined) throw new GenEvalError('--baseline and --junit gate the result: they need --thresholds FILE');
    return undefined;
  }
  checkJunitPath(opts.junit, [...inputs, opts.thresholds, opts.baseline]);
  const { prepareGateFiles } = await import('@gen-eval/report/gate');
  return prepareGateFiles(opts.thresholds, opts.baseline);
}

/** The metric each metric-specific option configures: given without that metric, it is refused. */
const METRIC_OF_OPTION: Readonly<Record<string, string>> = { splits: 'is', subsets: 'kid', subsetSize: 'kid', seed: 'kid', prK: 'pr', prdcK: 'prdc' };

export async function run(real: string, fake: string, opts: Record<string, unknown>): Promise<void> {
  const metrics = parseMetricList(String(opts.metrics));
  for (const key of (opts.given as string[] | undefined) ?? []) {
    const metric = METRIC_OF_OPTION[key];
    if (metric !== undefined && !(metrics as readonly string[]).includes(metric)) {
      throw new GenEvalError(`${flagOf(key)} configures the ${metric} metric, which --metrics ${metrics.join(',')} leaves out`, { code: 'usage' });
    }
  }
  const gateOpts = opts as GateOptions;
  const prepared = await prepare(gateOpts, [real, fake]);
  const session = new ExtractorSession(toInputOptions(opts));
  try {
    const a = await loadInput(real, session);
    const b = await loadInput(fake, session);
    const { result, details, warnings } = await evaluateLoaded(a, b, metrics, {
      isSplits: opts.splits as number,
      kidSubsets: opts.subsets as number,
      kidSubsetSize: opts.subsetSize as number,
      kidSeed: opts.seed as number,
      prK: opts.prK as number,
      prdcK: opts.prdcK as number,
    });
    for (const input of [a, b]) if (input.kind === 'images') warnings.push(...input.warnings);
    // A Fréchet distance outside Inception space says which space it is in (FD-DINOv2 is not FID).
    const fdName = frechetName(details.feature_space?.extractor);
    const human = Object.entries(result)
      .map(([k, v]) => `${k}: ${v.toFixed(6)}${k === 'fid' && fdName !== 'FID' ? `  (${fdName})` : ''}`)
      .join('\n');
    const output = { ...result, metrics, details, inputs: [a, b].map(inputRecord) };
    if (!prepared) {
      emit(output, opts, human, warnings);
      return;
    }
    const report = await import('@gen-eval/report/gate');
    // Checked before printing anything, so a bound on a metric not computed fails with exit 2 alone.
    const gate = report.applyGate(prepared, report.metricsFromObject({ ...result, details }, 'the eval result'));
    await publishGate(gate, gateOpts, () => emit({ ...output, gate: report.gateToJson(gate) }, opts, `${human}\n\n${report.renderGateTable(gate)}`, warnings));
  } finally {
    await session.dispose();
  }
}
