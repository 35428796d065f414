/**
 * Reads a local MobileNet model folder in TensorFlow.js graph-model format (what
 * `@tensorflow-models/mobilenet` loads from TF Hub: `model.json` + the weight shards its
 * `weightsManifest` names) without TensorFlow.js: every problem with the folder is a one-line
 * input error before the (slow) tfjs runtime is loaded, and the bytes are hashed for the cache key.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { GenEvalError, inputError } from '../../errors.js';

/**
 * The embedding nodes `@tensorflow-models/mobilenet` 2.x reads for `infer(img, true)`, by the
 * version it is loaded with (its EMBEDDING_NODES): the global pool before the logits.
 */
export const MOBILENET_EMBEDDING_NODES = {
  1: 'module_apply_default/MobilenetV1/Logits/global_pool',
  2: 'module_apply_default/MobilenetV2/Logits/AvgPool',
} as const;

export type MobilenetVersion = keyof typeof MOBILENET_EMBEDDING_NODES;

/** What a folder must hold, and where to get one; ends every "wrong folder" error. */
export const MOBILENET_FOLDER_HINT =
  'expected a TensorFlow.js graph model folder (model.json + the group*-shard*of* weight files it lists), ' +
  "e.g. TF Hub's imagenet/mobilenet_v2_100_224/classification in tfjs format, downloaded and unpacked by you";

/** One entry of model.json's weightsManifest[].weights (tfjs's WeightsManifestEntry). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string };
}

export interface MobilenetFolder {
  readonly dir: string;
  /** The parsed model.json. */
  readonly modelJson: Record<string, unknown>;
  /** All weight specs in manifest order, and their bytes concatenated in the same order. */
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
  /** Which MobileNet the graph is (by its embedding node). */
  readonly version: MobilenetVersion;
  /** SHA-256 over model.json and every weight file, in manifest order. */
  readonly sha256: string;
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readOrFail(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw inputError(path, `no such file: the ${what} is missing; ${MOBILENET_FOLDER_HINT}`);
    throw inputError(path, `cannot read the ${what} (${code ?? String(err)})`);
  }
}

/** Bytes one weight takes in the shard (quantised weights are stored in their quantised dtype). */
function specBytes(spec: WeightSpec, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES[dtype];
  if (per === undefined) throw inputError(file, `weight "${spec.name}" has dtype ${dtype}, which a MobileNet graph does not use`);
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

function checkSpec(w: unknown, file: string): WeightSpec {
  if (!isObject(w) || typeof w.name !== 'string' || typeof w.dtype !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw inputError(file, 'a weightsManifest entry lacks its name, dtype or shape');
  }
  return w as unknown as WeightSpec;
}

/** Which embedding node the graph has, from its node names (no tfjs needed). */
function detectVersion(topology: Record<string, unknown>, file: string): MobilenetVersion {
  const nodes = Array.isArray(topology.node) ? topology.node : [];
  const names = new Set(nodes.map((n) => (isObject(n) ? n.name : undefined)));
  for (const v of [2, 1] as const) if (names.has(MOBILENET_EMBEDDING_NODES[v])) return v;
  throw inputError(
    file,
    `the graph has no MobileNet embedding node (${MOBILENET_EMBEDDING_NODES[2]} or ${MOBILENET_EMBEDDING_NODES[1]}); ` +
      'it is not a MobileNet v1/v2 graph as @tensorflow-models/mobilenet loads',
  );
}

/**
 * Reads and checks a MobileNet model folder: model.json present and valid, a graph model with an
 * embedding node, every weight file present and of the size its specs say.
 */
export function readMobilenetFolder(dir: string | undefined): MobilenetFolder {
  if (dir === undefined)
    throw new GenEvalError(`the mobilenet extractor needs its model folder (\`weights\`); nothing is downloaded; ${MOBILENET_FOLDER_HINT}`, { options: ['weights'] });
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw inputError(dir, `no such folder; ${MOBILENET_FOLDER_HINT}`);
  }
  if (!isDir) throw inputError(dir, `is a file, not a model folder; ${MOBILENET_FOLDER_HINT}`);
  const file = join(dir, 'model.json');
  const jsonBytes = readOrFail(file, 'model.json');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(jsonBytes.toString('utf8'));
  } catch (err) {
    throw inputError(file, `not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(modelJson)) throw inputError(file, 'not a TensorFlow.js model.json (not a JSON object)');
  if (modelJson.format === 'layers-model' || (isObject(modelJson.modelTopology) && 'class_name' in modelJson.modelTopology)) {
    throw inputError(file, 'is a Keras layers model; @tensorflow-models/mobilenet loads TensorFlow.js graph models (format "graph-model")');
  }
  if (!isObject(modelJson.modelTopology) || !Array.isArray(modelJson.modelTopology.node)) {
    throw inputError(file, 'has no graph (modelTopology.node); not a TensorFlow.js graph model');
  }
  const version = detectVersion(modelJson.modelTopology, file);
  if (!Array.isArray(modelJson.weightsManifest)) throw inputError(file, 'has no weightsManifest');
  const hash = createHash('sha256').update(jsonBytes);
  const specs: WeightSpec[] = [];
  const chunks: Buffer[] = [];
  const root = resolve(dir);
  for (const group of modelJson.weightsManifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw inputError(file, 'a weightsManifest group lacks its paths or weights');
    const groupSpecs = group.weights.map((w) => checkSpec(w, file));
    const shards: Buffer[] = [];
    for (const p of group.paths) {
      const full = typeof p === 'string' ? resolve(root, p) : '';
      const rel = relative(root, full);
      // Shard paths are relative names inside the folder; anything else is not a local model.
      if (typeof p !== 'string' || p === '' || isAbsolute(p) || rel.startsWith('..') || isAbsolute(rel)) {
        throw inputError(file, `weight path ${JSON.stringify(p)} is not a file inside the model folder`);
      }
      const bytes = readOrFail(full, 'weight file model.json lists');
      hash.update(bytes);
      shards.push(bytes);
    }
    const got = shards.reduce((a, b) => a + b.length, 0);
    const want = groupSpecs.reduce((a, s) => a + specBytes(s, file), 0);
    if (got !== want) {
      throw inputError(
        join(dir, String(group.paths[0])),
        `the weight files of this group hold ${got} bytes but model.json's specs need ${want} (truncated or from another model?)`,
      );
    }
    specs.push(...groupSpecs);
    chunks.push(...shards);
  }
  const all = Buffer.concat(chunks);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
  return { dir, modelJson, weightSpecs: specs, weightData, version, sha256: hash.digest('hex') };
}
