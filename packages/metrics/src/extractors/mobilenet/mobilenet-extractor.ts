/**
 * `mobilenet`: the MobileNet of `@tensorflow-models/mobilenet` as a feature extractor, features =
 * its embedding (`infer(img, true)`: the global pool before the logits, 1280-d for v2 at alpha 1,
 * 1024-d for v1). The network comes from a local TensorFlow.js graph-model folder (`--weights DIR`);
 * nothing is downloaded. The package's `load({ modelUrl })` takes a tfjs IOHandler, so we hand it
 * one that returns the folder's bytes read from disk (no fetch, no file:// handler needed).
 *
 * Input: the pipeline's 224×224 images in [0, 1] (the range of TF Hub image models, which
 * `load` assumes for every hub MobileNet it knows). `infer` expects 0–255 pixel values and maps
 * them to `inputRange`, so we pass x·255 with inputRange [0, 1]; its own resize is a no-op at 224.
 */
import { basename } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { DEFAULTS } from '../../defaults.js';
import { inputError } from '../../errors.js';
import { checkBatch, type ExtractorInput, type FeatureExtractor } from '../extractor.js';
import { readMobilenetFolder, type MobilenetFolder } from './model-folder.js';
import { tfRuntime } from './tf-runtime.js';

/** MobileNet's input size (the package's IMAGE_SIZE). */
export const MOBILENET_SIZE = 224;

export interface MobilenetExtractorOptions {
  /** Images per tfjs call; default `DEFAULTS.extractorMaxBatch`. */
  readonly maxBatch?: number;
}

/** The feature name: network version, hash of model.json + weights, width. */
export function mobilenetExtractorName(folder: MobilenetFolder, dim: number): string {
  return `mobilenet-v${folder.version}@${folder.sha256.slice(0, 8)}:${dim}`;
}

/** Creates the extractor from a local model folder (see {@link readMobilenetFolder} for its checks). */
export async function createMobilenetExtractor(dir: string | undefined, options: MobilenetExtractorOptions = {}): Promise<FeatureExtractor> {
  const folder = readMobilenetFolder(dir);
  const modelFile = `${folder.dir}/model.json`;
  const { tf } = await tfRuntime();
  const mobilenet = await import('@tensorflow-models/mobilenet');
  const m = folder.modelJson;
  const artifacts: io.ModelArtifacts = {
    modelTopology: m.modelTopology as io.ModelArtifacts['modelTopology'],
    weightSpecs: folder.weightSpecs as io.ModelArtifacts['weightSpecs'],
    weightData: folder.weightData,
    ...(typeof m.format === 'string' ? { format: m.format } : {}),
    ...(m.signature !== undefined ? { signature: m.signature as object } : {}),
    ...(m.modelInitializer !== undefined ? { modelInitializer: m.modelInitializer as object } : {}),
    ...(m.userDefinedMetadata !== undefined ? { userDefinedMetadata: m.userDefinedMetadata as Record<string, object> } : {}),
  };
  let model: Awaited<ReturnType<typeof mobilenet.load>>;
  try {
    // load() runs the graph once on zeros, so a graph that cannot run on 224×224×3 fails here.
    model = await mobilenet.load({ version: folder.version, modelUrl: { load: async () => artifacts }, inputRange: [0, 1] });
  } catch (err) {
    throw inputError(modelFile, `TensorFlow.js cannot load or run this graph (${String((err as Error).message ?? err).split('\n')[0]})`);
  }
  const input: ExtractorInput = { height: MOBILENET_SIZE, width: MOBILENET_SIZE, channels: 3, layout: 'NCHW', range: [0, 1] };
  const hw = MOBILENET_SIZE * MOBILENET_SIZE;
  const maxBatch = options.maxBatch ?? DEFAULTS.extractorMaxBatch;

  /** The embeddings of m images (NCHW [0,1] → NHWC 0–255, as infer takes them). */
  const embed = async (chunk: Float32Array, count: number): Promise<Float32Array> => {
    const nhwc = new Float32Array(chunk.length);
    for (let i = 0; i < count; i++) {
      const base = i * 3 * hw;
      for (let c = 0; c < 3; c++) {
        const src = base + c * hw;
        for (let p = 0; p < hw; p++) nhwc[base + p * 3 + c] = chunk[src + p]! * 255;
      }
    }
    const out = tf.tidy(() => model.infer(tf.tensor4d(nhwc, [count, MOBILENET_SIZE, MOBILENET_SIZE, 3]), true));
    try {
      // infer squeezes [count, 1, 1, dim] to [count, dim]: row-major count × dim.
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  };

  let dim: number;
  try {
    dim = (await embed(new Float32Array(3 * hw), 1)).length;
  } catch (err) {
    throw inputError(modelFile, `the graph fails at its embedding node (${String((err as Error).message ?? err).split('\n')[0]})`);
  }
  const name = mobilenetExtractorName(folder, dim);
  let disposed = false;
  return {
    name,
    input,
    outputs: { features: dim },
    async run(batch, n) {
      const per = checkBatch(basename(folder.dir), input, batch, n);
      const features = new Float32Array(n * dim);
      for (let start = 0; start < n; start += maxBatch) {
        const count = Math.min(maxBatch, n - start);
        features.set(await embed(batch.subarray(start * per, (start + count) * per), count), start * dim);
      }
      return { features };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      // The package keeps its GraphModel in a field; its weights are tfjs tensors to free.
      (model as unknown as { model?: { dispose(): void } }).model?.dispose();
    },
  };
}
