/**
 * `@gen-eval/models/catalog`: the choices the package offers — model families, data sets, image
 * sizes, backends — from modules that load no TensorFlow.js, so that a command line can list and
 * check them at start (and its help cannot drift from the library).
 */
import { FAMILIES } from './families/index.js';
import { hyperParamSummary } from './hyper-param-text.js';

export { BACKEND_ORDER, BACKEND_REQUESTS, type BackendChoice } from './backend-choices.js';
export { DATASET_NAMES } from './data/datasets.js';
export { FASHION_MNIST_DIR } from './data/fashion-mnist.js';
export { IMAGE_SIZES } from './data/image-set.js';
export { DEFAULT_IMAGE_SIZE, FOLDER_IMAGE_SIZE } from './data/images.js';

/** Every model family's `--model` name, in listing order. */
export const FAMILY_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

/** Each family's hyper-parameter names, one line per family (from the families' schemas). */
export const HYPER_PARAM_SUMMARY: readonly string[] = hyperParamSummary(FAMILIES);

export { MAX_BATCH } from './families/shared-hyper-params.js';
