/**
 * The `clip` / `clip:<model>` extractor: OpenAI's CLIP image tower (default ViT-L/14@336px, the
 * CMMD paper's) built from OpenAI's published weights into an ONNX graph, output the L2-normalised
 * image embedding. Weights: a local file (`weights`: OpenAI's `.pt` or a Hugging Face
 * `model.safetensors`), else the cache, else (with `download`) the URL of openai/CLIP's `clip.py`
 * `_MODELS`, whose path carries the file's SHA-256 (checked). The built network is kept under
 * `<modelCache>/models` by the weights' SHA-256 and the graph version.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inputError, usageError } from '../../errors.js';
import { encodeModel } from '../../onnx/proto.js';
import { cacheDir } from '../../pipeline/cache-dir.js';
import { downloadFile } from '../../pipeline/download.js';
import { sha256File } from '../../pipeline/weights.js';
import type { FeatureExtractor } from '../extractor.js';
import { createOnnxExtractor } from '../onnx-extractor.js';
import type { OnnxSessionOptions } from '../session.js';
import type { ProgressListener } from '../../pipeline/progress.js';
import { buildClipImageModel, CLIP_IMAGE_GRAPH_VERSION } from './image-graph.js';
import { readClipWeights } from './weights.js';

/** The ViT checkpoints of openai/CLIP's `_MODELS` (the URL path's hex is the file's SHA-256). */
export const CLIP_MODELS: Readonly<Record<string, string>> = {
  'ViT-B/32': 'https://openaipublic.azureedge.net/clip/models/40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt',
  'ViT-B/16': 'https://openaipublic.azureedge.net/clip/models/5806e77cd80f8b59890b7e101eabd078d9fb84e6937f9e85e4ecb61988df416f/ViT-B-16.pt',
  'ViT-L/14': 'https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt',
  'ViT-L/14@336px': 'https://openaipublic.azureedge.net/clip/models/3035c92b350959924f9f00213499208652fc7ea050643e8b385c2dac08641f02/ViT-L-14-336px.pt',
};
/** The model `clip` stands for: the one CMMD (Jayasumana et al. 2024) uses. */
export const CLIP_DEFAULT_MODEL = 'ViT-L/14@336px';

/** The published SHA-256 carried by a `_MODELS` URL. */
export function clipUrlSha256(url: string): string {
  return url.split('/').at(-2)!;
}

/** What the clip extractor reads of the registry's extractor options. */
export interface ClipExtractorOptions extends OnnxSessionOptions {
  /** A local `.pt` or `.safetensors` checkpoint (never downloaded). */
  readonly weights?: string;
  /** The cache root whose `weights` and `models` folders keep the checkpoint and the built network. */
  readonly modelCache?: string | null;
  /** Download OpenAI's checkpoint into the cache when it is missing. */
  readonly download?: boolean;
  readonly quiet?: boolean;
  readonly onProgress?: ProgressListener;
  readonly maxBatch?: number;
}

/** The local weights file for `model`: `weights` as given, the cache, or a verified download. */
export async function resolveClipWeights(model: string, o: ClipExtractorOptions): Promise<{ path: string; sha256: string }> {
  if (o.weights !== undefined) {
    if (!existsSync(o.weights) || !statSync(o.weights).isFile()) throw inputError(o.weights, 'no such CLIP weights file');
    return { path: o.weights, sha256: await sha256File(o.weights) };
  }
  const url = CLIP_MODELS[model]!;
  const want = clipUrlSha256(url);
  const dest = join(o.modelCache ?? cacheDir(), 'weights', `clip-${want.slice(0, 8)}-${basename(url)}`);
  if (existsSync(dest) && (await sha256File(dest)) === want) return { path: dest, sha256: want };
  if (o.download !== true) {
    throw usageError(`clip:${model} needs OpenAI's weights: ${url} (into ${dest}), or a local file with --weights PATH`, { options: ['weights', 'download'] });
  }
  try {
    const sha256 = await downloadFile(url, dest, {
      sha256Prefix: want,
      ...(o.quiet !== undefined ? { quiet: o.quiet } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return { path: dest, sha256 };
  } catch (err) {
    throw usageError(
      `the CLIP ${model} weights are not cached and could not be downloaded (${(err as Error).message}). Download ${url} and put it at ${dest}, or pass --weights PATH`,
      { options: ['weights'] },
    );
  }
}

/** `clip@<first 8 hex of the weights' SHA-256>:<model>`, e.g. `clip@3035c92b:ViT-L/14@336px`. */
export function clipExtractorName(weightsSha256: string, model: string): string {
  return `clip@${weightsSha256.slice(0, 8)}:${model}`;
}

/** `clip` / `clip:<model>`: the image tower of an OpenAI ViT CLIP; features = normalised embeddings. */
export async function createClipExtractor(o: ClipExtractorOptions, argument: string): Promise<FeatureExtractor> {
  const model = argument === '' ? CLIP_DEFAULT_MODEL : argument;
  if (/^RN\d/.test(model)) throw usageError(`clip:${model}: ResNet CLIPs are not supported; use a ViT model (${Object.keys(CLIP_MODELS).join(', ')})`);
  if (CLIP_MODELS[model] === undefined) throw usageError(`clip:${model}: unknown CLIP model (expected ${Object.keys(CLIP_MODELS).join(', ')})`);
  const weights = await resolveClipWeights(model, o);
  const dir = o.modelCache ? join(o.modelCache, 'models') : mkdtempSync(join(tmpdir(), 'gen-eval-clip-'));
  const file = join(dir, `clip-${weights.sha256.slice(0, 16)}-v${CLIP_IMAGE_GRAPH_VERSION}.onnx`);
  try {
    const clip = readClipWeights(weights.path);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.part`;
      writeFileSync(tmp, encodeModel(buildClipImageModel(clip)));
      renameSync(tmp, file);
    }
    const { threads, executionProvider, maxBatch } = o;
    const onnx = await createOnnxExtractor(file, {
      normalize: 'unit', // CLIP's mean/std is applied inside the graph
      inputSize: clip.config.imageResolution,
      layout: 'NCHW',
      ...(threads !== undefined ? { threads } : {}),
      ...(executionProvider ? { executionProvider } : {}),
      ...(maxBatch !== undefined ? { maxBatch } : {}),
    });
    // openai/CLIP's own preprocessing (bicubic short side, centre crop) for the default and clean profiles.
    const input = { ...onnx.input, profiles: { default: 'clip', clean: 'clip' } as const };
    // Named like the other built-ins (network@weights:variant), so results and the report name CLIP space.
    const name = clipExtractorName(weights.sha256, model);
    return { name, input, outputs: onnx.outputs, run: (batch, n) => onnx.run(batch, n), dispose: () => onnx.dispose() };
  } finally {
    if (!o.modelCache) rmSync(dir, { recursive: true, force: true });
  }
}
