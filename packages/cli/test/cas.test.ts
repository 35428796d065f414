/**
 * `gen-eval cas` end to end on tiny runs: a cgan on mnist and a gan-cls on captioned-mnist get CAS,
 * its real baseline and class accuracy (cgan's training evaluations record class_accuracy too); runs of unconditional families,
 * of 2-D data, and bad options are refused in one exit-2 line naming the run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMetric, isParameter } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-cas-');
const tiny = ['--hp', 'hidden=4', '--batch-size', '4', '--eval-every', '100', '--backend', 'wasm'];
const train = (out: string, ...args: string[]) => {
  const r = cli('train', '--steps', '2', '--out', out, ...tiny, ...args);
  expect(r.code, r.stderr).toBe(0);
  return out;
};

/** The one line and exit code 2 of a refusal. */
function expectRefusal(args: string[], problem: RegExp): void {
  const r = cli('cas', ...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(problem);
}

describe('gen-eval cas', () => {
  const cgan = join(dir, 'cgan');
  it('scores a cgan run on mnist: cas, cas_real and class_accuracy in [0, 1], numbers at the top level all metrics or parameters', () => {
    train(cgan, '--model', 'cgan', '--data', 'mnist', '--eval-samples', '20');
    // 20 samples per evaluation, 2 of each class: training records class_accuracy.
    const recorded = readFileSync(join(cgan, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { metric: string; value: number });
    const acc = recorded.find((r) => r.metric === 'class_accuracy');
    expect(acc?.value).toBeGreaterThanOrEqual(0);
    expect(acc?.value).toBeLessThanOrEqual(1);
    const r = cli('cas', cgan, '-n', '30', '--epochs', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ model: 'cgan', data: 'mnist', n: 30, seed: 0, classifier: { epochs: 1, test_images: 2004 }, checkpoint: { step: 2 } });
    for (const k of ['cas', 'cas_real', 'class_accuracy']) {
      expect(out[k]).toBeGreaterThanOrEqual(0);
      expect(out[k]).toBeLessThanOrEqual(1);
    }
    for (const [k, v] of Object.entries(out)) if (typeof v === 'number') expect(isMetric(k) || isParameter(k), k).toBe(true);
  });

  it('scores a gan-cls run on captioned-mnist, asking for each class by captions of it', () => {
    const run = train(join(dir, 'gan-cls'), '--model', 'gan-cls', '--data', 'captioned-mnist', '--eval-samples', '20');
    const r = cli('cas', run, '-n', '20', '--epochs', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    expect(out).toMatchObject({ model: 'gan-cls', data: 'captioned-mnist', n: 20 });
    for (const k of ['cas', 'cas_real', 'class_accuracy']) expect(out[k]).toBeGreaterThanOrEqual(0);
  });

  it('refuses a run of an unconditional family, naming the run and the reason', () => {
    const gan = train(join(dir, 'ns-gan'), '--model', 'ns-gan', '--data', 'mnist', '--eval-samples', '8');
    expectRefusal([gan], new RegExp(`${gan} is a run of ns-gan, conditioned on noise alone: CAS needs a model conditioned on a class label or a caption \\(cgan, gan-cls`));
  });

  it('refuses a cgan run on 2-D data, a folder that is no run, and a count of 0', () => {
    const points = train(join(dir, 'cgan-2d'), '--model', 'cgan', '--eval-samples', '20');
    expectRefusal([points], new RegExp(`${points} is a run on ring-easy: CAS needs 28×28 grey digits or clothes \\(mnist, fashion-mnist or their captioned sets\\)`));
    expectRefusal([join(dir, 'missing')], /missing/);
    expectRefusal([cgan, '-n', '0'], /-n must be an integer from 1/);
  });
});
