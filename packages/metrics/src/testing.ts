/**
 * @gen-eval/metrics/testing — test support, kept out of the main API: synthetic Inception
 * weights and a legacy `.pth` encoder (to exercise the real extractor without the 95 MB
 * download), a tiny seeded ONNX extractor, matrices with a known spectrum, and a node option
 * that makes modules absent (to show an entry or command runs without them).
 */
export { syntheticInceptionStateDict } from './extractors/inception/synthetic.js';
export { encodeLegacyPth, type WritableTensor } from './extractors/torch/pth-writer.js';
export { TINY_CLASSES, TINY_FEATURES, TINY_SIZE, tinyExtractor, tinyModelBytes, writeTinyModel, type TinyModelOptions } from './testing/tiny-onnx.js';
export { maxDiff, randomOrthogonal, withSingularValues, withSpectrum } from './linalg/test-matrices.js';
export { forbidModulesOption } from './testing/forbid-modules.js';
