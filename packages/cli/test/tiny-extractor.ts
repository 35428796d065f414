/**
 * The metrics package's tiny ONNX extractor (`@gen-eval/metrics/testing`) for CLI tests, features
 * only: with `--extractor onnx:PATH --normalize symmetric` a whole folder runs in well under a second.
 */
import { writeTinyModel } from '@gen-eval/metrics/testing';

/** Writes the tiny model (seeded, features only) under `dir` and returns the CLI options that select it. */
export function tinyExtractorArgs(dir: string, seed = 7): string[] {
  const path = writeTinyModel({ dir, seed, logits: false });
  return ['--extractor', `onnx:${path}`, '--normalize', 'symmetric', '--quiet'];
}
