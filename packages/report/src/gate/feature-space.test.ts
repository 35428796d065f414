import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { evaluateGate } from './evaluate-gate.js';
import { inDeclaredSpace, recordedSpace, spaceDifference } from './feature-space.js';
import { metricsFromObject } from './results.js';
import { parseThresholds } from './thresholds.js';

const INCEPTION = 'inception@6726825d:2048';
const DINOV2 = 'dinov2@0f1e2d3c:vitl14';
/** A `gen-eval fid --json` result of two image folders measured with `extractor`. */
const fidResult = (fid: number, extractor: string, profile = 'pytorch-fid') => ({
  fid,
  inputs: [
    { path: 'real/', kind: 'images', n: 100, extractor, profile },
    { path: 'fake/', kind: 'images', n: 100, extractor, profile },
  ],
});
const results = (o: unknown, source = 'results.json') => metricsFromObject(o, source);
const gates = (o: unknown, file = 'gates.json') => parseThresholds(JSON.stringify(o), file);

describe('the feature space a result records', () => {
  it('is its image inputs’ extractor and profile, else details.feature_space, else none', () => {
    expect(recordedSpace(fidResult(3, DINOV2, 'dgm-eval'))).toEqual({ extractor: DINOV2, profile: 'dgm-eval' });
    expect(recordedSpace({ fid: 3, details: { feature_space: { extractor: DINOV2, network: 'dinov2' } } })).toEqual({ extractor: DINOV2 });
    expect(recordedSpace({ fid: 3, inputs: [{ path: 'a.npy', kind: 'features' }] })).toBeUndefined();
    expect(recordedSpace({ fid: 3, inputs: ['a.npy', 'b.npy'] })).toBeUndefined();
    expect(results(fidResult(3, INCEPTION)).space).toEqual({ extractor: INCEPTION, profile: 'pytorch-fid' });
  });

  it('differs by extractor or profile; a declared network matches its full names only', () => {
    expect(spaceDifference({ extractor: INCEPTION, profile: 'clean' }, { extractor: INCEPTION, profile: 'clean' })).toBeUndefined();
    expect(spaceDifference({ extractor: INCEPTION }, { extractor: DINOV2 })).toMatch(/^extractor "?inception@6726825d:2048"? vs "?dinov2@0f1e2d3c:vitl14"?$/);
    expect(spaceDifference({ extractor: INCEPTION, profile: 'clean' }, { extractor: INCEPTION })).toBe('profile clean vs not recorded');
    expect(inDeclaredSpace('dinov2', DINOV2)).toBe(true);
    expect(inDeclaredSpace(DINOV2, DINOV2)).toBe(true);
    expect(inDeclaredSpace('inception', DINOV2)).toBe(false);
    expect(inDeclaredSpace('dino', DINOV2)).toBe(false);
  });
});

describe('the gate refuses bounds set in another feature space', () => {
  it('a baseline measured with another extractor, read by an expression: one line naming the baseline', () => {
    const t = gates({ fid: { max: 'baseline.fid * 1.05' } });
    expectGenEvalError(() => evaluateGate(t, results(fidResult(300, DINOV2)), results(fidResult(30, INCEPTION), 'base.json')), {
      code: 'bad_input',
      message: /^base\.json: measured in another feature space than the results \(results\.json\): extractor .*inception.* vs .*dinov2.*fid\.max/,
    });
    // Another profile is another space too.
    expectGenEvalError(() => evaluateGate(t, results(fidResult(30, INCEPTION, 'clean')), results(fidResult(30, INCEPTION), 'base.json')), {
      message: /profile pytorch-fid vs clean/,
    });
  });

  it('the same space, a baseline no expression reads, or results that record no space: the gate runs', () => {
    const t = gates({ fid: { max: 'baseline.fid * 1.05' } });
    expect(evaluateGate(t, results(fidResult(31, DINOV2)), results(fidResult(30, DINOV2), 'base.json')).status).toBe('pass');
    expect(evaluateGate(gates({ fid: { max: 40 } }), results(fidResult(31, DINOV2)), results(fidResult(30, INCEPTION))).status).toBe('pass');
    expect(evaluateGate(t, results({ fid: 31 }), results(fidResult(30, INCEPTION))).status).toBe('pass');
  });

  it('a thresholds file declaring its extractor refuses results of another one, naming the file', () => {
    const t = gates({ extractor: 'inception', fid: { max: 40 } });
    expect(t.metrics).toEqual(['fid']);
    expect(evaluateGate(t, results(fidResult(31, INCEPTION))).status).toBe('pass');
    expectGenEvalError(() => evaluateGate(t, results(fidResult(31, DINOV2))), {
      code: 'bad_input',
      message: /^gates\.json: "extractor": the bounds were set for "?inception"? features but the results \(results\.json\) were measured with .*dinov2/,
    });
    expect(evaluateGate(gates({ extractor: 'dinov2', fid: { max: 400 } }), results(fidResult(310, DINOV2))).status).toBe('pass');
  });

  it('a declared extractor must be a name', () => {
    expectGenEvalError(() => gates({ extractor: 5, fid: { max: 40 } }), { code: 'bad_input', message: /^gates\.json: "extractor": expected the extractor .* got 5$/ });
    expectGenEvalError(() => gates({ extractor: 'dinov2' }), { message: /has no bound/ });
  });
});
