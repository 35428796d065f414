/**
 * `gen-eval check RESULTS --thresholds gates.json|yaml [--baseline BASE] [--junit out.xml] [--json]`:
 * the CI quality gate. Exit 0 when every bound holds (warnings allowed), 1 when one fails, 2 when
 * an input is invalid. Under GitHub Actions it also appends a Markdown table to the step summary
 * and emits an annotation per failed or warned bound.
 */
import { appendFileSync } from 'node:fs';
import { GenEvalError } from '@gen-eval/metrics/errors';
import { writeFileAtomic } from '@gen-eval/metrics';
import type { GateResult } from '@gen-eval/report/gate';
import { emit, warn, type OutputOptions } from '../output.js';
import { checkOutputs } from '../output-path.js';

/** Options shared by `check` and `eval --thresholds`. */
export interface GateOptions extends OutputOptions {
  thresholds?: string;
  baseline?: string;
  junit?: string;
}

/**
 * Fails (exit 2) before any work when the JUnit file's folder is missing, or the file is one of
 * `inputs` (the results, thresholds, baseline) or inside an input folder (a run): an output path
 * in a missing folder is bad input, and finding out after a long evaluation would waste it.
 */
export function checkJunitPath(file: string | undefined, inputs: readonly (string | undefined)[]): void {
  if (file !== undefined) checkOutputs({ inputs, outputs: [{ path: file, option: '--junit' }] });
}

/**
 * Writes the gate's files (JUnit; GitHub's step summary) and returns the workflow commands to print
 * under GitHub Actions. The step summary is appended (other steps write to it too); a failure to
 * append is only a warning, since the gate's verdict does not depend on it.
 */
async function gateSideOutputs(gate: GateResult, opts: GateOptions, env: NodeJS.ProcessEnv): Promise<string[]> {
  const report = await import('@gen-eval/report/gate');
  if (opts.junit !== undefined) {
    // A failure is one line naming the file (writeFileAtomic's GenEvalError).
    writeFileAtomic(opts.junit, report.renderJunit(gate));
  }
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, `${report.renderGateMarkdown(gate)}\n`);
    } catch (err) {
      warn(`cannot append to GITHUB_STEP_SUMMARY (${summary}): ${(err as Error).message}`);
    }
  }
  return env.GITHUB_ACTIONS === 'true' ? report.githubAnnotations(gate) : [];
}

/**
 * Reports a gate computed by `check` or `eval --thresholds`: writes its files, prints `main` (the
 * command's output: the JSON object with --json, else text), then the annotations, and sets exit
 * code 1 when an error-level bound failed. Annotations go to stdout as GitHub expects, except with
 * --json, where stdout must stay one JSON object: then they go to stderr, whose lines the Actions
 * runner scans for workflow commands as well.
 */
export async function publishGate(gate: GateResult, opts: GateOptions, print: () => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const annotations = await gateSideOutputs(gate, opts, env);
  print();
  const text = annotations.map((a) => `${a}\n`).join('');
  if (text) (opts.json ? process.stderr : process.stdout).write(text);
  if (!gate.passed) process.exitCode = 1;
}

export async function run(results: string, opts: GateOptions): Promise<void> {
  // commander requires the option; this guards calls from code.
  if (opts.thresholds === undefined) throw new GenEvalError('--thresholds FILE is required');
  checkJunitPath(opts.junit, [results, opts.thresholds, opts.baseline]);
  const report = await import('@gen-eval/report/gate');
  const prepared = report.prepareGateFiles(opts.thresholds, opts.baseline);
  const gate = report.applyGate(prepared, report.loadMetrics(results));
  await publishGate(gate, opts, () => emit(report.gateToJson(gate), opts, report.renderGateTable(gate)));
}
