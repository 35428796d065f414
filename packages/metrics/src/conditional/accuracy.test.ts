import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { metricSpec } from '../metric-table.js';
import { expectGenEvalError } from '../testing/expect.js';
import { attributeAccuracy, classAccuracy } from './accuracy.js';
import type { AttributeName, CaptionMeaning } from './types.js';

describe('classAccuracy', () => {
  it('takes the first largest logit (numpy argmax) or predicted classes', () => {
    const r = classAccuracy(
      fromRows([
        [1, 3, 3],
        [5, 0, 0],
        [0, 0, 1],
      ]),
      [1, 0, 0],
    );
    expect(r).toMatchObject({ classAccuracy: 2 / 3, correct: 2, n: 3 });
    expect(r.perClass).toEqual([
      { label: 0, n: 2, accuracy: 0.5 },
      { label: 1, n: 1, accuracy: 1 },
    ]);
    expect(classAccuracy([2, 2, 1n as unknown as number], [2, 1, 1]).classAccuracy).toBe(2 / 3);
  });

  it('lies in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 50 }), (pairs) => {
        const r = classAccuracy(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
        );
        expect(r.classAccuracy).toBeGreaterThanOrEqual(0);
        expect(r.classAccuracy).toBeLessThanOrEqual(1);
        expect(r.correct).toBe(pairs.filter(([a, b]) => a === b).length);
      }),
    );
  });

  it('refuses label counts, negative, non-integer and out-of-range labels', () => {
    expectGenEvalError(() => classAccuracy([1, 2], [1], ['p', 'labels.npy']), { path: 'labels.npy', message: /has 1 labels but p has 2 rows/ });
    expectGenEvalError(() => classAccuracy([1, 2], [1, -1]), { path: 'labels', message: /label -1 at row 1 is not a non-negative integer/ });
    expectGenEvalError(() => classAccuracy([1, 2], [1, 0.5]), { path: 'labels', message: /label 0.5 at row 1/ });
    expectGenEvalError(() => classAccuracy(fromRows([[0, 1]]), [2]), { path: 'labels', message: /not one of the classifier's 2 classes/ });
  });
});

describe('attributeAccuracy', () => {
  it('counts only the attributes a caption named', () => {
    const requested: CaptionMeaning[] = [
      { label: 1, attributes: { thickness: 0 } },
      { label: 2, attributes: { thickness: 1, slant: 2 } },
      { label: 3, attributes: {} },
    ];
    const r = attributeAccuracy({ thickness: [0, 2, 1], slant: [0, 2, 0] }, requested);
    expect(r.attributeAccuracy).toBe(2 / 3);
    expect(r.perAttribute).toEqual({ slant: { accuracy: 1, requests: 1 }, thickness: { accuracy: 0.5, requests: 2 } });
    expect(r.metrics).toEqual({ attribute_accuracy: 2 / 3, attribute_accuracy_slant: 1, attribute_accuracy_thickness: 0.5 });
    expect(attributeAccuracy({}, [{ label: 0, attributes: {} }])).toMatchObject({ attributeAccuracy: null, requests: 0, metrics: {} });
  });

  it('reports keys of the metric table, one per attribute', () => {
    const names: AttributeName[] = ['thickness', 'slant', 'size', 'brightness'];
    const r = attributeAccuracy(Object.fromEntries(names.map((a) => [a, [1]])), [{ label: 0, attributes: Object.fromEntries(names.map((a) => [a, 1])) }]);
    expect(Object.keys(r.metrics)).toHaveLength(5);
    for (const key of Object.keys(r.metrics)) expect(metricSpec(key), key).toMatchObject({ direction: 'higher', range: [0, 1] });
  });

  it('lies in [0, 1]', () => {
    const value = fc.integer({ min: 0, max: 2 });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.option(value, { nil: undefined })), { minLength: 1, maxLength: 40 }), (rows) => {
        const requested = rows.map(([, want]) => ({ label: 0, attributes: want === undefined ? {} : { size: want } }));
        const r = attributeAccuracy({ size: rows.map(([got]) => got) }, requested);
        expect(r.attributeAccuracy === null).toBe(rows.every(([, w]) => w === undefined));
        expect(r.attributeAccuracy ?? 0).toBeGreaterThanOrEqual(0);
        expect(r.attributeAccuracy ?? 0).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('refuses an attribute named but not measured, and bad value indexes', () => {
    const req: CaptionMeaning[] = [{ label: 0, attributes: { brightness: 1 } }];
    expectGenEvalError(() => attributeAccuracy({}, req), { code: 'usage', message: /caption 0 names brightness, but no brightness was measured/ });
    expectGenEvalError(() => attributeAccuracy({ brightness: [1, 2] }, req), { code: 'usage', message: /2 measured brightness values for 1 images/ });
    expectGenEvalError(() => attributeAccuracy({ brightness: [0.5] } as Record<AttributeName, number[]>, req), { code: 'usage', message: /measured brightness of image 0 is 0.5/ });
  });
});
