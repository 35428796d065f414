import { describe, expect, it } from 'vitest';
import { familiesTaking, SAMPLE_CONDITION_FAMILIES } from './catalog.js';
import { CONDITION_KINDS, CONDITION_OPTIONS, conditionNeeds, kindsTaking, type Condition } from './condition.js';
import { FAMILIES } from './families/index.js';

describe('the condition every family declares', () => {
  it('is what its algorithm conditions on', () => {
    const declared = Object.fromEntries(FAMILIES.map((f) => [f.name, f.condition]));
    const none: Condition = { kind: 'none' };
    expect(declared).toEqual({
      gan: none,
      'ns-gan': none,
      wgan: none,
      'wgan-gp': none,
      sngan: none,
      vae: none,
      ddpm: none,
      flow: none,
      cgan: { kind: 'label' },
      infogan: { kind: 'code', categorical: 'catCodes' },
      cyclegan: { kind: 'image', paired: false, from: ['a', 'b'] },
      pix2pix: { kind: 'image', paired: true, from: ['a'] },
      srgan: { kind: 'image', paired: true, from: ['a'], scale: 2 },
      'gan-cls': { kind: 'text' },
      stackgan: { kind: 'text' },
    });
  });

  it("names, for a code, a hyper-parameter of the family's own", () => {
    for (const f of FAMILIES) if (f.condition.kind === 'code' && f.condition.categorical) expect(f.hyperParams).toHaveProperty(f.condition.categorical);
  });

  it('implies the data a run needs: labels, a second domain, pairs or captions', () => {
    expect(CONDITION_KINDS.map((kind) => [kind, conditionNeeds({ kind, paired: false, from: ['a'] } as Condition)])).toEqual([
      ['none', { labels: false, secondDomain: false, pairs: false, captions: false }],
      ['label', { labels: true, secondDomain: false, pairs: false, captions: false }],
      ['code', { labels: false, secondDomain: false, pairs: false, captions: false }],
      ['image', { labels: false, secondDomain: true, pairs: false, captions: false }],
      ['text', { labels: false, secondDomain: false, pairs: false, captions: true }],
    ]);
    expect(conditionNeeds({ kind: 'image', paired: true, from: ['a'], scale: 2 })).toEqual({ labels: false, secondDomain: false, pairs: true, captions: false });
  });

  it('gives each sampling option to exactly one kind, and the catalog the families that take it', () => {
    const options = Object.values(CONDITION_OPTIONS).flat();
    expect(new Set(options).size).toBe(options.length);
    for (const o of options) expect(kindsTaking(o)).toHaveLength(1);
    expect(SAMPLE_CONDITION_FAMILIES).toEqual({
      label: ['cgan'],
      code: ['infogan'],
      from: ['cyclegan', 'pix2pix', 'srgan'],
      input: ['cyclegan', 'pix2pix', 'srgan'],
      caption: ['gan-cls', 'stackgan'],
      captions: ['gan-cls', 'stackgan'],
      interpolate: ['gan-cls', 'stackgan'],
    });
    expect(familiesTaking('caption')).toEqual(['gan-cls', 'stackgan']);
  });
});
