import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { resizeTorchBicubic } from './resize-torch-bicubic.js';

interface Case {
  seed: number;
  shape: [number, number, number];
  size?: [number, number];
  scale?: [number, number];
  outShape: [number, number, number];
  output: number[];
}

const GOLDEN = fileURLToPath(new URL('../../../../fixtures/golden/torch-bicubic/torch-bicubic.json', import.meta.url));
const cases = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { cases: Case[] }).cases;

describe('resizeTorchBicubic (golden: torch F.interpolate bicubic)', () => {
  for (const c of cases) {
    it(`${c.shape.join('×')} → ${c.outShape.join('×')} (${c.size ? 'size' : 'scale'})`, () => {
      const [ch, h, w] = c.shape;
      const input = Float32Array.from(new RandomState(c.seed).normals(ch * h * w));
      const target = c.size ? { size: c.size } : { scaleFactor: c.scale! };
      const r = resizeTorchBicubic(input, ch, h, w, target);
      expect([ch, r.height, r.width]).toEqual(c.outShape);
      let maxErr = 0;
      c.output.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(v - r.data[i]!))));
      expect(maxErr).toBeLessThan(1e-5);
    });
  }

  it('rejects a mismatched input length', () => {
    expect(() => resizeTorchBicubic(new Float32Array(5), 1, 2, 2, { size: [3, 3] })).toThrow(/expected 1×2×2/);
  });
});
