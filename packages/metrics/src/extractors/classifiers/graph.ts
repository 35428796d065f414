/**
 * The ONNX graph of the embedded 28×28 classifiers (`mnist`, `fashion-mnist`), built from their
 * shipped weights with the project's own protobuf writer — the network of
 * fixtures/scripts/train_digit_classifiers.py:
 *
 *   images [n, 3, 28, 28] RGB in [0, 1]
 *   → gray = 0.299 R + 0.587 G + 0.114 B (the weights of Pillow's convert('L'), without its
 *     rounding to a byte), then (gray − mean)/std — both one 1×1 convolution, since the training
 *     normalised the [0, 1] gray values exactly so
 *   → [conv 3×3 (pad 1) → ReLU → maxpool 2] × 3 (16, 32, 64 channels; 28 → 14 → 7 → 3)
 *   → flatten 576 → fc1 128 = `features` → ReLU → fc2 10 = `logits`.
 *
 * The features are fc1's outputs BEFORE the ReLU: about a third of the units never fire on digits
 * (38 of 128 on the MNIST test split), so post-ReLU features have a singular covariance and every
 * FID would need the ε regularisation; the pre-activations carry the same information at full rank.
 */
import { DataType, encodeModel, type NodeSpec, type TensorSpec } from '../../onnx/proto.js';
import { internalError } from '../../errors.js';

/** Input side, feature width and classes of the embedded classifiers. */
export const CLASSIFIER_INPUT_SIZE = 28;
/** Feature width (penultimate layer) of the embedded classifiers. */
export const CLASSIFIER_FEATURES = 128;
/** Classes (logits) of the embedded classifiers. */
export const CLASSIFIER_CLASSES = 10;

/** Float32 weights by torch state-dict name, with their shapes. */
export type ClassifierWeights = ReadonlyMap<string, { readonly data: Float32Array; readonly shape: readonly number[] }>;

/** Expected tensors (name → shape). `norm_mean` / `norm_std` are the training's gray normalisation. */
export const CLASSIFIER_TENSORS: Readonly<Record<string, readonly number[]>> = {
  'conv1.weight': [16, 1, 3, 3],
  'conv1.bias': [16],
  'conv2.weight': [32, 16, 3, 3],
  'conv2.bias': [32],
  'conv3.weight': [64, 32, 3, 3],
  'conv3.bias': [64],
  'fc1.weight': [128, 576],
  'fc1.bias': [128],
  'fc2.weight': [10, 128],
  'fc2.bias': [10],
  norm_mean: [1],
  norm_std: [1],
};

/** ITU-R 601 luma weights, as Pillow's convert('L') (299/587/114 per mille). */
export const GRAY_WEIGHTS = [0.299, 0.587, 0.114] as const;

const ints = (value: readonly number[]) => ({ kind: 'ints', value }) as const;

/**
 * Encodes the classifier as ONNX bytes (opset 17); `w` must hold every tensor of CLASSIFIER_TENSORS,
 * except that fc2 may have `classes` rows (the judge's image encoder is the same network with a
 * 64-wide head).
 */
export function buildClassifierGraph(w: ClassifierWeights, graphName: string, classes: number = CLASSIFIER_CLASSES): Uint8Array {
  const get = (k: string) => {
    const t = w.get(k);
    if (t === undefined) throw internalError(`classifier graph: weight ${k} missing (validate first)`);
    return t.data;
  };
  const mean = get('norm_mean')[0]!;
  const std = get('norm_std')[0]!;
  const initializers: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  const init = (name: string, dims: readonly number[], data: Float32Array) => {
    initializers.push({ name, dataType: DataType.FLOAT, dims, data });
    return name;
  };
  const op = (type: string, inputs: readonly string[], out: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, name: out, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  // (Σ_c a_c·x_c − mean)/std as one 1×1 conv: weights a_c/std, bias −mean/std (computed in float64).
  init(
    'gray.w',
    [1, 3, 1, 1],
    Float32Array.from(GRAY_WEIGHTS, (a) => a / std),
  );
  init('gray.b', [1], Float32Array.of(-mean / std));
  let x = op('Conv', ['images', 'gray.w', 'gray.b'], 'gray', { kernel_shape: ints([1, 1]) });
  for (const layer of ['conv1', 'conv2', 'conv3']) {
    const shape = CLASSIFIER_TENSORS[`${layer}.weight`]!;
    init(`${layer}.w`, shape, get(`${layer}.weight`));
    init(`${layer}.b`, [shape[0]!], get(`${layer}.bias`));
    x = op('Conv', [x, `${layer}.w`, `${layer}.b`], layer, { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) });
    x = op('Relu', [x], `${layer}.relu`);
    x = op('MaxPool', [x], `${layer}.pool`, { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  }
  x = op('Flatten', [x], 'flatten', { axis: { kind: 'int', value: 1 } });
  // Gemm with transB = 1 takes torch's [out, in] Linear weights as they are.
  const transB = { transB: { kind: 'int', value: 1 } } as const;
  init('fc1.w', [CLASSIFIER_FEATURES, 576], get('fc1.weight'));
  init('fc1.b', [CLASSIFIER_FEATURES], get('fc1.bias'));
  op('Gemm', [x, 'fc1.w', 'fc1.b'], 'features', transB);
  x = op('Relu', ['features'], 'fc1.relu');
  init('fc2.w', [classes, CLASSIFIER_FEATURES], get('fc2.weight'));
  init('fc2.b', [classes], get('fc2.bias'));
  op('Gemm', [x, 'fc2.w', 'fc2.b'], 'logits', transB);
  const s = CLASSIFIER_INPUT_SIZE;
  return encodeModel({
    nodes,
    initializers,
    inputs: [{ name: 'images', dataType: DataType.FLOAT, dims: ['batch', 3, s, s] }],
    outputs: [
      { name: 'features', dataType: DataType.FLOAT, dims: ['batch', CLASSIFIER_FEATURES] },
      { name: 'logits', dataType: DataType.FLOAT, dims: ['batch', classes] },
    ],
    graphName,
    opset: 17,
  });
}
