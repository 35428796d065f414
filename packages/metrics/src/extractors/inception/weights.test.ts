import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../../testing/expect.js';
import type { StateDict } from '../torch/pth-reader.js';
import { encodeLegacyPth } from '../torch/pth-writer.js';
import { INCEPTION_CONVS, INCEPTION_WEIGHTS } from './architecture.js';
import { buildInceptionModel } from './inception-extractor.js';
import { readInceptionWeights, validateInceptionWeights } from './weights.js';

const GOLDEN = new URL('../../../../../fixtures/golden/inception/', import.meta.url).pathname;

/** A state dict with every needed key and shape (values: zeros, variances 1). */
function complete(): StateDict {
  const sd: StateDict = new Map();
  for (const w of INCEPTION_WEIGHTS) {
    const data = new Float32Array(w.shape.reduce((a, b) => a * b, 1));
    if (w.key.endsWith('running_var')) data.fill(1);
    sd.set(w.key, { shape: w.shape, dtype: 'float32', data });
  }
  return sd;
}

describe('FID Inception weight validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-eval-weights-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs 94 convolutions and 23 884 384 values (the state dict less fc.bias and the 94 batch counters)', () => {
    expect(INCEPTION_CONVS).toHaveLength(94);
    expect(INCEPTION_WEIGHTS.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0)).toBe(23_884_384);
    expect(() => validateInceptionWeights(complete(), 'w.pth')).not.toThrow();
  });

  it('names the first missing key (in network order) and how many more are missing', async () => {
    const sd = complete();
    sd.delete('Mixed_7b.branch3x3_2a.bn.running_var');
    sd.delete('Mixed_6b.branch7x7_2.conv.weight');
    expectGenEvalError(() => validateInceptionWeights(sd, 'w.pth'), {
      code: 'bad_input',
      message: /^w\.pth: missing weight "Mixed_6b\.branch7x7_2\.conv\.weight" \(and 1 more\); not a pytorch-fid Inception state dict\?$/,
    });
  });

  it('names the first wrong shape with both shapes', async () => {
    const sd = complete();
    sd.set('Mixed_7c.branch_pool.conv.weight', { shape: [192, 1280, 1, 1], dtype: 'float32', data: new Float32Array(192 * 1280) });
    expectGenEvalError(() => validateInceptionWeights(sd, 'w.pth'), {
      code: 'bad_input',
      message: /^w\.pth: weight "Mixed_7c\.branch_pool\.conv\.weight" has shape \[192, 1280, 1, 1\], expected \[192, 2048, 1, 1\]$/,
    });
  });

  it('rejects non-finite weights and negative variances', async () => {
    const sd = complete();
    sd.get('Conv2d_2a_3x3.conv.weight')!.data[5] = Number.NaN;
    expectGenEvalError(() => validateInceptionWeights(sd, 'w.pth'), { code: 'bad_input', message: /weight "Conv2d_2a_3x3\.conv\.weight" holds a non-finite value at index 5/ });
    const sd2 = complete();
    sd2.get('Mixed_5b.branch1x1.bn.running_var')!.data[3] = -1;
    expectGenEvalError(() => validateInceptionWeights(sd2, 'w.pth'), {
      code: 'bad_input',
      message: /weight "Mixed_5b\.branch1x1\.bn\.running_var" holds a negative variance at index 3/,
    });
  });

  it('reports file problems with the file name: other state dicts, unknown formats, forbidden pickles', async () => {
    const other = join(GOLDEN, 'small-legacy.pth');
    expectGenEvalError(() => readInceptionWeights(other), { code: 'bad_input', message: /small-legacy\.pth: missing weight "Conv2d_1a_3x3\.conv\.weight" \(and 470 more\)/ });
    expectGenEvalError(() => buildInceptionModel(other), { code: 'bad_input', message: /small-legacy\.pth: missing weight/ });
    const garbage = join(dir, 'weights.bin');
    writeFileSync(garbage, 'definitely not torch');
    expectGenEvalError(() => readInceptionWeights(garbage), { code: 'bad_input', message: /weights\.bin: not a PyTorch weight file/ });
    expectGenEvalError(() => readInceptionWeights(join(GOLDEN, 'forbidden-zip.pth')), { code: 'bad_input', message: /forbidden-zip\.pth: refusing to load/ });
    expectGenEvalError(() => readInceptionWeights(join(dir, 'absent.pth')), { code: 'bad_input', message: /absent\.pth: no such file/ });
    const shapes = join(dir, 'wrong-shape.pth');
    const sd = complete();
    sd.set('fc.weight', { shape: [1000, 2048], dtype: 'float32', data: new Float32Array(1000 * 2048) });
    writeFileSync(shapes, encodeLegacyPth(sd));
    expectGenEvalError(() => readInceptionWeights(shapes), {
      code: 'bad_input',
      message: /wrong-shape\.pth: weight "fc\.weight" has shape \[1000, 2048\], expected \[1008, 2048\]/,
    });
  });
});
