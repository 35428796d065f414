/** Golden files and checks shared by the text encoder tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseNpz } from '../io/npz.js';

/** The golden outputs of fixtures/scripts/train_text_encoders.py for a shipped encoder. */
export function textEncoderGolden(name: string) {
  const file = fileURLToPath(new URL(`../../../../fixtures/golden/text-encoders/${name}`, import.meta.url));
  return {
    arrays: parseNpz(readFileSync(`${file}.npz`), `${file}.npz`),
    text: JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { captions: string[]; retrieval_captions: string[] },
  };
}

/** Largest |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Every row of an n × dims matrix has unit L2 norm. */
export function expectUnitRows(x: Float32Array, dims: number): void {
  for (let i = 0; i < x.length / dims; i++) {
    let ss = 0;
    for (let k = 0; k < dims; k++) ss += x[i * dims + k]! ** 2;
    expect(Math.sqrt(ss)).toBeCloseTo(1, 6);
  }
}
