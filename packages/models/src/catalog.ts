/**
 * `@gen-eval/models/catalog`: the choices the package offers — model families, data sets, image
 * sizes, backends — from modules that load no TensorFlow.js, so that a command line can list and
 * check them at start (and its help cannot drift from the library).
 */
import { kindsTaking, type ConditionOption } from './condition.js';
import { FAMILIES } from './families/index.js';
import { hyperParamSummary } from './hyper-param-text.js';

export { CONDITION_KINDS, CONDITION_OPTIONS, CONDITION_WORDS, conditionNeeds, kindsTaking, type Condition, type ConditionKind, type ConditionOption } from './condition.js';
export { BACKEND_ORDER, BACKEND_REQUESTS, type BackendChoice } from './backend-choices.js';
export { DATASET_NAMES } from './data/datasets.js';
export { FASHION_MNIST_DIR } from './data/fashion-mnist.js';
export { IMAGE_SIZES } from './data/image-set.js';
export { DEFAULT_IMAGE_SIZE, FOLDER_IMAGE_SIZE } from './data/images.js';

/** Every model family's `--model` name, in listing order. */
export const FAMILY_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

/** The families whose samples `option` sets (`sample --label`, `--code`, …), in listing order; none: the option has no use yet. */
export function familiesTaking(option: ConditionOption): string[] {
  const kinds = kindsTaking(option);
  return FAMILIES.filter((f) => kinds.includes(f.condition.kind)).map((f) => f.name);
}

/** Each condition option of `sample` → the families that take it (empty: no registered family does). */
export const SAMPLE_CONDITION_FAMILIES: Readonly<Record<ConditionOption, readonly string[]>> = {
  label: familiesTaking('label'),
  code: familiesTaking('code'),
  from: familiesTaking('from'),
  input: familiesTaking('input'),
  caption: familiesTaking('caption'),
  captions: familiesTaking('captions'),
  interpolate: familiesTaking('interpolate'),
};

/** Each family's hyper-parameter names, one line per family (from the families' schemas). */
export const HYPER_PARAM_SUMMARY: readonly string[] = hyperParamSummary(FAMILIES);

export { MAX_BATCH } from './families/shared-hyper-params.js';
