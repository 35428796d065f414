/**
 * A tiny MobileNet-shaped TensorFlow.js graph-model folder for CLI tests, written byte for byte in
 * the format tfjs's converter emits (model.json with a GraphDef `modelTopology` and a
 * `weightsManifest`, one little-endian float32 shard): a 224×224×3 input in [0, 1], TF Hub's
 * hub_input mapping to [−1, 1], a 3×3 stride-2 conv + ReLU6, and the v2 embedding node
 * `…/Logits/AvgPool` that `@tensorflow-models/mobilenet` reads (8 features), then 1×1-conv logits.
 * (The metrics package's tests write theirs through tfjs's own GraphModel.save.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandomState } from '@gen-eval/metrics';

export const TINY_MOBILENET_FEATURES = 8;
const P = 'module_apply_default/MobilenetV2';

/** Writes the folder (model.json + group1-shard1of1.bin) and returns its path. */
export function writeTinyMobilenet(dir: string, seed = 3): string {
  const rs = new RandomState(seed);
  const d = TINY_MOBILENET_FEATURES;
  const float = { type: 'DT_FLOAT' };
  const ints = (...v: number[]) => ({ list: { i: v.map(String) } });
  const str = (s: string) => ({ s: Buffer.from(s).toString('base64') });
  const shape = (dims: number[]) => (dims.length === 0 ? {} : { dim: dims.map((n) => ({ size: String(n) })) });
  const weights: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const values: number[] = [];
  const node: object[] = [{ name: 'images', op: 'Placeholder', attr: { dtype: float, shape: { shape: shape([-1, 224, 224, 3]) } } }];
  const constant = (name: string, dims: number[], v: number[]) => {
    weights.push({ name, shape: dims, dtype: 'float32' });
    values.push(...v);
    node.push({ name, op: 'Const', attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shape(dims) } }, dtype: float } });
    return name;
  };
  const op = (name: string, kind: string, input: string[], attr: object = {}) => (node.push({ name, op: kind, input, attr: { T: float, ...attr } }), name);
  const normals = (n: number, s: number) => Array.from(rs.normals(n), (x) => x * s);
  const conv = { padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1) };
  const mul = op('module_apply_default/hub_input/Mul', 'Mul', ['images', constant('module_apply_default/hub_input/Mul/y', [], [2])]);
  const sub = op('module_apply_default/hub_input/Sub', 'Sub', [mul, constant('module_apply_default/hub_input/Sub/y', [], [1])]);
  const c1 = op(`${P}/Conv/Conv2D`, 'Conv2D', [sub, constant(`${P}/Conv/weights`, [3, 3, 3, d], normals(27 * d, 0.3))], { ...conv, strides: ints(1, 2, 2, 1) });
  const b1 = op(`${P}/Conv/BiasAdd`, 'BiasAdd', [c1, constant(`${P}/Conv/biases`, [d], normals(d, 0.1))], { data_format: str('NHWC') });
  const r1 = op(`${P}/Conv/Relu6`, 'Relu6', [b1]);
  const pool = op(`${P}/Logits/AvgPool`, 'AvgPool', [r1], { ksize: ints(1, 112, 112, 1), strides: ints(1, 2, 2, 1), padding: str('VALID'), data_format: str('NHWC') });
  const c2 = op(`${P}/Logits/Conv2d_1c_1x1/Conv2D`, 'Conv2D', [pool, constant(`${P}/Logits/Conv2d_1c_1x1/weights`, [1, 1, d, 5], normals(5 * d, 0.3))], {
    ...conv,
    strides: ints(1, 1, 1, 1),
  });
  op(`${P}/Logits/output`, 'Squeeze', [c2], { squeeze_dims: ints(1, 2) });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(Float32Array.from(values).buffer));
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'graph-model',
      generatedBy: '2.x',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { node, library: {}, versions: {} },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights }],
    }),
  );
  return dir;
}
