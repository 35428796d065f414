/**
 * The `dinov2` extractor: the official DINOv2 backbones' final-norm class token on onnxruntime,
 * built at run time from the `_pretrain.pth` weights. Input: float32 NCHW n×3×224×224 RGB in
 * [0, 1] (the ImageNet normalisation is inside the graph).
 */
import type * as ort from 'onnxruntime-node';
import { DEFAULTS } from '../../defaults.js';
import { encodeModel } from '../../onnx/proto.js';
import type { FeatureExtractor } from '../extractor.js';
import { checkBatch } from '../extractor.js';
import { loadOrt } from '../ort.js';
import { releaseOnce, runInChunks } from '../session.js';
import { DINOV2_ARCHS, DINOV2_INPUT_SIZE, type Dinov2Size } from './architecture.js';
import { buildDinov2Model, DINOV2_GRAPH_VERSION } from './graph.js';
import { readDinov2Weights, type Dinov2Weights } from './weights.js';

/** `dinov2@<first 8 hex of the weights' SHA-256>:<size>`. */
export function dinov2ExtractorName(weightsSha256: string, size: Dinov2Size): string {
  return `dinov2@${weightsSha256.slice(0, 8)}:${size}`;
}

/** The cache file name of a built network (weights hash, size, graph version). */
export function dinov2ModelFileName(weightsSha256: string, size: Dinov2Size): string {
  return `dinov2-${size}-${weightsSha256.slice(0, 16)}-v${DINOV2_GRAPH_VERSION}.onnx`;
}

/**
 * ONNX bytes of the network at 224×224 from weights (a path, or parsed by `readDinov2Weights`);
 * the weights must be of `size` when given. ViT-g/14 in float32 (4.5 GB) exceeds protobuf's 2 GB
 * limit and cannot be encoded this way.
 */
export function buildDinov2OnnxBytes(weights: string | Dinov2Weights, size?: Dinov2Size): Uint8Array {
  const w = typeof weights === 'string' ? readDinov2Weights(weights, size) : weights;
  return encodeModel(buildDinov2Model(w));
}

/**
 * A DINOv2 extractor over a session opened by `open` at the first `run` (e.g. from the model
 * cache); errors of `open` surface there.
 */
export function createDinov2Extractor(
  size: Dinov2Size,
  weightsSha256: string,
  open: () => Promise<ort.InferenceSession>,
  options: { readonly maxBatch?: number } = {},
): FeatureExtractor {
  const name = dinov2ExtractorName(weightsSha256, size);
  const dim = DINOV2_ARCHS[size].dim;
  const s = DINOV2_INPUT_SIZE;
  const maxBatch = options.maxBatch ?? DEFAULTS.extractorMaxBatch;
  // dgm-eval's transform: Resize((224, 224), BICUBIC) on the 8-bit PIL image; its clean_resize is clean-fid's.
  const input = { height: s, width: s, channels: 3, layout: 'NCHW', range: [0, 1], profiles: { default: 'pillow-bicubic', clean: 'clean' } } as const;
  let session: Promise<ort.InferenceSession> | undefined;
  let dispose: (() => Promise<void>) | undefined;
  const get = () => (session ??= open());
  return {
    name,
    input,
    outputs: { features: dim },
    async run(batch, n) {
      const per = checkBatch(name, input, batch, n);
      const ses = await get();
      const { Tensor } = await loadOrt();
      const [features] = await runInChunks(ses, (chunk, k) => ({ images: new Tensor('float32', chunk, [k, 3, s, s]) }), batch, n, per, maxBatch, [{ name: 'features', dim }]);
      return { features: features! };
    },
    async dispose() {
      if (session === undefined) return;
      dispose ??= releaseOnce(await session);
      await dispose();
    },
  };
}
