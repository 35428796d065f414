import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../../random.js';
import type { StateDict } from '../torch/pth-reader.js';
import { createClipTextEncoder } from './text-encoder.js';
import { clipTextConfig } from './text-graph.js';

interface Golden {
  config: { width: number; layers: number; heads: number; context_length: number; vocab_size: number; embed_dim: number };
  seed: number;
  weights: [string, number[]][];
  rows: number[][];
  embeddings: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../../../../../fixtures/golden/clip/text-tower.json', import.meta.url), 'utf8')) as Golden;
const tokens = JSON.parse(readFileSync(new URL('../../../../../fixtures/golden/clip/tokens.json', import.meta.url), 'utf8')) as {
  cases: { text: string; context: number[] }[];
};

/** The fixture script's seeded weights (`draw` in gen_clip_text.py), redrawn with our RandomState. */
function goldenWeights(): StateDict {
  const rng = new RandomState(golden.seed);
  const dict: StateDict = new Map();
  for (const [name, shape] of golden.weights) {
    const n = rng.normals(shape.reduce((a, b) => a * b, 1));
    const last = shape[shape.length - 1]!;
    const value = (x: number) => (name.endsWith('.weight') && name.includes('ln_') ? 1 + 0.1 * x : shape.length === 1 ? 0.1 * x : x / Math.sqrt(last));
    dict.set(name, { shape, dtype: 'float32', data: Float32Array.from(n, value) });
  }
  return dict;
}

describe('CLIP text tower against clip/model.py encode_text', () => {
  const weights = goldenWeights();

  it('infers the configuration from the state dict', () => {
    const c = clipTextConfig(weights, golden.config.heads);
    expect(c).toEqual({
      width: golden.config.width,
      layers: golden.config.layers,
      heads: golden.config.heads,
      contextLength: golden.config.context_length,
      vocabSize: golden.config.vocab_size,
      embedDim: golden.config.embed_dim,
    });
    expect(clipTextConfig(weights).heads).toBe(1);
  });

  it('matches the reference embeddings within 1e-4 relative', async () => {
    const encoder = await createClipTextEncoder(weights, { heads: golden.config.heads, maxBatch: 2 });
    try {
      const captions = golden.rows.map((row) => tokens.cases.find((c) => c.context.every((v, i) => v === row[i]))!.text);
      const { embeddings, dim, tokens: rows } = await encoder.encode(captions);
      expect(rows.map((r) => Array.from(r.ids))).toEqual(golden.rows);
      expect(rows.at(-1)!.truncated).toBe(true);
      golden.embeddings.forEach((ref, i) => {
        const got = embeddings.subarray(i * dim, (i + 1) * dim);
        const err = Math.hypot(...ref.map((v, k) => v - got[k]!)) / Math.hypot(...ref);
        expect(err).toBeLessThan(1e-4);
      });
    } finally {
      await encoder.dispose();
    }
  });
});
