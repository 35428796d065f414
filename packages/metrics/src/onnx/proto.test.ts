import { describe, expect, it } from 'vitest';
import { loadOrt } from '../extractors/ort.js';
import { DataType, encodeModel } from './proto.js';

// Through the package's loader, which turns onnxruntime's telemetry off.
const ort = await loadOrt();

describe('encodeModel', () => {
  it('builds a float64 MatMul + Add graph that onnxruntime runs exactly', async () => {
    const bias = Float64Array.of(0.5, -1);
    const bytes = encodeModel({
      nodes: [
        { op: 'MatMul', inputs: ['a', 'b'], outputs: ['p'] },
        { op: 'Add', inputs: ['p', 'bias'], outputs: ['y'] },
      ],
      initializers: [{ name: 'bias', dataType: DataType.DOUBLE, dims: [2], data: bias }],
      inputs: [
        { name: 'a', dataType: DataType.DOUBLE, dims: ['n', 3] },
        { name: 'b', dataType: DataType.DOUBLE, dims: [3, 2] },
      ],
      outputs: [{ name: 'y', dataType: DataType.DOUBLE, dims: ['n', 2] }],
    });
    const session = await ort.InferenceSession.create(bytes);
    const a = new ort.Tensor('float64', Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const b = new ort.Tensor('float64', Float64Array.of(1, 0, 0, 1, 1, 1), [3, 2]);
    const { y } = await session.run({ a, b });
    expect(Array.from(y!.data as Float64Array)).toEqual([4.5, 4, 10.5, 10]);
  });

  it('encodes int, ints, float and string attributes (Conv with pads/strides, Transpose)', async () => {
    const w = new Float32Array(1 * 1 * 3 * 3).fill(1);
    const bytes = encodeModel({
      nodes: [
        {
          op: 'Conv',
          inputs: ['x', 'w'],
          outputs: ['c'],
          attributes: { pads: { kind: 'ints', value: [1, 1, 1, 1] }, strides: { kind: 'ints', value: [1, 1] }, group: { kind: 'int', value: 1 } },
        },
        { op: 'LeakyRelu', inputs: ['c'], outputs: ['y'], attributes: { alpha: { kind: 'float', value: 0.5 } } },
      ],
      initializers: [{ name: 'w', dataType: DataType.FLOAT, dims: [1, 1, 3, 3], data: w }],
      inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: [1, 1, 2, 2] }],
      outputs: [{ name: 'y', dataType: DataType.FLOAT, dims: [1, 1, 2, 2] }],
    });
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', Float32Array.of(1, 2, 3, -20), [1, 1, 2, 2]);
    const { y } = await session.run({ x });
    // Every 3×3 window with padding covers all four pixels: sum = -14, LeakyRelu(0.5) → -7.
    expect(Array.from(y!.data as Float32Array)).toEqual([-7, -7, -7, -7]);
  });
});
