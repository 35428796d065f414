import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { prepareGate } from './evaluate-gate.js';
import { metricsFromObject } from './results.js';
import { parseThresholds } from './thresholds.js';

const gate = (text: string, baseline?: object) => prepareGate(parseThresholds(text, 'gates.yaml'), baseline ? metricsFromObject(baseline, 'base.json') : undefined);

describe('gate metric names and bounds, checked against the metric table', () => {
  it('refuses a misspelt metric or a metric group before any result is read', () => {
    expect(expectGenEvalError(() => gate('FID: {max: 40}'), { code: 'bad_input' }).message).toBe('gates.yaml: "FID": unknown metric; did you mean "fid"?');
    expect(expectGenEvalError(() => gate('kid-mean: {max: 0.01}'), { code: 'bad_input' }).message).toBe('gates.yaml: "kid-mean": unknown metric; did you mean "kid_mean"?');
    expect(expectGenEvalError(() => gate('kid: {max: 0.01}'), { code: 'bad_input' }).message).toBe(
      'gates.yaml: "kid": is a metric group, not a result key; bound "kid_mean" or "kid_std"',
    );
    expect(expectGenEvalError(() => gate('pr: {min: 0.5}'), { code: 'bad_input' }).message).toMatch(/"pr": is a metric group, not a result key; bound "precision" or "recall"$/);
  });

  it('refuses a bound no value of the metric can meet, numeric or from the baseline', () => {
    expect(expectGenEvalError(() => gate('precision: {min: 95}'), { code: 'bad_input' }).message).toBe(
      'gates.yaml: "precision.min": min 95 is above the largest value precision can take (1), so no value can pass',
    );
    expect(expectGenEvalError(() => gate('fid: {max: -1}'), { code: 'bad_input' }).message).toBe(
      'gates.yaml: "fid.max": max -1 is below the smallest value fid can take (0), so no value can pass',
    );
    expect(expectGenEvalError(() => gate('coverage: {warn: {min: "baseline.coverage * 2"}}', { coverage: 0.8 }), { code: 'bad_input' }).message).toMatch(
      /"coverage\.warn\.min": min 1\.6 is above the largest value coverage can take \(1\)/,
    );
  });

  it("keeps bounds on other tools' metrics, parameters and at the edge of a range", () => {
    expect(gate('my_score: {min: 3}\nn: {min: 10000}\ncoverage: {min: 1}\nkid_mean: {max: 0.01}\nf_score: {min: 0.5}').bounds).toHaveLength(5);
  });
});
