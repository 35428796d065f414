import { describe, expect, it } from 'vitest';
import type { CaptionEncoder } from '@gen-eval/metrics/conditional';
import { captionedDataset } from '../data/captioned.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { captionAttributeMetrics, judgeMetrics, textEvalReference } from './text-eval.js';

/** An encoder that embeds nothing: the attribute metrics read the captions' words only. */
const blank: CaptionEncoder = { name: 'blank', dims: 1, encode: (c) => new Float32Array(c.length) };

describe('attribute accuracy of a text run’s samples', () => {
  const data = captionedDataset('captioned-mnist', { imageSize: 28 }, blank);

  it('is 1 for held-out digits against their own captions (the ceiling), lower against other digits’ captions', () => {
    const b = data.heldOut!(200, new Rng(4));
    const own = captionAttributeMetrics(data, b.x, b.captions!);
    expect(own.attribute_accuracy).toBe(1);
    for (const a of ['thickness', 'slant', 'size']) expect(own[`attribute_accuracy_${a}`]).toBe(1);
    const shifted = [...b.captions!.slice(1), b.captions![0]!];
    const other = captionAttributeMetrics(data, b.x, shifted);
    expect(other.attribute_accuracy).toBeLessThan(0.7);
  });

  it('the judge: R-precision and text alignment of held-out digits with their own captions beat those with other digits’ captions', async () => {
    const ref = textEvalReference(data, 3)!;
    try {
      expect(ref.pool.embeddings.rows).toBe(1000);
      const b = data.heldOut!(200, new Rng(5));
      const own = await judgeMetrics(ref, b.x, b.captions!, 1);
      const shifted = await judgeMetrics(ref, b.x, [...b.captions!.slice(1), b.captions![0]!], 1);
      expect(own.r_precision).toBeGreaterThan(0.1);
      expect(own.r_precision).toBeGreaterThan(shifted.r_precision! + 0.05);
      expect(own.text_alignment).toBeGreaterThan(shifted.text_alignment!);
      expect(await judgeMetrics(ref, b.x, b.captions!, 1)).toEqual(own);
    } finally {
      await ref.judge.dispose();
    }
    expect(textEvalReference(resolveDataset('mnist'), 3)).toBeUndefined();
  });

  it('measures nothing off a captioned set', () => {
    const mnist = resolveDataset('mnist');
    expect(captionAttributeMetrics(mnist, mnist.sample(2, new Rng(1)).x, ['a one', 'a two'])).toEqual({});
  });
});
