import { describe, expect, it } from 'vitest';
import { datasetMixture, MIXTURE_DATASETS, RING_EASY } from './dataset-mixtures.js';
import { gridMixture, ringMixture } from './mixtures.js';

describe('the mixture data sets', () => {
  it('give each built-in mixture by the name a run records', () => {
    expect(Object.keys(MIXTURE_DATASETS)).toEqual(['ring', 'ring-easy', 'ring-easy-rot', 'grid']);
    expect(datasetMixture('ring')).toEqual(ringMixture());
    expect(datasetMixture('ring-easy')).toEqual(ringMixture({ radius: 2, sigma: 0.05 }));
    expect(datasetMixture('ring-easy-rot')).toEqual(ringMixture({ ...RING_EASY, phase: Math.PI / 8 }));
    expect(datasetMixture('grid')).toEqual(gridMixture());
  });

  it('give none for data without modes, files and inherited names', () => {
    for (const name of ['spiral', 'mnist', 'data.npy', 'constructor', '__proto__', 'toString']) expect(datasetMixture(name), name).toBeUndefined();
  });
});
