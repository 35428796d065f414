/**
 * The `inception` extractor: pytorch-fid's FID Inception-v3 on onnxruntime, built at run time from
 * the .pth weights (nothing else is downloaded). Two steps so the pipeline can cache the slow one:
 * `buildInceptionModel` (weights → ONNX bytes, ~95 MB) and `createInceptionExtractor` (bytes →
 * session → extractor).
 */
import type * as ort from 'onnxruntime-node';
import { DEFAULTS } from '../../defaults.js';
import { GenEvalError } from '../../errors.js';
import type { FeatureExtractor } from '../extractor.js';
import { checkBatch } from '../extractor.js';
import { loadOrt } from '../ort.js';
import { checkSessionOptions, createSession, releaseOnce, runInChunks, type OutputSpec, type OnnxSessionOptions } from '../session.js';
import { INCEPTION_DIMS, INCEPTION_INPUT_SIZE, NUM_CLASSES, type InceptionDims } from './architecture.js';
import { buildInceptionGraph, INCEPTION_GRAPH_VERSION } from './graph.js';
import { readInceptionWeights, type InceptionWeights } from './weights.js';

/** A built network: its ONNX bytes plus what identifies it (store both when caching). */
export interface InceptionModel {
  /** ONNX protobuf; load it back with `createInceptionExtractor`. */
  readonly bytes: Uint8Array;
  /** SHA-256 (hex) of the weight file it was built from. */
  readonly weightsSha256: string;
  readonly dims: InceptionDims;
  readonly logits: boolean;
  /** `INCEPTION_GRAPH_VERSION` at build time; a cache must not reuse models of another version. */
  readonly graphVersion: number;
}

/** Options of `buildInceptionModel` (and `createInceptionExtractor`): feature block and logits. */
export interface InceptionModelOptions {
  /** Feature block (pytorch-fid `--dims`): 64, 192, 768 or 2048 (default). */
  readonly dims?: number;
  /** Also compute the 1008 unbiased logits (for the Inception Score). */
  readonly logits?: boolean;
}

/** Options of `createInceptionExtractor`: onnxruntime session options and the batch size. */
export interface InceptionExtractorOptions extends OnnxSessionOptions {
  /** Images per onnxruntime call; default `DEFAULTS.extractorMaxBatch`. */
  readonly maxBatch?: number;
}

/** The inception extractor also tells which weights it runs. */
export interface InceptionExtractor extends FeatureExtractor {
  readonly weightsSha256: string;
}

/** Checks an Inception feature block: 64, 192, 768 or 2048 (anything else is a one-line error). */
export function checkDims(dims: number): InceptionDims {
  if (!(INCEPTION_DIMS as readonly number[]).includes(dims)) {
    throw new GenEvalError(`inception dims must be one of ${INCEPTION_DIMS.join(', ')}, got ${dims}`);
  }
  return dims as InceptionDims;
}

/** Builds the ONNX network from weights (a path, or already parsed with `readInceptionWeights`). */
export function buildInceptionModel(weights: string | InceptionWeights, options: InceptionModelOptions = {}): InceptionModel {
  const dims = checkDims(options.dims ?? 2048);
  const logits = options.logits ?? false;
  const w = typeof weights === 'string' ? readInceptionWeights(weights) : weights;
  return {
    bytes: buildInceptionGraph(w.stateDict, { dims, logits }),
    weightsSha256: w.sha256,
    dims,
    logits,
    graphVersion: INCEPTION_GRAPH_VERSION,
  };
}

/** `inception@<first 8 hex of the weights' SHA-256>:<dims>` — 6726825d for pytorch-fid's file. */
export function inceptionExtractorName(weightsSha256: string, dims: number): string {
  return `inception@${weightsSha256.slice(0, 8)}:${dims}`;
}

/**
 * Creates the extractor from a built model (or builds one from a weight path first).
 * Input: float32 NCHW n×3×299×299 in [−1, 1]; outputs `features` (dims) and `logits` (1008) if built.
 */
export async function createInceptionExtractor(model: InceptionModel | string, options: InceptionExtractorOptions & InceptionModelOptions = {}): Promise<InceptionExtractor> {
  checkSessionOptions(options);
  const m = typeof model === 'string' ? buildInceptionModel(model, options) : model;
  if (m.graphVersion !== INCEPTION_GRAPH_VERSION) {
    throw new GenEvalError(`cached inception model has graph version ${m.graphVersion}, this build needs ${INCEPTION_GRAPH_VERSION}; rebuild it`);
  }
  const session = await createSession(m.bytes, inceptionExtractorName(m.weightsSha256, m.dims), options);
  return inceptionExtractor(m, async () => session, options.maxBatch);
}

/** What identifies an inception network before it is loaded. */
export interface InceptionIdentity {
  readonly weightsSha256: string;
  readonly dims: InceptionDims;
  readonly logits: boolean;
}

/**
 * An inception extractor whose onnxruntime session is only created by the first `run`, with
 * `open` (e.g. from a cached model file): a command whose features are all cached never pays for
 * loading the 95 MB network (~0.3–1 s). Errors of `open` surface at that first run.
 */
export function createLazyInceptionExtractor(
  id: InceptionIdentity,
  open: () => Promise<ort.InferenceSession>,
  options: Pick<InceptionExtractorOptions, 'maxBatch'> = {},
): InceptionExtractor {
  checkDims(id.dims);
  let session: Promise<ort.InferenceSession> | undefined;
  let released: Promise<void> | undefined;
  const release = async () => {
    if (session) await (await session.catch(() => undefined))?.release();
  };
  return inceptionExtractor(
    id,
    () => (session ??= open()),
    options.maxBatch,
    () => (released ??= release()),
  );
}

function inceptionExtractor(m: InceptionIdentity, getSession: () => Promise<ort.InferenceSession>, maxBatchOption?: number, release?: () => Promise<void>): InceptionExtractor {
  const name = inceptionExtractorName(m.weightsSha256, m.dims);
  const maxBatch = maxBatchOption ?? DEFAULTS.extractorMaxBatch;
  const input = { height: INCEPTION_INPUT_SIZE, width: INCEPTION_INPUT_SIZE, channels: 3, layout: 'NCHW', range: [-1, 1] } as const;
  const outputs: OutputSpec[] = [{ name: 'features', dim: m.dims }];
  if (m.logits) outputs.push({ name: 'logits', dim: NUM_CLASSES });
  const s = INCEPTION_INPUT_SIZE;
  let dispose: (() => Promise<void>) | undefined;
  return {
    name,
    weightsSha256: m.weightsSha256,
    input,
    outputs: m.logits ? { features: m.dims, logits: NUM_CLASSES } : { features: m.dims },
    async run(batch, n) {
      const per = checkBatch(name, input, batch, n);
      const session = await getSession();
      const { Tensor } = await loadOrt();
      const [features, logits] = await runInChunks(session, (chunk, k) => ({ images: new Tensor('float32', chunk, [k, 3, s, s]) }), batch, n, per, maxBatch, outputs);
      return logits === undefined ? { features: features! } : { features: features!, logits };
    },
    async dispose() {
      dispose ??= release ?? releaseOnce(await getSession());
      await dispose();
    },
  };
}
