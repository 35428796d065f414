import { describe, expect, it } from 'vitest';
import type { CaptionEncoder } from '@gen-eval/metrics/conditional';
import { captionedDataset } from '../data/captioned.js';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { captionAttributeMetrics } from './text-eval.js';

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

  it('measures nothing off a captioned set', () => {
    const mnist = resolveDataset('mnist');
    expect(captionAttributeMetrics(mnist, mnist.sample(2, new Rng(1)).x, ['a one', 'a two'])).toEqual({});
  });
});
