/**
 * A tiny MobileNet-shaped TensorFlow.js graph model for tests: the node names and signature that
 * `@tensorflow-models/mobilenet` relies on (a 224×224×3 NHWC input in [0, 1], TF Hub's
 * hub_input mapping to [−1, 1], the v2 embedding node `…/Logits/AvgPool` of shape [n, 1, 1, d], and
 * 1×1-conv logits squeezed to [n, classes]) with MobileNet's first conv and depthwise conv as the
 * whole backbone, so a batch runs in milliseconds. Weights come from a seed. `saveTinyMobilenet` writes it the way
 * tfjs saves a graph model (GraphModel.save through a save handler): model.json + one weight shard.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfconv from '@tensorflow/tfjs-converter';
import { RandomState } from '../../random.js';
import { MOBILENET_EMBEDDING_NODES } from './model-folder.js';

export const TINY_MOBILENET_FEATURES = 8;
const CLASSES = 11;
const P = 'module_apply_default/MobilenetV2';

const float = { type: 'DT_FLOAT' };
const ints = (...v: number[]) => ({ list: { i: v.map(String) } });
const str = (s: string) => ({ s: Buffer.from(s).toString('base64') });
const shapeOf = (dims: readonly number[]) => (dims.length === 0 ? {} : { dim: dims.map((d) => ({ size: String(d) })) });

/** The in-memory artifacts (GraphDef JSON + float32 weights) of the tiny model. */
export function tinyMobilenetArtifacts(seed = 1): tf.io.ModelArtifacts {
  const rs = new RandomState(seed);
  const weights: { name: string; shape: number[]; values: number[] }[] = [];
  const nodes: object[] = [];
  const constant = (name: string, shape: number[], values: number[]) => {
    weights.push({ name, shape, values });
    nodes.push({ name, op: 'Const', attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shapeOf(shape) } }, dtype: float } });
    return name;
  };
  const normals = (count: number, scale: number) => Array.from(rs.normals(count), (v) => v * scale);
  const op = (name: string, opName: string, inputs: string[], attr: object = {}) => {
    nodes.push({ name, op: opName, input: inputs, attr: { T: float, ...attr } });
    return name;
  };
  const conv = { padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1) };
  nodes.push({ name: 'images', op: 'Placeholder', attr: { dtype: float, shape: { shape: shapeOf([-1, 224, 224, 3]) } } });
  // TF Hub image modules take [0, 1] and map to [−1, 1] themselves.
  const mul = op('module_apply_default/hub_input/Mul', 'Mul', ['images', constant('module_apply_default/hub_input/Mul/y', [], [2])]);
  const sub = op('module_apply_default/hub_input/Sub', 'Sub', [mul, constant('module_apply_default/hub_input/Sub/y', [], [1])]);
  const d = TINY_MOBILENET_FEATURES;
  // MobileNet's first two ops: a 3×3 stride-2 conv and a 3×3 stride-2 depthwise conv, ReLU6 after each.
  const c1 = op(`${P}/Conv/Conv2D`, 'Conv2D', [sub, constant(`${P}/Conv/weights`, [3, 3, 3, d], normals(27 * d, 0.3))], { ...conv, strides: ints(1, 2, 2, 1) });
  const b1 = op(`${P}/Conv/BiasAdd`, 'BiasAdd', [c1, constant(`${P}/Conv/biases`, [d], normals(d, 0.1))], { data_format: str('NHWC') });
  const r1 = op(`${P}/Conv/Relu6`, 'Relu6', [b1]);
  const dw = op(
    `${P}/expanded_conv/depthwise/depthwise`,
    'DepthwiseConv2dNative',
    [r1, constant(`${P}/expanded_conv/depthwise/depthwise_weights`, [3, 3, d, 1], normals(9 * d, 0.4))],
    { ...conv, strides: ints(1, 2, 2, 1) },
  );
  const b2 = op(`${P}/expanded_conv/depthwise/BiasAdd`, 'BiasAdd', [dw, constant(`${P}/expanded_conv/depthwise/biases`, [d], normals(d, 0.1))], { data_format: str('NHWC') });
  const r2 = op(`${P}/expanded_conv/depthwise/Relu6`, 'Relu6', [b2]);
  const pool = op(MOBILENET_EMBEDDING_NODES[2], 'AvgPool', [r2], { ksize: ints(1, 56, 56, 1), strides: ints(1, 2, 2, 1), padding: str('VALID'), data_format: str('NHWC') });
  const c2 = op(`${P}/Logits/Conv2d_1c_1x1/Conv2D`, 'Conv2D', [pool, constant(`${P}/Logits/Conv2d_1c_1x1/weights`, [1, 1, d, CLASSES], normals(d * CLASSES, 0.3))], {
    ...conv,
    strides: ints(1, 1, 1, 1),
  });
  const b3 = op(`${P}/Logits/Conv2d_1c_1x1/BiasAdd`, 'BiasAdd', [c2, constant(`${P}/Logits/Conv2d_1c_1x1/biases`, [CLASSES], normals(CLASSES, 0.1))], { data_format: str('NHWC') });
  op(`${P}/Logits/output`, 'Squeeze', [b3], { squeeze_dims: ints(1, 2) });
  const data = Float32Array.from(weights.flatMap((w) => w.values));
  return {
    format: 'graph-model',
    generatedBy: 'gen-eval tests',
    convertedBy: null,
    modelTopology: { node: nodes, library: {}, versions: { producer: 1 } },
    weightSpecs: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' as const })),
    weightData: data.buffer,
  };
}

/** Loads the tiny model straight from memory (the reference the extractor is compared with). */
export function loadTinyMobilenet(seed = 1): Promise<tfconv.GraphModel> {
  return tfconv.loadGraphModel(tf.io.fromMemory(tinyMobilenetArtifacts(seed)));
}

/** Saves the tiny model into `dir` through tfjs's own GraphModel.save (model.json + one shard). */
export async function saveTinyMobilenet(dir: string, seed = 1): Promise<void> {
  const model = await loadTinyMobilenet(seed);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const shard = 'group1-shard1of1.bin';
      const data = Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData!;
      writeFileSync(join(dir, shard), new Uint8Array(data));
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          format: a.format,
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: [shard], weights: a.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}
