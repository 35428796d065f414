/**
 * The `inception` extractor as the pipeline runs it: weights resolved (local file, cache or
 * download), the ONNX network built from them cached under <cache>/models (model-cache.ts), and the
 * onnxruntime session created lazily — a run whose features are all cached never loads the 95 MB
 * network.
 */
import type * as ort from 'onnxruntime-node';
import { buildInceptionModel, inceptionExtractorName } from '../extractors/inception/inception-extractor.js';
import { INCEPTION_GRAPH_VERSION } from '../extractors/inception/graph.js';
import type { InceptionDims } from '../extractors/inception/architecture.js';
import type { OnnxSessionOptions } from '../extractors/session.js';
import { openCachedModelSession } from './model-cache.js';

/**
 * The session of the ONNX model built from the weights, cached under <cacheRoot>/models (see
 * `openCachedModelSession`). `cacheRoot` null: built, not cached.
 */
export async function openInceptionSession(
  weightsPath: string,
  sha256: string,
  dims: InceptionDims,
  logits: boolean,
  cacheRoot: string | null,
  options: OnnxSessionOptions,
): Promise<ort.InferenceSession> {
  const tag = logits ? '-logits' : '';
  return openCachedModelSession(
    cacheRoot,
    `inception-${sha256.slice(0, 16)}-${dims}${tag}-v${INCEPTION_GRAPH_VERSION}.onnx`,
    () => buildInceptionModel(weightsPath, { dims, logits }).bytes,
    inceptionExtractorName(sha256, dims),
    options,
  );
}
