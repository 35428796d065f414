/**
 * A tiny real ONNX feature extractor for pipeline tests: 3×S×S input → strided conv → ReLU →
 * global average pool (features) and a linear layer (logits). Weights come from a seed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOnnxExtractor } from '../extractors/onnx-extractor.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { DataType, encodeModel } from '../onnx/proto.js';
import { RandomState } from '../random.js';

export const TINY_SIZE = 32;
export const TINY_FEATURES = 8;
export const TINY_CLASSES = 5;

/** Writes the tiny model to a temp file and returns its path. */
export function writeTinyModel(seed = 7): string {
  const rs = new RandomState(seed);
  const w = Float32Array.from(rs.normals(TINY_FEATURES * 3 * 4 * 4), (v) => v * 0.3);
  const fc = Float32Array.from(rs.normals(TINY_FEATURES * TINY_CLASSES), (v) => v * 0.5);
  const bytes = encodeModel({
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: { kind: 'ints', value: [4, 4] } } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
      { op: 'Flatten', inputs: ['p'], outputs: ['features'] },
      { op: 'MatMul', inputs: ['features', 'fc'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'w', dataType: DataType.FLOAT, dims: [TINY_FEATURES, 3, 4, 4], data: w },
      { name: 'fc', dataType: DataType.FLOAT, dims: [TINY_FEATURES, TINY_CLASSES], data: fc },
    ],
    inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 3, TINY_SIZE, TINY_SIZE] }],
    outputs: [
      { name: 'features', dataType: DataType.FLOAT, dims: ['n', TINY_FEATURES] },
      { name: 'logits', dataType: DataType.FLOAT, dims: ['n', TINY_CLASSES] },
    ],
  });
  const path = join(mkdtempSync(join(tmpdir(), 'tiny-model-')), 'tiny.onnx');
  writeFileSync(path, bytes);
  return path;
}

/** The tiny model as an extractor taking [−1, 1] inputs. */
export function tinyExtractor(path = writeTinyModel()): Promise<FeatureExtractor> {
  return createOnnxExtractor(path, { normalize: 'symmetric', featuresOutput: 'features', logitsOutput: 'logits' });
}
