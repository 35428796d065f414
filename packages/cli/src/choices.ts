/**
 * The choices the command line offers — model families, data sets, image sizes, backends — and
 * its version, taken from the packages (the models package's light `catalog` entry, which loads no
 * TensorFlow.js, and package.json), so that options and help cannot drift from the library.
 */
import { createRequire } from 'node:module';
import { METRIC_GROUPS, METRIC_TABLE, PAIRED_CONVENTIONS, PAIRED_METRIC_NAMES } from '@gen-eval/metrics';
import {
  BACKEND_ORDER,
  BACKEND_REQUESTS,
  CAS_DEFAULTS,
  DATASET_NAMES,
  DEFAULT_IMAGE_SIZE,
  FAMILY_NAMES,
  FASHION_MNIST_DIR,
  FOLDER_IMAGE_SIZE,
  HYPER_PARAM_SUMMARY,
  IMAGE_SIZES,
  MAX_BATCH,
  SAMPLE_CONDITION_FAMILIES,
} from '@gen-eval/models/catalog';

/** The CLI package's version (`gen-eval --version`). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** What the options accept and their help lists. */
export const CHOICES = {
  models: FAMILY_NAMES,
  /** Each model's hyper-parameter names, one line per model (`train --help`). */
  hyperParams: HYPER_PARAM_SUMMARY,
  /** Largest training batch (2-D points; images are capped lower, see `train --list`). */
  maxBatch: MAX_BATCH.points,
  datasets: DATASET_NAMES,
  imageSizes: IMAGE_SIZES,
  defaultImageSize: DEFAULT_IMAGE_SIZE,
  folderImageSize: FOLDER_IMAGE_SIZE,
  fashionMnistDir: FASHION_MNIST_DIR,
  backends: BACKEND_REQUESTS as readonly string[],
  backendOrder: BACKEND_ORDER as readonly string[],
  /** The metric groups `eval --metrics` takes (the metric table's METRIC_GROUPS). */
  evalMetrics: Object.keys(METRIC_GROUPS),
  /** The paired metric commands (`psnr`, `ssim`, `l1`): label and convention of each, from the metric table. */
  pairedMetrics: PAIRED_METRIC_NAMES.map((key) => ({ key, label: METRIC_TABLE[key].label, convention: PAIRED_CONVENTIONS[key] })),
  /** `sample`'s condition options (label, code, from, input, caption) → the families that take each. */
  sampleConditions: SAMPLE_CONDITION_FAMILIES,
  /** `cas`'s default budget: images and epochs. */
  cas: CAS_DEFAULTS,
} as const;
