/**
 * The options every input-reading command shares for image folders (pytorch-fid's --dims,
 * --batch-size, --device, plus extractor, weights, profile, workers, cache), declared once.
 */
import { type Command, Option } from 'commander';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { GenEvalError, terminalLine } from '@gen-eval/metrics/errors';
import { listExtractors, progressRenderer, type InputOptions } from '@gen-eval/metrics/extract';
import { parseIntOption } from './output.js';

/** Bounds of the image options: memory per batch grows with batch × size² (Inception: ~1 MB of input per image). */
const MAX_BATCH = 1024;
const MAX_THREADS = 256;
const MAX_INPUT_SIZE = 4096;

/** Adds the image-folder options to a command. */
export function addImageOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--extractor <spec>',
        `feature extractor: ${listExtractors()
          .map((e) => e.spec)
          .join(', ')} (onnx:PATH: your own ONNX model; mobilenet: a local folder, --weights DIR)`,
      ).default(DEFAULTS.extractor),
    )
    .addOption(
      new Option(
        '--weights <path>',
        "local weights of the extractor, never downloaded: Inception (pytorch-fid's pt_inception-2015-12-05-6726825d.pth), DINOv2 (dinov2_vit*14_pretrain.pth), CLIP (OpenAI's .pt or Hugging Face model.safetensors), or for mobilenet the TF.js graph-model folder (model.json + weight shards)",
      ),
    )
    .addOption(new Option('--dims <n>', 'Inception feature block, as pytorch-fid').choices(['64', '192', '768', '2048']).default(String(DEFAULTS.inceptionDims)))
    .addOption(
      new Option(
        '--profile <name>',
        'preprocessing: pytorch-fid (bilinear, as pytorch-fid) or clean (clean-fid, Pillow bicubic); extractors with a reference preprocessing (dinov2, clip) take its default or clean variant',
      )
        .choices(['pytorch-fid', 'clean'])
        .default(DEFAULTS.imageProfile),
    )
    .addOption(new Option('--batch-size <n>', `images per batch (1–${MAX_BATCH})`).argParser(parseIntOption('--batch-size', 1, MAX_BATCH)).default(DEFAULTS.batchSize))
    .addOption(
      new Option('--workers <n>', `decode/resize worker threads (0 = main thread; at most ${MAX_THREADS})`)
        .argParser(parseIntOption('--workers', 0, MAX_THREADS))
        .default(DEFAULTS.decodeWorkers),
    )
    .addOption(
      new Option('--threads <n>', `onnxruntime intra-op threads (1–${MAX_THREADS})`).argParser(parseIntOption('--threads', 1, MAX_THREADS)).default(DEFAULTS.extractorThreads),
    )
    .addOption(new Option('--device <device>', 'onnxruntime execution provider').choices(['cpu', 'cuda']).default('cpu'))
    .addOption(new Option('--skip-bad', 'skip images that cannot be decoded (they are counted and reported)'))
    .addOption(new Option('--no-cache', 'neither read nor write the feature cache ($GEN_EVAL_CACHE or the user cache folder)'))
    .addOption(new Option('--normalize <kind>', 'onnx:PATH extractors: input normalisation').choices(['unit', 'symmetric', 'imagenet', 'clip']))
    .addOption(new Option('--input-size <n>', 'onnx:PATH extractors: input height = width').argParser(parseIntOption('--input-size', 1, MAX_INPUT_SIZE)))
    .addOption(new Option('--layout <layout>', 'onnx:PATH extractors: input layout, channels first or last (when the model does not tell)').choices(['nchw', 'nhwc']))
    .addOption(new Option('--quiet', 'no progress output'));
}

/** Commander's parsed options → the metrics package's InputOptions. */
export function toInputOptions(o: Record<string, unknown>): InputOptions {
  const opts: InputOptions = {
    extractor: o.extractor as string,
    dims: Number(o.dims),
    profile: o.profile as InputOptions['profile'] & string,
    batchSize: o.batchSize as number,
    workers: o.workers as number,
    threads: o.threads as number,
    device: o.device as 'cpu' | 'cuda',
    skipBad: o.skipBad === true,
    cache: o.cache !== false,
    quiet: o.quiet === true,
    // The library never writes to stderr: the CLI draws its progress and prints its notes.
    onProgress: progressRenderer(process.stderr),
    onWarning: (message) => process.stderr.write(`${terminalLine(message)}\n`),
  };
  if (typeof o.weights === 'string') opts.weights = o.weights;
  if (typeof o.normalize === 'string') opts.normalize = o.normalize as InputOptions['normalize'] & string;
  if (typeof o.inputSize === 'number') opts.inputSize = o.inputSize;
  if (typeof o.layout === 'string') opts.layout = o.layout.toUpperCase() as 'NCHW' | 'NHWC';
  // Silently ignoring them would give inception features while the user believes otherwise.
  const onnxOnly = (['normalize', 'inputSize', 'layout'] as const).filter((k) => o[k] !== undefined);
  if (onnxOnly.length > 0 && !String(o.extractor ?? DEFAULTS.extractor).startsWith('onnx:')) {
    const flags = onnxOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new GenEvalError(
      `${flags.join(', ')} appl${flags.length === 1 ? 'ies' : 'y'} to onnx:PATH extractors only (the inception extractor takes 299×299 images scaled to [-1, 1])`,
      { code: 'usage' },
    );
  }
  return opts;
}
