/**
 * Loading and validating DINOv2 `_pretrain.pth` state dicts: the size is inferred from the width
 * of `cls_token` and the depth from the blocks present, then every tensor's shape is checked.
 */
import { createHash } from 'node:crypto';
import { inputError } from '../../errors.js';
import { readInputFile } from '../../io/read-input-file.js';
import { parseTorchStateDict, type StateDict } from '../torch/pth-reader.js';
import { DINOV2_ARCHS, DINOV2_SIZES, dinov2Keys, type Dinov2Arch, type Dinov2Size } from './architecture.js';

/** A validated DINOv2 weight file. */
export interface Dinov2Weights {
  readonly stateDict: StateDict;
  readonly arch: Dinov2Arch;
  /** Blocks present (the official files have `arch.depth`). */
  readonly depth: number;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  readonly file: string;
}

/**
 * Infers the size and depth and checks every key's shape; `expected`, if given, must match the
 * inferred size. Throws one `file: problem` line naming the first missing key or wrong shape.
 */
export function validateDinov2Weights(sd: StateDict, file: string, expected?: Dinov2Size): { arch: Dinov2Arch; depth: number } {
  const cls = sd.get('cls_token');
  if (cls === undefined) throw inputError(file, 'missing weight "cls_token"; not a DINOv2 state dict?');
  const width = cls.shape[cls.shape.length - 1];
  const size = DINOV2_SIZES.find((s) => DINOV2_ARCHS[s].dim === width);
  if (size === undefined) throw inputError(file, `weight "cls_token" has shape [${cls.shape.join(', ')}]: width ${width} is none of DINOv2's 384/768/1024/1536`);
  if (expected !== undefined && expected !== size)
    throw inputError(file, `holds DINOv2 ${size} weights (width ${width}), expected ${expected} (width ${DINOV2_ARCHS[expected].dim})`);
  const arch = DINOV2_ARCHS[size];
  let depth = 0;
  while (sd.has(`blocks.${depth}.norm1.weight`)) depth++;
  if (depth === 0) throw inputError(file, 'missing weight "blocks.0.norm1.weight"; not a DINOv2 state dict (chunked blocks are not supported)?');
  for (const { key, shape } of dinov2Keys(arch, depth)) {
    const t = sd.get(key);
    if (t === undefined) throw inputError(file, `missing weight "${key}" (DINOv2 ${size})`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw inputError(file, `weight "${key}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] (DINOv2 ${size})`);
    }
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw inputError(file, `weight "${key}" holds a non-finite value at index ${bad}`);
  }
  return { arch, depth };
}

/** Parses and validates weight-file bytes; `file` names them in errors. */
export function parseDinov2Weights(bytes: Uint8Array, file: string, expected?: Dinov2Size): Dinov2Weights {
  const stateDict = parseTorchStateDict(bytes, file);
  const { arch, depth } = validateDinov2Weights(stateDict, file, expected);
  return { stateDict, arch, depth, sha256: createHash('sha256').update(bytes).digest('hex'), file };
}

/** Reads, parses and validates a weight file. */
export function readDinov2Weights(path: string, expected?: Dinov2Size): Dinov2Weights {
  return parseDinov2Weights(readInputFile(path, 'a .pth weights file'), path, expected);
}
