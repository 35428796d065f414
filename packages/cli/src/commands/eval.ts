/** `gen-eval eval REAL FAKE --metrics fid,kid,is,pr,prdc`: every metric from one feature pass per input. */
import { evaluate, ExtractorSession, loadInput, parseMetricList } from '@gen-eval/metrics';
import { toInputOptions } from '../image-options.js';
import { emit } from '../output.js';

export async function run(real: string, fake: string, opts: Record<string, unknown>): Promise<void> {
  const metrics = parseMetricList(String(opts.metrics));
  const session = new ExtractorSession(toInputOptions(opts));
  try {
    const a = await loadInput(real, session);
    const b = await loadInput(fake, session);
    const { result, details, warnings } = await evaluate(a, b, metrics, {
      isSplits: opts.splits as number,
      kidSubsets: opts.subsets as number,
      kidSubsetSize: opts.subsetSize as number,
      kidSeed: opts.seed as number,
      prK: opts.prK as number,
      prdcK: opts.prdcK as number,
    });
    for (const input of [a, b]) if (input.kind === 'images') warnings.push(...input.warnings);
    const human = Object.entries(result).map(([k, v]) => `${k}: ${v.toFixed(6)}`).join('\n');
    const sources = [a, b].map((x) => ({ path: x.path, kind: x.kind, ...(x.kind === 'images' ? { n: x.set.n, extractor: x.set.extractor, profile: x.set.profile.name, fromCache: x.set.fromCache } : {}) }));
    emit({ ...result, metrics, details, inputs: sources }, opts, human, warnings);
  } finally {
    await session.dispose();
  }
}
