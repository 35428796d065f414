/**
 * `onnx:PATH` extractors: any user-exported ONNX model (FD-DINOv2, CLIP, a custom classifier) as a
 * feature extractor. The user declares what the model expects — input size, NCHW/NHWC layout and
 * the pixel normalisation — and we adapt the pipeline's NCHW batches to it. Shapes that the model
 * declares statically are read from it (and a contradicting declaration is an error).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { DEFAULTS } from '../defaults.js';
import { GenEvalError, inputError } from '../errors.js';
import { checkBatch, type ExtractorInput, type FeatureExtractor } from './extractor.js';
import { loadOrt } from './ort.js';
import { checkSessionOptions, createSession, releaseOnce, runInChunks, type OutputSpec, type OnnxSessionOptions } from './session.js';

/** Per-channel mean/std applied to [0,1] values: (x − mean) / std. */
export interface ChannelMeanStd {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/**
 * What the model expects: 'unit' = RGB in [0,1]; 'symmetric' = [−1,1]; 'imagenet' = [0,1] then
 * ImageNet mean/std (DINOv2, most torchvision models); 'clip' = [0,1] then OpenAI CLIP's mean/std;
 * or an explicit mean/std.
 */
export type Normalization = 'unit' | 'symmetric' | 'imagenet' | 'clip' | ChannelMeanStd;

/** torchvision's ImageNet normalisation (`--normalize imagenet`). */
export const IMAGENET_MEAN_STD: ChannelMeanStd = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
/** OpenAI CLIP's normalisation (`--normalize clip`). */
export const CLIP_MEAN_STD: ChannelMeanStd = { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] };

/**
 * Options of `createOnnxExtractor` for a user ONNX model: normalisation (required), input size and
 * layout, output names, batch size.
 */
export interface OnnxExtractorOptions extends OnnxSessionOptions {
  /** Required: the pixel normalisation the model was trained with. */
  readonly normalize: Normalization;
  /** Input height/width (one number = square). Required unless the model declares it. */
  readonly inputSize?: number | readonly [number, number];
  /** Input layout; read from the model when its input shape says (channel axis of size 3). */
  readonly layout?: 'NCHW' | 'NHWC';
  /** Output holding the features (default: the model's first output). */
  readonly featuresOutput?: string;
  /** Output holding class logits, if any. */
  readonly logitsOutput?: string;
  /** Images per onnxruntime call; default `DEFAULTS.extractorMaxBatch`. */
  readonly maxBatch?: number;
}

function normalizationTag(n: Normalization): string {
  return typeof n === 'string' ? n : `mean=${n.mean.join(',')};std=${n.std.join(',')}`;
}

function meanStd(n: Normalization): ChannelMeanStd | null {
  return n === 'imagenet' ? IMAGENET_MEAN_STD : n === 'clip' ? CLIP_MEAN_STD : typeof n === 'string' ? null : n;
}

/** Works out layout and size from the model's declared input shape and the user's declaration. */
function resolveInput(file: string, shape: readonly (number | string)[], options: OnnxExtractorOptions) {
  if (shape.length !== 0 && shape.length !== 4) throw inputError(file, `model input has rank ${shape.length}; expected a 4-D image batch`);
  const fixed = (i: number) => (typeof shape[i] === 'number' && shape[i] > 0 ? shape[i] : null);
  const inferred = fixed(1) === 3 ? 'NCHW' : fixed(3) === 3 ? 'NHWC' : null;
  const layout = options.layout ?? inferred;
  if (layout === null) throw inputError(file, 'cannot tell the input layout from the model; declare it (`layout`: NCHW or NHWC)', { options: ['layout'] });
  if (inferred !== null && options.layout !== undefined && options.layout !== inferred) {
    throw inputError(file, `declared layout ${options.layout} but the model input shape [${shape.join(', ')}] is ${inferred}`);
  }
  const [hAxis, wAxis] = layout === 'NCHW' ? [2, 3] : [1, 2];
  const declared = options.inputSize === undefined ? null : typeof options.inputSize === 'number' ? [options.inputSize, options.inputSize] : options.inputSize;
  const height = declared?.[0] ?? fixed(hAxis);
  const width = declared?.[1] ?? fixed(wAxis);
  if (height === null || width === null) throw inputError(file, 'the model does not fix its input size; declare it (`inputSize`, e.g. 224)', { options: ['inputSize'] });
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) throw new GenEvalError(`input size must be positive integers, got ${height}×${width}`);
  if ((fixed(hAxis) ?? height) !== height || (fixed(wAxis) ?? width) !== width) {
    throw inputError(file, `declared input size ${height}×${width} but the model expects ${fixed(hAxis)}×${fixed(wAxis)}`);
  }
  return { layout, height, width };
}

/** Maps one NCHW chunk to what the model takes (mean/std, NHWC); returns the input as is when nothing to do. */
function adapt(chunk: Float32Array, m: number, hw: number, layout: 'NCHW' | 'NHWC', ms: ChannelMeanStd | null): Float32Array {
  if (ms === null && layout === 'NCHW') return chunk;
  const out = new Float32Array(chunk.length);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < 3; c++) {
      const mean = ms?.mean[c] ?? 0;
      const inv = 1 / (ms?.std[c] ?? 1);
      const src = (i * 3 + c) * hw;
      for (let p = 0; p < hw; p++) {
        const dst = layout === 'NCHW' ? src + p : (i * hw + p) * 3 + c;
        out[dst] = (chunk[src + p]! - mean) * inv;
      }
    }
  }
  return out;
}

/** Creates an extractor from a user ONNX model file. */
export async function createOnnxExtractor(path: string, options: OnnxExtractorOptions): Promise<FeatureExtractor> {
  if (options.normalize === undefined) throw new GenEvalError(`onnx:${path}: declare the pixel normalisation the model expects (unit, symmetric, imagenet, clip)`);
  checkSessionOptions(options);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(path, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  const session = await createSession(bytes, path, options);
  try {
    const inputs = session.inputMetadata;
    if (inputs.length !== 1) throw inputError(path, `the model has ${inputs.length} inputs (${session.inputNames.join(', ')}); an extractor takes exactly one image batch`);
    const meta = inputs[0]!;
    if (meta.isTensor && meta.type !== 'float32') throw inputError(path, `model input "${meta.name}" is ${meta.type}; only float32 inputs are supported`);
    const { layout, height, width } = resolveInput(path, meta.isTensor ? meta.shape : [], options);
    const featuresName = options.featuresOutput ?? session.outputNames[0]!;
    for (const o of [featuresName, options.logitsOutput]) {
      if (o !== undefined && !session.outputNames.includes(o)) throw inputError(path, `the model has no output "${o}" (outputs: ${session.outputNames.join(', ')})`);
    }
    const ms = meanStd(options.normalize);
    const hw = height * width;
    const shape = (m: number) => (layout === 'NCHW' ? [m, 3, height, width] : [m, height, width, 3]);
    const { Tensor } = await loadOrt();
    const feed = (chunk: Float32Array, m: number) => ({ [meta.name]: new Tensor('float32', adapt(chunk, m, hw, layout, ms), shape(m)) });
    // One probe image tells the output widths whatever the model declares ([n, d] or [n, d, 1, 1]).
    let probe: ort.InferenceSession.ReturnType;
    try {
      probe = await session.run(feed(new Float32Array(3 * hw), 1));
    } catch (err) {
      throw inputError(path, `the model fails on a ${height}×${width} ${layout} image (${(err as Error).message.split('\n')[0]})`);
    }
    const width1 = (name: string) => {
      const t = probe[name]!;
      if (t.type !== 'float32') throw inputError(path, `model output "${name}" is ${t.type}; expected float32`);
      return t.data.length;
    };
    const outputs: OutputSpec[] = [{ name: featuresName, dim: width1(featuresName) }];
    if (options.logitsOutput !== undefined) outputs.push({ name: options.logitsOutput, dim: width1(options.logitsOutput) });
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
    const name = `onnx@${hash}:${height}x${width}:${layout.toLowerCase()}:${normalizationTag(options.normalize)}:${featuresName}`;
    const input: ExtractorInput = { height, width, channels: 3, layout: 'NCHW', range: options.normalize === 'symmetric' ? [-1, 1] : [0, 1] };
    const maxBatch = options.maxBatch ?? DEFAULTS.extractorMaxBatch;
    return {
      name,
      input,
      outputs: outputs.length > 1 ? { features: outputs[0]!.dim, logits: outputs[1]!.dim } : { features: outputs[0]!.dim },
      async run(batch, n) {
        const per = checkBatch(`${basename(path)}`, input, batch, n);
        const [features, logits] = await runInChunks(session, feed, batch, n, per, maxBatch, outputs);
        return logits === undefined ? { features: features! } : { features: features!, logits };
      },
      dispose: releaseOnce(session),
    };
  } catch (err) {
    await session.release();
    throw err;
  }
}
