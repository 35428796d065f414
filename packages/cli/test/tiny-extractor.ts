/**
 * A tiny real ONNX feature extractor for CLI tests (as the metrics package's pipeline tests use):
 * 3×32×32 input → strided conv → ReLU → global average pool, 8 features. Weights come from a
 * seed; with `--extractor onnx:PATH --normalize symmetric` a whole folder runs in well under a second.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, encodeModel, RandomState } from '@gen-eval/metrics';

export const TINY_SIZE = 32;
export const TINY_FEATURES = 8;

/** Writes the tiny model under `dir` and returns the CLI options that select it. */
export function tinyExtractorArgs(dir: string, seed = 7): string[] {
  const rs = new RandomState(seed);
  const w = Float32Array.from(rs.normals(TINY_FEATURES * 3 * 4 * 4), (v) => v * 0.3);
  const bytes = encodeModel({
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: { kind: 'ints', value: [4, 4] } } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
      { op: 'Flatten', inputs: ['p'], outputs: ['features'] },
    ],
    initializers: [{ name: 'w', dataType: DataType.FLOAT, dims: [TINY_FEATURES, 3, 4, 4], data: w }],
    inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 3, TINY_SIZE, TINY_SIZE] }],
    outputs: [{ name: 'features', dataType: DataType.FLOAT, dims: ['n', TINY_FEATURES] }],
  });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `tiny-${seed}.onnx`);
  writeFileSync(path, bytes);
  return ['--extractor', `onnx:${path}`, '--normalize', 'symmetric', '--quiet'];
}
