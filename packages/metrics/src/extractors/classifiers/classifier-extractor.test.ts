import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpz } from '../../io/npz.js';
import { createExtractor, parseExtractorSpec } from '../registry.js';
import { CLASSIFIER_NAMES, classifierMetadata, createClassifierExtractor, loadClassifierModel, type ClassifierExtractor } from './classifier-extractor.js';
import { GRAY_WEIGHTS } from './graph.js';

const GOLDEN = (name: string) => fileURLToPath(new URL(`../../../../../fixtures/golden/digit-classifiers/${name}.npz`, import.meta.url));

/** N×28×28 bytes → N×3×28×28 in [0, 1] (a gray image as the pipeline gives it: x/255 repeated). */
function grayToBatch(images: Uint8Array, n: number): Float32Array {
  const hw = 28 * 28;
  const batch = new Float32Array(n * 3 * hw);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) for (let p = 0; p < hw; p++) batch[(i * 3 + c) * hw + p] = images[i * hw + p]! / 255;
  return batch;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { diff, scale };
}

describe.each(CLASSIFIER_NAMES)('embedded %s classifier', (name) => {
  const golden = parseNpz(readFileSync(GOLDEN(name)), name);
  const n = golden.labels!.shape[0]!;
  let ex: ClassifierExtractor | undefined;
  afterAll(async () => ex?.dispose());

  it("gives the torch model's features and logits (golden held-out images, fixtures/scripts/train_digit_classifiers.py)", async () => {
    ex = await createClassifierExtractor(name);
    expect(ex.input).toEqual({ height: 28, width: 28, channels: 3, layout: 'NCHW', range: [0, 1] });
    expect(ex.outputs).toEqual({ features: 128, logits: 10 });
    const out = await ex.run(grayToBatch(golden.images!.data as Uint8Array, n), n);
    const f = maxAbsDiff(out.features, golden.features!.data as Float32Array);
    const l = maxAbsDiff(out.logits!, golden.logits!.data as Float32Array);
    expect(f.diff).toBeLessThan(1e-5 * Math.max(1, f.scale));
    expect(l.diff).toBeLessThan(1e-5 * Math.max(1, l.scale));
    // the features are fc1's pre-activations (negative values too), not the ReLU's output
    expect(Math.min(...out.features)).toBeLessThan(0);
    expect(f.scale).toBeGreaterThan(0.1);
  });

  it('converts RGB to gray with the 299/587/114 weights, so a colour image equals its gray version', async () => {
    ex ??= await createClassifierExtractor(name);
    const hw = 28 * 28;
    const images = golden.images!.data as Uint8Array;
    // image 0 as colour: R = 1, G = 0, B = 0 where the digit is → gray 0.299
    const rgb = new Float32Array(3 * hw);
    const gray = new Float32Array(3 * hw);
    for (let p = 0; p < hw; p++) {
      const on = images[p]! > 127 ? 1 : 0;
      rgb[p] = on;
      gray[p] = gray[hw + p] = gray[2 * hw + p] = on * GRAY_WEIGHTS[0];
    }
    const a = await ex.run(rgb, 1);
    const b = await ex.run(gray, 1);
    expect(maxAbsDiff(a.logits!, b.logits!).diff).toBeLessThan(1e-5);
  });

  it('is registered as an extractor spec and records its data, split and held-out accuracy', async () => {
    expect(parseExtractorSpec(name)).toEqual({ name, argument: '' });
    const meta = classifierMetadata(name);
    expect(meta.weights_sha256).toBe(loadClassifierModel(name).sha256);
    expect(meta.test_accuracy).toBeGreaterThanOrEqual(name === 'mnist' ? 0.98 : 0.9);
    expect(meta.test_correct).toBe(Math.round(meta.test_accuracy * meta.test_samples));
    const viaRegistry = await createExtractor(name, { threads: 1 });
    expect(viaRegistry.name).toMatch(new RegExp(`^${name}@${meta.weights_sha256.slice(0, 8)}:128$`));
    await viaRegistry.dispose();
  });
});
