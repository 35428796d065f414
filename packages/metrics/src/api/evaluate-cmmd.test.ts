import { describe, expect, it } from 'vitest';
import { cmmd } from '../cmmd.js';
import { evaluateLoaded } from '../evaluate.js';
import type { LoadedInput } from '../pipeline/load-input.js';
import { matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { evaluate } from './evaluate-sets.js';

/** n unit-norm rows of width d (CLIP embeddings are L2-normalised), seeded. */
function embeddings(seed: number, n: number, d: number, shift: number): Float64Array {
  const x = new RandomState(seed).normals(n * d).map((v, i) => v + (i % d === 0 ? shift : 0));
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    const norm = Math.hypot(...row);
    for (let j = 0; j < d; j++) row[j]! /= norm;
  }
  return x;
}

describe("evaluate({ metrics: ['cmmd'] })", () => {
  it('gives cmmd() of the two sets, alongside other metrics from the same features', async () => {
    const real = { features: embeddings(1, 40, 16, 0), n: 40, d: 16 };
    const fake = { features: embeddings(2, 30, 16, 2), n: 30, d: 16 };
    const r = await evaluate({ real, fake, metrics: ['cmmd', 'fid'] });
    const want = await cmmd(matrix(real.features, 40, 16), matrix(fake.features, 30, 16));
    expect(r.result.cmmd).toBe(want);
    expect(r.result.cmmd).toBeGreaterThan(0);
    expect(r.details.cmmd).toEqual({ sigma: 10, scale: 1000, n1: 40, n2: 30 });
    expect(Object.keys(r.result).sort()).toEqual(['cmmd', 'fid']);
  });

  it('warns when the features are not CLIP embeddings (σ = 10 is set for them)', async () => {
    const images = (extractor: string, seed: number) =>
      ({
        kind: 'images',
        path: `${seed}/`,
        set: { extractor, profile: { name: 'clip' }, features: matrix(embeddings(seed, 20, 8, seed), 20, 8) },
        warnings: [],
      }) as unknown as LoadedInput;
    const inception = await evaluateLoaded(images('inception@6726825d:2048', 1), images('inception@6726825d:2048', 2), ['cmmd']);
    expect(inception.warnings).toEqual(['cmmd: computed on inception@6726825d:2048 features; CMMD is defined on CLIP embeddings (extractor clip)']);
    const clip = await evaluateLoaded(images('clip@3035c92b:ViT-L/14@336px', 1), images('clip@3035c92b:ViT-L/14@336px', 2), ['cmmd']);
    expect(clip.warnings).toEqual([]);
    expect(clip.result.cmmd).toBe(inception.result.cmmd);
  });
});
