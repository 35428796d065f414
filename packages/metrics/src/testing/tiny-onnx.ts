/**
 * A tiny real ONNX feature extractor for tests: 3×32×32 input → strided conv → ReLU → global
 * average pool (8 features) and, optionally, a linear layer (5 logits). Weights come from a seed,
 * so a whole folder runs in well under a second and the numbers are reproducible.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOnnxExtractor } from '../extractors/onnx-extractor.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { DataType, encodeModel, type NodeSpec, type TensorSpec, type ValueSpec } from '../onnx/proto.js';
import { RandomState } from '../random.js';

/** Input side of the tiny model (3 × 32 × 32, NCHW). */
export const TINY_SIZE = 32;
/** Width of its `features` output. */
export const TINY_FEATURES = 8;
/** Width of its `logits` output (when it has one). */
export const TINY_CLASSES = 5;

/** Options of `tinyModelBytes` / `writeTinyModel`. */
export interface TinyModelOptions {
  /** Seed of the weights (default 7). */
  readonly seed?: number;
  /** Add the `logits` output (default true); without it the model has `features` only. */
  readonly logits?: boolean;
}

/** The tiny model's ONNX bytes. The conv weights depend only on the seed, with or without logits. */
export function tinyModelBytes(options: TinyModelOptions = {}): Uint8Array {
  const rs = new RandomState(options.seed ?? 7);
  const withLogits = options.logits ?? true;
  const w = Float32Array.from(rs.normals(TINY_FEATURES * 3 * 4 * 4), (v) => v * 0.3);
  const nodes: NodeSpec[] = [
    { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: { kind: 'ints', value: [4, 4] } } },
    { op: 'Relu', inputs: ['c'], outputs: ['r'] },
    { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
    { op: 'Flatten', inputs: ['p'], outputs: ['features'] },
  ];
  const initializers: TensorSpec[] = [{ name: 'w', dataType: DataType.FLOAT, dims: [TINY_FEATURES, 3, 4, 4], data: w }];
  const outputs: ValueSpec[] = [{ name: 'features', dataType: DataType.FLOAT, dims: ['n', TINY_FEATURES] }];
  if (withLogits) {
    const fc = Float32Array.from(rs.normals(TINY_FEATURES * TINY_CLASSES), (v) => v * 0.5);
    nodes.push({ op: 'MatMul', inputs: ['features', 'fc'], outputs: ['logits'] });
    initializers.push({ name: 'fc', dataType: DataType.FLOAT, dims: [TINY_FEATURES, TINY_CLASSES], data: fc });
    outputs.push({ name: 'logits', dataType: DataType.FLOAT, dims: ['n', TINY_CLASSES] });
  }
  return encodeModel({
    nodes,
    initializers,
    inputs: [{ name: 'x', dataType: DataType.FLOAT, dims: ['n', 3, TINY_SIZE, TINY_SIZE] }],
    outputs,
  });
}

/**
 * Writes the tiny model as `<dir>/tiny-<seed>.onnx` (`dir` is created; default a new temp folder)
 * and returns its path.
 */
export function writeTinyModel(options: TinyModelOptions & { readonly dir?: string } = {}): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tiny-model-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `tiny-${options.seed ?? 7}.onnx`);
  writeFileSync(path, tinyModelBytes(options));
  return path;
}

/**
 * The tiny model (with logits) as an extractor taking [−1, 1] inputs. Without `path` the model is
 * written to a temp folder that is removed once loaded (the session keeps the bytes).
 */
export async function tinyExtractor(path?: string): Promise<FeatureExtractor> {
  const file = path ?? writeTinyModel();
  try {
    return await createOnnxExtractor(file, { normalize: 'symmetric', featuresOutput: 'features', logitsOutput: 'logits' });
  } finally {
    if (path === undefined) rmSync(dirname(file), { recursive: true, force: true });
  }
}
