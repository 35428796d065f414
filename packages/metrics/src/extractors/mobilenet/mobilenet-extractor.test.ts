import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../../testing/expect.js';
import { RandomState } from '../../random.js';
import { createExtractor } from '../registry.js';
import { createMobilenetExtractor, MOBILENET_SIZE } from './mobilenet-extractor.js';
import { MOBILENET_EMBEDDING_NODES } from './model-folder.js';
import { tfRuntime } from './tf-runtime.js';
import { loadTinyMobilenet, saveTinyMobilenet, TINY_MOBILENET_FEATURES } from './tiny-mobilenet.test-helper.js';

const S = MOBILENET_SIZE;
let root: string;
let model1: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gen-eval-mobilenet-'));
  await tfRuntime();
  model1 = join(root, 'seed1');
  await saveTinyMobilenet(model1, 1);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** n random NCHW images in [0, 1], each of its own contrast (pooled noise alone barely differs). */
function images(n: number, seed: number): Float32Array {
  const rs = new RandomState(seed);
  const per = 3 * S * S;
  return Float32Array.from({ length: n * per }, (_, k) => rs.random() * (1 - Math.floor(k / per) / (n + 1)));
}

/**
 * The embedding straight from the graph: NHWC input in [0, 1], as TF Hub modules take it, run on
 * tfjs's cpu backend (other kernels than the extractor's wasm: wasm's XNNPACK conv, for one, gives
 * zeros for SAME padding with stride > kernel size, which a same-backend reference would share).
 */
async function reference(batch: Float32Array, n: number, seed = 1): Promise<Float32Array> {
  const { tf, backend } = await tfRuntime();
  await tf.setBackend('cpu');
  const nhwc = new Float32Array(batch.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++)
        for (let c = 0; c < 3; c++) {
          nhwc[((i * S + y) * S + x) * 3 + c] = batch[((i * 3 + c) * S + y) * S + x]!;
        }
  const model = await loadTinyMobilenet(seed);
  const out = model.execute(tf.tensor4d(nhwc, [n, S, S, 3]), MOBILENET_EMBEDDING_NODES[2]) as import('@tensorflow/tfjs-core').Tensor;
  const data = (await out.data()) as Float32Array;
  out.dispose();
  model.dispose();
  await tf.setBackend(backend);
  return data;
}

/** Copies the saved tiny model to a fresh folder, to damage it. */
function copyModel(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['model.json', 'group1-shard1of1.bin']) writeFileSync(join(dir, f), readFileSync(join(model1, f)));
  return dir;
}

describe('mobilenet extractor', () => {
  it("gives the graph's embedding for NCHW [0, 1] batches, whatever the chunking", async () => {
    const ex = await createExtractor('mobilenet', { weights: model1, maxBatch: 2 });
    expect(ex.input).toEqual({ height: 224, width: 224, channels: 3, layout: 'NCHW', range: [0, 1] });
    expect(ex.outputs).toEqual({ features: TINY_MOBILENET_FEATURES });
    expect(ex.name).toMatch(/^mobilenet-v2@[0-9a-f]{8}:8$/);
    const n = 3;
    const batch = images(n, 5);
    const got = (await ex.run(batch, n)).features;
    const want = await reference(batch, n);
    expect(got.length).toBe(n * TINY_MOBILENET_FEATURES);
    let maxErr = 0;
    for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i]! - want[i]!));
    expect(maxErr).toBeLessThanOrEqual(1e-5);
    // The images differ, so do their features (a constant output would pass the check above).
    let spread = 0;
    for (let j = 0; j < TINY_MOBILENET_FEATURES; j++) spread = Math.max(spread, Math.abs(got[j]! - got[TINY_MOBILENET_FEATURES + j]!));
    expect(spread).toBeGreaterThan(1e-2);
    const one = (await ex.run(batch.subarray(3 * S * S, 2 * 3 * S * S), 1)).features;
    expect(Array.from(one)).toEqual(Array.from(got.subarray(TINY_MOBILENET_FEATURES, 2 * TINY_MOBILENET_FEATURES)));
    await expect(ex.run(batch, 2)).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'internal' }));
    await ex.dispose();
    await ex.dispose();
  });

  it('names the features by a hash of model.json and the weights (the feature-cache key)', async () => {
    await saveTinyMobilenet(join(root, 'seed2'), 2);
    const a = await createMobilenetExtractor(model1);
    const b = await createMobilenetExtractor(join(root, 'seed2'));
    const again = await createMobilenetExtractor(copyModel('copy'));
    expect(b.name).not.toBe(a.name);
    expect(again.name).toBe(a.name);
    await Promise.all([a.dispose(), b.dispose(), again.dispose()]);
  });

  it('refuses a missing or unusable model folder in one line, downloading nothing', async () => {
    await expectGenEvalError(createMobilenetExtractor(undefined), { code: 'bad_input', message: /needs its model folder \(`weights`\).*nothing is downloaded.*model\.json/ });
    await expectGenEvalError(createMobilenetExtractor(join(root, 'nope')), { code: 'bad_input', message: /nope: no such folder; expected a TensorFlow\.js graph model folder/ });
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expectGenEvalError(createMobilenetExtractor(empty), {
      code: 'bad_input',
      message: /empty[/\\]model\.json: no such file: the model\.json is missing; expected a TensorFlow\.js graph model folder/,
    });
    await expectGenEvalError(createMobilenetExtractor(join(model1, 'model.json')), { code: 'bad_input', message: /is a file, not a model folder/ });

    const corrupt = copyModel('corrupt');
    writeFileSync(join(corrupt, 'model.json'), '{"format": "graph-model", "modelTopology": {');
    await expectGenEvalError(createMobilenetExtractor(corrupt), { code: 'bad_input', message: /corrupt[/\\]model\.json: not valid JSON/ });

    const layers = copyModel('layers');
    writeFileSync(join(layers, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Sequential' }, weightsManifest: [] }));
    await expectGenEvalError(createMobilenetExtractor(layers), { code: 'bad_input', message: /is a Keras layers model/ });

    const other = copyModel('other');
    const json = JSON.parse(readFileSync(join(other, 'model.json'), 'utf8'));
    for (const node of json.modelTopology.node) if (node.name === MOBILENET_EMBEDDING_NODES[2]) node.name = 'pool';
    writeFileSync(join(other, 'model.json'), JSON.stringify(json));
    await expectGenEvalError(createMobilenetExtractor(other), { code: 'bad_input', message: /no MobileNet embedding node/ });

    const missing = copyModel('missing-shard');
    rmSync(join(missing, 'group1-shard1of1.bin'));
    await expectGenEvalError(createMobilenetExtractor(missing), {
      code: 'bad_input',
      message: /group1-shard1of1\.bin: no such file: the weight file model\.json lists is missing/,
    });

    const truncated = copyModel('truncated');
    truncateSync(join(truncated, 'group1-shard1of1.bin'), 100);
    await expectGenEvalError(createMobilenetExtractor(truncated), {
      code: 'bad_input',
      message: /group1-shard1of1\.bin: the weight files of this group hold 100 bytes but model\.json's specs need \d+/,
    });

    const escape = copyModel('escape');
    const j2 = JSON.parse(readFileSync(join(escape, 'model.json'), 'utf8'));
    j2.weightsManifest[0].paths = ['../seed1/group1-shard1of1.bin'];
    writeFileSync(join(escape, 'model.json'), JSON.stringify(j2));
    await expectGenEvalError(createMobilenetExtractor(escape), { code: 'bad_input', message: /is not a file inside the model folder/ });

    const broken = copyModel('broken-graph');
    const j3 = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8'));
    for (const node of j3.modelTopology.node) if (node.op === 'Relu6') node.input = ['no-such-node'];
    writeFileSync(join(broken, 'model.json'), JSON.stringify(j3));
    await expectGenEvalError(createMobilenetExtractor(broken), { code: 'bad_input', message: /broken-graph[/\\]model\.json: TensorFlow\.js cannot load or run this graph/ });
  });
});
