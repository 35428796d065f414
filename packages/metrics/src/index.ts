/**
 * @gen-eval/metrics — exact evaluation metrics for generative image models.
 * Each metric is a short chain of pure functions: features → statistics → metric.
 */
export { DEFAULTS, type Defaults } from './defaults.js';
export { EXIT, GenEvalError, inputError } from './errors.js';
export { fromRows, matrix, row, selectRows, type FloatArray, type Matrix } from './matrix.js';
export { RandomState } from './random.js';
export { writeFileAtomic } from './io/atomic-write.js';
export { encodeNpy, parseNpy, readNpy, writeNpy, type NpyArray, type NpyDtype } from './io/npy.js';
export { encodeStatsNpz, parseStatsNpz, readStatsNpz, writeStatsNpz, type GaussianStatsFile } from './io/npz.js';
export { assertFinite, readFeatureMatrix, toFeatureMatrix } from './io/features.js';
export { gemmABt, gemmABtSync } from './linalg/gemm.js';
export { DataType, encodeModel, type ModelSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './onnx/proto.js';
