import { parseCaption, type CaptionEncoder } from '@gen-eval/metrics/conditional';
import { describe, expect, it } from 'vitest';
import { resolveDataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { balancedCounts, byCaption, byLabel, labelClassifier, samplePerClass } from './class-accuracy.js';

describe('samplePerClass', () => {
  /** A model that records what each call asked for and returns `dims` zeros per sample. */
  const recorder = (dims: number) => {
    const calls: { n: number; label?: number; text?: Float32Array }[] = [];
    return { calls, sample: (n: number, _rng: Rng, o?: { label?: number; text?: Float32Array }) => (calls.push({ n, ...o }), new Float32Array(n * dims)) };
  };

  it('asks a label model for each class by label, in class order, with the labels it asked for', () => {
    const m = recorder(3);
    const r = samplePerClass(m, [2, 0, 1], 3, new Rng(1), byLabel);
    expect(m.calls).toEqual([
      { n: 2, label: 0 },
      { n: 1, label: 2 },
    ]);
    expect(Array.from(r.labels)).toEqual([0, 0, 2]);
    expect(r.x.length).toBe(9);
  });

  it('asks a text model for class k by captions of class k from the grammar, embedded by the data set’s encoder', () => {
    const data = resolveDataset('captioned-mnist');
    const seen: string[] = [];
    const encoder: CaptionEncoder = {
      name: 'spy',
      dims: data.text!.dims,
      encode: (captions) => (seen.push(...captions), data.text!.encode(captions)),
    };
    const condition = byCaption({ ...data, text: encoder })!;
    const m = recorder(784);
    const counts = balancedCounts(30, 10);
    samplePerClass(m, counts, 784, new Rng(2), condition);
    expect(seen).toHaveLength(30);
    expect(seen.map((c) => parseCaption(c, 'mnist').label)).toEqual(counts.flatMap((c, k) => new Array<number>(c).fill(k)));
    // Varied wording and attributes: not one caption per class.
    expect(new Set(seen).size).toBeGreaterThan(20);
    expect(m.calls.map((c) => c.text!.length)).toEqual(counts.map((c) => c * encoder.dims));
  });

  it('has no caption route for data without captions, and knows which sets’ labels are classifier classes', () => {
    expect(byCaption(resolveDataset('mnist'))).toBeUndefined();
    expect(labelClassifier(resolveDataset('mnist'))).toBe('mnist');
    expect(labelClassifier(resolveDataset('captioned-mnist'))).toBe('mnist');
    // Inverted digits are scored by the mnist classifier for FID, but its classes do not transfer.
    expect(labelClassifier(resolveDataset('mnist-inverted'))).toBeUndefined();
    expect(labelClassifier(resolveDataset('ring-easy'))).toBeUndefined();
  });
});
