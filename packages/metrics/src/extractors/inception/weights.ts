/**
 * Loading and validating the FID Inception weights (pytorch-fid's
 * pt_inception-2015-12-05-6726825d.pth, or torch-fidelity's copy of the same tensors).
 */
import { createHash } from 'node:crypto';
import { inputError } from '../../errors.js';
import { parseTorchStateDict, type StateDict } from '../torch/pth-reader.js';
import { INCEPTION_WEIGHTS } from './architecture.js';
import { readInputFile } from '../../io/read-input-file.js';

/** A parsed weight file and the SHA-256 of its bytes (hex; torch hub names files by its first 8 digits). */
export interface InceptionWeights {
  readonly stateDict: StateDict;
  readonly sha256: string;
  /** Where the weights came from, for error messages. */
  readonly file: string;
}

/**
 * Checks that every key the network reads is present with the right shape and finite values.
 * Throws one `file: problem` error naming the first missing key or the first wrong shape.
 */
export function validateInceptionWeights(sd: StateDict, file: string): void {
  const missing = INCEPTION_WEIGHTS.filter((w) => !sd.has(w.key));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    throw inputError(file, `missing weight "${missing[0]!.key}"${more}; not a pytorch-fid Inception state dict?`);
  }
  for (const w of INCEPTION_WEIGHTS) {
    const t = sd.get(w.key)!;
    if (t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i])) {
      throw inputError(file, `weight "${w.key}" has shape [${t.shape.join(', ')}], expected [${w.shape.join(', ')}]`);
    }
  }
  for (const w of INCEPTION_WEIGHTS) {
    const data = sd.get(w.key)!.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw inputError(file, `weight "${w.key}" holds a non-finite value at index ${i}`);
    }
  }
  for (const w of INCEPTION_WEIGHTS) {
    if (!w.key.endsWith('.bn.running_var')) continue;
    const i = sd.get(w.key)!.data.findIndex((v) => v < 0);
    if (i >= 0) throw inputError(file, `weight "${w.key}" holds a negative variance at index ${i}`);
  }
}

/** Parses and validates weight-file bytes; `file` names them in errors. */
export function parseInceptionWeights(bytes: Uint8Array, file: string): InceptionWeights {
  const stateDict = parseTorchStateDict(bytes, file);
  validateInceptionWeights(stateDict, file);
  return { stateDict, sha256: createHash('sha256').update(bytes).digest('hex'), file };
}

/** Reads, parses and validates a weight file. */
export function readInceptionWeights(path: string): InceptionWeights {
  const bytes = readInputFile(path, 'a .pth weights file');
  return parseInceptionWeights(bytes, path);
}
