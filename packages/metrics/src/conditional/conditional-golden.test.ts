/** The conditional metrics against numpy (fixtures/scripts/gen_conditional_metrics.py). */
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/conditional-metrics/conditional-metrics.json' with { type: 'json' };
import { fromSpec } from '../golden-spec.test-helper.js';
import { RandomState } from '../random.js';
import { expectClose, GOLDEN_TOLERANCE } from '../testing/expect.js';
import type { AttributeName, CaptionMeaning } from './types.js';
import { attributeAccuracy, classAccuracy } from './accuracy.js';
import { intraFid } from './intra-fid.js';
import { rPrecision } from './r-precision.js';
import { textAlignment } from './text-alignment.js';

const EXACT = { abs: 1e-12 };
const index = (n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));

describe('conditional metrics equal numpy', () => {
  it.each(golden.text_alignment.map((c, i) => [i, c] as const))('text alignment, case %i', (_, c) => {
    const r = textAlignment(fromSpec(c.images), fromSpec(c.captions));
    expectClose(r.textAlignment, c.text_alignment, EXACT);
    expectClose(r.perPair, c.per_pair, EXACT);
  });

  it.each(golden.r_precision.map((c, i) => [i, c] as const))('R-precision with the same seeded candidates, case %i', (_, c) => {
    const images = fromSpec(c.images);
    const noise = fromSpec(c.noise);
    const captions = { rows: images.rows, cols: images.cols, data: images.data.map((v, k) => v + noise.data[k]!) };
    const set = { embeddings: captions, meanings: index(images.rows, (i) => i % c.keys_mod) };
    const r = rPrecision(images, set, set, new RandomState(c.seed), { candidates: c.candidates, r: c.r });
    expect([...r.ranks]).toEqual(c.ranks);
    expect(r.rPrecision).toBe(c.r_precision);
    expect(r.chance).toBe(c.r / c.candidates);
  });

  it('class accuracy', () => {
    const c = golden.class_accuracy[0]!;
    const logits = fromSpec(c.logits);
    const requested = index(logits.rows, (i) => (7 * i + 3) % logits.cols);
    requested.forEach((k, i) => (logits.data[i * logits.cols + k]! += c.boost));
    const r = classAccuracy(logits, requested);
    expect(r.classAccuracy).toBe(c.class_accuracy);
    expect(r.perClass).toEqual(c.per_class);
  });

  it('attribute accuracy', () => {
    const c = golden.attribute_accuracy[0]!;
    const r = attributeAccuracy(c.measured as Record<AttributeName, number[]>, c.requested as CaptionMeaning[]);
    expect(r.attributeAccuracy).toBe(c.attribute_accuracy);
    expect(r.requests).toBe(c.requests);
    expect(r.perAttribute).toEqual(c.per_attribute);
    expect(r.metrics).toEqual({
      attribute_accuracy: c.attribute_accuracy,
      ...Object.fromEntries(Object.entries(c.per_attribute).map(([k, v]) => [`attribute_accuracy_${k}`, v.accuracy])),
    });
  });

  it.each(golden.intra_fid.map((c, i) => [i, c] as const))('intra-FID, case %i', async (_, c) => {
    const [real, fake] = [fromSpec(c.real), fromSpec(c.fake)];
    const r = await intraFid(
      real,
      index(real.rows, (i) => i % c.classes),
      fake,
      index(fake.rows, (i) => (5 * i + 2) % c.classes),
    );
    expectClose(r.intraFid, c.intra_fid, GOLDEN_TOLERANCE);
    expectClose(
      r.details.perClass.map((p) => p.fid),
      c.per_class.map((p) => p.fid),
      GOLDEN_TOLERANCE,
    );
    expect(r.details.perClass.map((p) => [p.label, p.nReal, p.nFake])).toEqual(c.per_class.map((p) => [p.label, p.n_real, p.n_fake]));
  });
});
