import { readFileSync } from 'node:fs';
import { inputError } from '../errors.js';

/** Reads a whole input file, turning file-system failures into one-line `file: problem` errors. */
export function readInputFile(path: string, expected = 'a file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw inputError(path, 'no such file');
    if (code === 'EISDIR') throw inputError(path, `is a directory, expected ${expected}`);
    throw inputError(path, `cannot read (${code ?? String(err)})`);
  }
}
