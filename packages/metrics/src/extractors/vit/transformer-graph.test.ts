import { describe, expect, it } from 'vitest';
import { DataType, encodeModel } from '../../onnx/proto.js';
import { RandomState } from '../../random.js';
import { loadOrt } from '../ort.js';
import { createSession } from '../session.js';
import { TransformerGraph, type BlockWeights, type LinearWeights, type TransformerWeights } from './transformer-graph.js';

const D = 8;
const T = 4;
const rs = new RandomState(7);
const vec = (n: number, base = 0) => Float32Array.from({ length: n }, () => base + 0.3 * rs.normal());
const lin = (fin: number, fout: number): LinearWeights => ({ weight: vec(fin * fout), bias: vec(fout), inFeatures: fin, outFeatures: fout });
const block = (): BlockWeights => ({
  norm1: { weight: vec(D, 1), bias: vec(D) },
  qkv: lin(D, 3 * D),
  proj: lin(D, D),
  norm2: { weight: vec(D, 1), bias: vec(D) },
  mlp: { kind: 'quick-gelu', fc1: lin(D, 4 * D), fc2: lin(4 * D, D) },
});

/** Runs a 2-block CLIP-text-like stack (QuickGELU, causal mask) on one [1, T, D] sequence. */
async function run(t: TransformerWeights, x: Float32Array): Promise<Float32Array> {
  const g = new TransformerGraph();
  const mask = Float32Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? -Infinity : 0));
  const y = g.transformer('x', t, { tokens: T, values: mask });
  g.nodes.push({ op: 'Identity', inputs: [y], outputs: ['y'] });
  const bytes = encodeModel({
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: [1, T, D] }],
    outputs: [{ name: 'y', dataType: DataType.FLOAT, dims: [1, T, D] }],
  });
  const session = await createSession(bytes, 'tiny');
  const { Tensor } = await loadOrt();
  const out = await session.run({ x: new Tensor('float32', x, [1, T, D]) });
  await session.release();
  return out.y!.data as Float32Array;
}

describe('TransformerGraph', () => {
  it('a causal mask keeps earlier tokens blind to later ones', async () => {
    const t: TransformerWeights = { dim: D, heads: 2, eps: 1e-5, blocks: [block(), block()] };
    const x = vec(T * D);
    const changed = x.slice();
    for (let i = (T - 1) * D; i < T * D; i++) changed[i] = changed[i]! + 1;
    const [a, b] = [await run(t, x), await run(t, changed)];
    expect(Array.from(b.subarray(0, (T - 1) * D))).toEqual(Array.from(a.subarray(0, (T - 1) * D)));
    expect(Array.from(b.subarray((T - 1) * D))).not.toEqual(Array.from(a.subarray((T - 1) * D)));
  });

  it('rejects a width that the heads do not divide', () => {
    expect(() => new TransformerGraph().transformer('x', { dim: D, heads: 3, eps: 1e-5, blocks: [] })).toThrow(/not divisible by 3 heads/);
  });
});
