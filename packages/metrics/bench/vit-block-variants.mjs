// How writing a ViT block changes onnxruntime's CPU speed (not part of the tests; docs/tuning/vit-speed.md):
// L ViT-L/14-shaped pre-norm blocks (width 1024, 16 heads, 257 tokens, batch B, MLP ×4, layer scale,
// random weights) written with the project's ONNX writer, LayerNorm as one `LayerNormalization` node
// (`layernorm`) or spelt out (`decomposed`); the session has the extractors' options, 2 threads.
// Uses the built package (dist/), so build first.
//
//   node packages/metrics/bench/vit-block-variants.mjs layernorm|decomposed     (env B=2, L=2)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const { encodeModel, DataType, createSession } = await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'extract.js'));
const [D, H, T, B, L] = [1024, 16, 257, Number(process.env.B ?? 2), Number(process.env.L ?? 2)];
const variant = process.argv[2];
// Values do not change the speed; a fixed LCG keeps runs identical.
let seed = 1;
const rnd = (n, s = 0.02) => Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 2 * s);
const nodes = [],
  inits = [];
let k = 0;
const id = (p) => `${p}_${k++}`;
const init = (name, dims, data) => {
  inits.push({ name, dataType: DataType.FLOAT, dims, data });
  return name;
};
const i64 = (name, vals) => {
  inits.push({ name, dataType: DataType.INT64, dims: [vals.length], data: BigInt64Array.from(vals.map(BigInt)) });
  return name;
};
const node = (op, inputs, attributes) => {
  const o = id(op);
  nodes.push({ op, inputs, outputs: [o], ...(attributes ? { attributes } : {}) });
  return o;
};
const c = (v) => init(id('c'), [], Float32Array.of(v));
function layerNorm(x) {
  const g = init(id('g'), [D], new Float32Array(D).fill(1)),
    b = init(id('b'), [D], rnd(D));
  if (variant !== 'decomposed') return node('LayerNormalization', [x, g, b], { axis: { kind: 'int', value: -1 }, epsilon: { kind: 'float', value: 1e-6 } });
  const m = node('ReduceMean', [x], { axes: { kind: 'ints', value: [-1] } });
  const d = node('Sub', [x, m]);
  const v = node('ReduceMean', [node('Pow', [d, c(2)])], { axes: { kind: 'ints', value: [-1] } });
  const n = node('Div', [d, node('Sqrt', [node('Add', [v, c(1e-6)])])]);
  return node('Add', [node('Mul', [n, g]), b]);
}
function linear(x, din, dout) {
  return node('Add', [node('MatMul', [x, init(id('w'), [din, dout], rnd(din * dout))]), init(id('bias'), [dout], rnd(dout))]);
}
function gelu(x) {
  const e = node('Erf', [node('Div', [x, c(Math.SQRT2)])]);
  return node('Mul', [node('Mul', [x, node('Add', [e, c(1)])]), c(0.5)]);
}
function attention(x) {
  const qkv = linear(x, D, 3 * D);
  const r = node('Reshape', [qkv, i64(id('s'), [B, T, 3, H, D / H])]);
  const t = node('Transpose', [r], { perm: { kind: 'ints', value: [2, 0, 3, 1, 4] } });
  const outs = [id('q'), id('k'), id('v')];
  nodes.push({ op: 'Split', inputs: [t], outputs: outs, attributes: { axis: { kind: 'int', value: 0 } } });
  const [q, kk, v] = outs.map((o) => node('Squeeze', [o, i64(id('a'), [0])]));
  const kt = node('Transpose', [kk], { perm: { kind: 'ints', value: [0, 1, 3, 2] } });
  const s = node('Softmax', [node('Mul', [node('MatMul', [q, kt]), c(1 / Math.sqrt(D / H))])], { axis: { kind: 'int', value: -1 } });
  const o = node('Transpose', [node('MatMul', [s, v])], { perm: { kind: 'ints', value: [0, 2, 1, 3] } });
  return linear(node('Reshape', [o, i64(id('s'), [B, T, D])]), D, D);
}
let x = 'x';
for (let l = 0; l < L; l++) {
  const ls = () => init(id('ls'), [D], new Float32Array(D).fill(1));
  x = node('Add', [x, node('Mul', [attention(layerNorm(x)), ls()])]);
  x = node('Add', [x, node('Mul', [linear(gelu(linear(layerNorm(x), D, 4 * D)), 4 * D, D), ls()])]);
}
const bytes = encodeModel({
  nodes,
  initializers: inits,
  inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: [B, T, D] }],
  outputs: [{ name: x, dataType: DataType.FLOAT, dims: [B, T, D] }],
  opset: 17,
});
const s = await createSession(bytes, variant, { threads: 2 });
const feeds = { x: new ort.Tensor('float32', rnd(B * T * D, 1), [B, T, D]) };
await s.run(feeds);
const times = [];
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  await s.run(feeds);
  times.push(performance.now() - t);
}
console.log(variant, 'ms per block per image', times.map((t) => (t / L / B).toFixed(1)).join(' '));
