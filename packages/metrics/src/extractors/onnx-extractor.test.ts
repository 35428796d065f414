import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { ERROR_CODES, GenEvalError } from '../errors.js';
import { DataType, encodeModel, type ModelSpec } from '../onnx/proto.js';
import { RandomState } from '../random.js';
import type { FeatureExtractor } from './extractor.js';
import { createOnnxExtractor, IMAGENET_MEAN_STD } from './onnx-extractor.js';
import { createExtractor, parseExtractorSpec } from './registry.js';
import { tempDir } from '../testing/temp-dir.js';

const scratch = tempDir('gen-eval-onnx-extractor-');

/** A user error (exit 2), not a bug. */
const USER_CODES = ERROR_CODES.filter((c) => c !== 'internal');

const W = Float32Array.of(1, -1, 0.5, 2, -3, 0.25); // 3×2 head

/** NHWC model: features = spatial mean per channel [n,3], logits = features·W [n,2]. */
const nhwcModel: ModelSpec = {
  nodes: [
    { op: 'ReduceMean', inputs: ['pixels'], outputs: ['feat'], attributes: { axes: { kind: 'ints', value: [1, 2] }, keepdims: { kind: 'int', value: 0 } } },
    { op: 'MatMul', inputs: ['feat', 'w'], outputs: ['cls'] },
  ],
  initializers: [{ name: 'w', dataType: DataType.FLOAT, dims: [3, 2], data: W }],
  inputs: [{ name: 'pixels', dataType: DataType.FLOAT, dims: ['n', 4, 5, 3] }],
  outputs: [
    { name: 'feat', dataType: DataType.FLOAT, dims: ['n', 3] },
    { name: 'cls', dataType: DataType.FLOAT, dims: ['n', 2] },
  ],
};

/** NCHW model with free spatial size: channel means as [n,3,1,1]. */
const dynamicModel: ModelSpec = {
  nodes: [{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }],
  initializers: [],
  inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 3, 'h', 'w'] }],
  outputs: [{ name: 'y', dataType: DataType.FLOAT, dims: ['n', 3, 1, 1] }],
};

function randomBatch(seed: number, n: number, hw: number): Float32Array {
  const rs = new RandomState(seed);
  return Float32Array.from({ length: n * 3 * hw }, () => rs.random());
}

/** Per-image channel means of (x − mean)/std, computed directly. */
function expectedFeatures(x: Float32Array, n: number, hw: number, mean = [0, 0, 0], std = [1, 1, 1]): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let p = 0; p < hw; p++) s += (x[(i * 3 + c) * hw + p]! - mean[c]!) / std[c]!;
      out.push(s / hw);
    }
  }
  return out;
}

describe('onnx:PATH extractors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-eval-onnx-'));
  const file = (name: string, spec: ModelSpec) => {
    const p = join(dir, name);
    writeFileSync(p, encodeModel(spec));
    return p;
  };
  let nhwc: string;
  let dynamic: string;
  let ex: FeatureExtractor;
  beforeAll(async () => {
    nhwc = file('nhwc.onnx', nhwcModel);
    dynamic = file('dynamic.onnx', dynamicModel);
    ex = await createOnnxExtractor(nhwc, { normalize: 'imagenet', logitsOutput: 'cls', threads: 1 });
  });
  afterAll(async () => {
    await ex?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads size and NHWC layout from the model, applies ImageNet mean/std, and names itself by content', async () => {
    expect(ex.input).toEqual({ height: 4, width: 5, channels: 3, layout: 'NCHW', range: [0, 1] });
    expect(ex.outputs).toEqual({ features: 3, logits: 2 });
    expect(ex.name).toMatch(/^onnx@[0-9a-f]{8}:4x5:nhwc:imagenet:feat$/);
    const x = randomBatch(1, 3, 20);
    const out = await ex.run(x, 3);
    const want = expectedFeatures(x, 3, 20, [...IMAGENET_MEAN_STD.mean], [...IMAGENET_MEAN_STD.std]);
    Array.from(out.features).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 2; k++) {
        const z = [0, 1, 2].reduce((s, c) => s + want[i * 3 + c]! * W[c * 2 + k]!, 0);
        expect(out.logits![i * 2 + k]).toBeCloseTo(z, 5);
      }
    }
  });

  it('gives the same features however the images are chunked, to float32 rounding (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }), async (n, maxBatch, seed) => {
        const chunked = await createOnnxExtractor(nhwc, { normalize: 'clip', maxBatch, threads: 1 });
        const whole = await createOnnxExtractor(nhwc, { normalize: 'clip', maxBatch: 8, threads: 1 });
        try {
          const x = randomBatch(seed, n, 20);
          const a = await chunked.run(x, n);
          const b = await whole.run(x, n);
          expect(a.features.length).toBe(3 * n);
          // onnxruntime's ReduceMean vectorises differently per batch shape: equal to float32 rounding.
          a.features.forEach((v, i) => expect(Math.abs(v - b.features[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))));
        } finally {
          await chunked.dispose();
          await whole.dispose();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('takes a declared size for models with free dimensions and flattens [n, d, 1, 1] outputs', async () => {
    const e = await createOnnxExtractor(dynamic, { normalize: 'symmetric', inputSize: [6, 7] });
    try {
      expect(e.input).toEqual({ height: 6, width: 7, channels: 3, layout: 'NCHW', range: [-1, 1] });
      expect(e.outputs).toEqual({ features: 3 });
      const x = randomBatch(2, 2, 42).map((v) => 2 * v - 1);
      const out = await e.run(x, 2);
      const want = expectedFeatures(x, 2, 42);
      Array.from(out.features).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      await expect(e.run(x.subarray(3), 2)).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'internal' }));
      await e.dispose(); // disposing twice (here and below) is harmless
    } finally {
      await e.dispose();
    }
  });

  it('rejects models and declarations that do not fit, naming the file', async () => {
    await expectGenEvalError(() => createOnnxExtractor(dynamic, { normalize: 'unit' }), {
      code: USER_CODES,
      message: /dynamic\.onnx: the model does not fix its input size; declare it/,
    });
    await expectGenEvalError(() => createOnnxExtractor(nhwc, { normalize: 'unit', layout: 'NCHW' }), {
      code: USER_CODES,
      message: /nhwc\.onnx: declared layout NCHW but the model input shape \[n, 4, 5, 3\] is NHWC/,
    });
    await expectGenEvalError(() => createOnnxExtractor(nhwc, { normalize: 'unit', inputSize: 224 }), {
      code: USER_CODES,
      message: /nhwc\.onnx: declared input size 224×224 but the model expects 4×5/,
    });
    await expectGenEvalError(() => createOnnxExtractor(nhwc, { normalize: 'unit', featuresOutput: 'pool' }), {
      code: USER_CODES,
      message: /nhwc\.onnx: the model has no output "pool" \(outputs: feat, cls\)/,
    });
    const two = file('two.onnx', {
      ...dynamicModel,
      nodes: [{ op: 'Add', inputs: ['x', 'z'], outputs: ['y'] }],
      inputs: [...dynamicModel.inputs, { name: 'z', dataType: DataType.FLOAT, dims: ['n', 3, 'h', 'w'] }],
    });
    await expectGenEvalError(() => createOnnxExtractor(two, { normalize: 'unit', inputSize: 8 }), { code: USER_CODES, message: /two\.onnx: the model has 2 inputs \(x, z\)/ });
    const ints = file('int.onnx', {
      nodes: [{ op: 'Cast', inputs: ['x'], outputs: ['y'], attributes: { to: { kind: 'int', value: DataType.FLOAT } } }],
      initializers: [],
      inputs: [{ name: 'x', dataType: DataType.UINT8, dims: ['n', 3, 8, 8] }],
      outputs: [{ name: 'y', dataType: DataType.FLOAT, dims: ['n', 3, 8, 8] }],
    });
    await expectGenEvalError(() => createOnnxExtractor(ints, { normalize: 'unit' }), {
      code: USER_CODES,
      message: /int\.onnx: model input "x" is uint8; only float32 inputs are supported/,
    });
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'not protobuf at all');
    await expectGenEvalError(() => createOnnxExtractor(garbage, { normalize: 'unit' }), { code: USER_CODES, message: /garbage\.onnx: not a loadable ONNX model/ });
    await expectGenEvalError(() => createOnnxExtractor(join(dir, 'missing.onnx'), { normalize: 'unit' }), { code: USER_CODES, message: /missing\.onnx: no such file/ });
  });
});

describe('extractor registry', () => {
  it('parses the spec forms and lists the choices otherwise', () => {
    expect(parseExtractorSpec('inception')).toEqual({ name: 'inception', argument: '' });
    expect(parseExtractorSpec('onnx:models/dino v2.onnx')).toEqual({ name: 'onnx:', argument: 'models/dino v2.onnx' });
    for (const bad of ['onnx:', 'vgg', 'Inception', ''])
      expect(() => parseExtractorSpec(bad)).toThrow(
        /unknown extractor .*choose one of: inception, dinov2, dinov2:SIZE, clip, clip:MODEL, mobilenet, onnx:PATH, mnist, fashion-mnist$/,
      );
  });

  it('asks for what each extractor needs', async () => {
    await expectGenEvalError(() => createExtractor('inception'), { code: USER_CODES, message: /the inception extractor needs its weights/ });
    await expectGenEvalError(() => createExtractor('onnx:model.onnx'), { code: USER_CODES, message: /onnx:model\.onnx: declare the pixel normalisation/ });
    const model = { bytes: new Uint8Array(0), weightsSha256: '6726825d', dims: 2048, logits: false, graphVersion: 1 } as const;
    await expectGenEvalError(() => createExtractor('inception', { model, dims: 64 }), { code: USER_CODES, message: /built inception model has dims 2048, not 64/ });
    await expectGenEvalError(() => createExtractor('inception', { model, logits: true }), { code: USER_CODES, message: /no logits output/ });
    await expectGenEvalError(() => createExtractor('inception', { model: { ...model, graphVersion: 0 } }), { code: USER_CODES, message: /graph version 0/ });
    await expectGenEvalError(() => createExtractor('inception', { weights: 'w.pth', dims: 100 }), { code: USER_CODES, message: /dims must be one of 64, 192, 768, 2048, got 100/ });
    await expectGenEvalError(() => createExtractor('onnx:m.onnx', { normalize: 'unit', threads: 0 }), { code: USER_CODES, message: /threads must be a positive integer, got 0/ });
  });

  it('fails clearly when CUDA is asked for but this onnxruntime has no CUDA provider', async () => {
    const p = join(scratch, 'cuda.onnx');
    writeFileSync(p, encodeModel(dynamicModel));
    const err = await createOnnxExtractor(p, { normalize: 'unit', inputSize: 4, executionProvider: 'cuda' }).then(
      async (e) => {
        await e.dispose(); // a machine with CUDA: the session works
        return null;
      },
      (e: unknown) => e,
    );
    if (err !== null) {
      expect(err).toBeInstanceOf(GenEvalError);
      expect((err as Error).message).toMatch(/CUDA execution provider is not available/);
    }
  });
});
