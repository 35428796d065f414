/**
 * `gen-eval demo [--quick] [--out DIR]`: the whole tool in one command, offline. It
 *   1. evaluates every metric on the feature files shipped in the package's demo/ (a 10-class mixture
 *      standing in for real features, and a generated set that drops three classes; see
 *      fixtures/scripts/gen_demo.py),
 *   2. trains four small generators on the ring-easy mixture (gan, ns-gan, wgan-gp, ddpm) into
 *      DIR/runs/, each evaluated as it trains (mode diagnostics, sliced Wasserstein, MMD),
 *   3. gates every run on demo/gates.yaml (what `gen-eval check` does in CI),
 *   4. writes DIR/report.html comparing the runs.
 * About 4½ minutes on 2 cores; `--quick` trains a few seconds per model (under a minute).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { evaluateLoaded, ExtractorSession, loadInput, METRIC_NAMES } from '@gen-eval/metrics/extract';
import { readFeatureMatrix, writeFileAtomic } from '@gen-eval/metrics';
import { inputError, GenEvalError, terminalJson, terminalText } from '@gen-eval/metrics/errors';

/** Results go to stdout; training progress goes to stderr (trainProgress). */
const say = (text: string) => process.stdout.write(`${terminalText(text)}\n`);
import { metricsLine, trainProgress } from '../train-progress.js';
import { checkOutputDir } from '../output-path.js';

/**
 * The package's demo/ folder, found from this module (src/commands/ or dist/commands/) so that it
 * works from a checkout and from an installed package, whatever the working directory.
 */
export function demoDir(): string {
  const dir = fileURLToPath(new URL('../../demo/', import.meta.url));
  if (!existsSync(dir)) throw new GenEvalError(`the demo files are missing (${dir}); reinstall @gen-eval/cli`);
  return dir;
}

export interface DemoOptions {
  json?: boolean;
  quick?: boolean;
  out?: string;
}

/** The generators the demo trains: seconds of training each, and how often they are evaluated. */
// Full: 4:57 on 2 cores with 45/45/60/60 s (ddpm's three evaluations took ~40 s of it), so the
// budgets below keep the whole demo near 4½ minutes.
const PLAN = [
  { model: 'gan', full: { budget: 40, evalEvery: 500 }, quick: { budget: 2, evalEvery: 100 } },
  { model: 'ns-gan', full: { budget: 40, evalEvery: 500 }, quick: { budget: 2, evalEvery: 100 } },
  { model: 'wgan-gp', full: { budget: 60, evalEvery: 200 }, quick: { budget: 2, evalEvery: 20 } },
  // DDPM's sampling runs its network T = 1000 times (~14 s for 2 500 points), so it is evaluated least often.
  { model: 'ddpm', full: { budget: 50, evalEvery: 3000 }, quick: { budget: 2, evalEvery: 100_000 } },
] as const;

/** Step 1: every metric on the shipped feature files. */
async function featureWalkthrough(dir: string, json: boolean) {
  const session = new ExtractorSession({ quiet: true });
  const real = await loadInput(`${dir}real.npy`, session);
  const fake = await loadInput(`${dir}fake.npy`, session);
  const fakeLogits = readFeatureMatrix(`${dir}fake-logits.npy`);
  if (!json) say(`1/4 metrics on shipped features: ${dir}real.npy vs fake.npy (2048 × 64 features each; the fake set drops 3 of 10 modes)`);
  const { result, details, warnings } = await evaluateLoaded(real, fake, METRIC_NAMES, { fakeLogits });
  if (!json) {
    say(
      [
        `    FID:        ${result.fid!.toFixed(4)}`,
        `    IS:         ${result.is_mean!.toFixed(4)} ± ${result.is_std!.toFixed(4)}   (10 classes; 7 generated ⇒ IS ≤ 7)`,
        `    KID:        ${result.kid_mean!.toFixed(6)} ± ${result.kid_std!.toFixed(6)}`,
        `    precision:  ${result.precision!.toFixed(4)}   recall: ${result.recall!.toFixed(4)}   (Kynkäänniemi, k = 3)`,
        `    density:    ${result.density!.toFixed(4)}   coverage: ${result.coverage!.toFixed(4)}   (Naeem, k = 5)`,
      ].join('\n'),
    );
  }
  return { ...result, details, warnings };
}

export async function run(opts: DemoOptions): Promise<void> {
  const fixtures = demoDir();
  const out = resolve(opts.out ?? '.');
  if (!existsSync(out) || !statSync(out).isDirectory()) throw inputError(opts.out ?? '.', 'cannot write the demo there: not an existing folder');
  checkOutputDir(out);
  const json = opts.json === true;
  const features = await featureWalkthrough(fixtures, json);

  const { trainNew } = await import('@gen-eval/models');
  const mode = opts.quick ? 'quick' : 'full';
  if (!json) say(`2/4 training ${PLAN.length} generators on ring-easy (8 Gaussians, radius 2), ${PLAN.map((p) => `${p.model} ${p[mode].budget} s`).join(', ')}`);
  const runs: { model: string; dir: string; summary: Awaited<ReturnType<typeof trainNew>> }[] = [];
  for (const p of PLAN) {
    const dir = join(out, 'runs', p.model);
    const summary = await trainNew(
      { model: p.model, timeBudget: p[mode].budget, evalEvery: p[mode].evalEvery, out: dir, force: true, ...(opts.quick ? { evalSamples: 1000 } : {}) },
      { onEvent: trainProgress(process.stderr, json) },
    );
    runs.push({ model: p.model, dir, summary });
  }

  const gate = await import('@gen-eval/report/gate');
  const gatesFile = join(fixtures, 'gates.yaml');
  const prepared = gate.prepareGateFiles(gatesFile);
  if (!json) say(`3/4 quality gate ${gatesFile} (what \`gen-eval check runs/<model> --thresholds gates.yaml\` runs in CI)`);
  const gates = runs.map((r) => {
    const g = gate.applyGate(prepared, gate.loadMetrics(r.dir));
    if (!json) say(`    ${r.model.padEnd(8)} ${g.status.toUpperCase().padEnd(4)}  ${metricsLine(r.summary.metrics)}`);
    return { model: r.model, gate: gate.gateToJson(g) };
  });

  const report = await import('@gen-eval/report');
  const loaded = await report.loadInputs(
    runs.map((r) => r.dir),
    { skipBad: false },
  );
  const page = await report.renderReport(loaded.entries, { title: `gen-eval demo: ${PLAN.map((p) => p.model).join(', ')} on ring-easy`, warnings: loaded.warnings });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, page.html);
  if (!json) {
    say(`4/4 report written`);
    say(`\nruns:   ${join(out, 'runs')}/{${PLAN.map((p) => p.model).join(',')}}`);
    say(`report: ${reportPath}\n        open it in any browser (works offline): ${pathToFileURL(reportPath).href}`);
    say(
      `next:   gen-eval train --list · gen-eval sample ${join(out, 'runs', 'ns-gan')} -n 2500 -o points.npy · gen-eval check ${join(out, 'runs', 'ns-gan')} --thresholds ${gatesFile}`,
    );
  }
  if (json) {
    process.stdout.write(`${terminalJson({ features, runs: runs.map((r) => ({ dir: r.dir, ...r.summary })), gates, report: reportPath, warnings: features.warnings })}\n`);
  }
}
