#!/usr/bin/env node
/**
 * FID, KID and PRDC between two image folders in one call of the public API.
 *
 *   node examples/evaluate-folders.mjs [REAL_DIR FAKE_DIR] [--extractor inception|mnist|…]
 *
 * Without folders it writes two small folders of digits (examples/mnist-digits.mjs) to a temp
 * folder and uses the embedded `mnist` extractor, so it runs offline; with your own folders the
 * default extractor is pytorch-fid's Inception (weights downloaded once, or set `weights`).
 * Prints `{ result, details, inputs }` as JSON; warnings go to stderr through `onWarning`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@gen-eval/metrics';
import { digitSets, writeFolder } from './mnist-digits.mjs';

const args = process.argv.slice(2);
const flag = args.indexOf('--extractor');
const extractorArg = flag >= 0 ? args.splice(flag, 2)[1] : undefined;
let [real, fake] = args;
let temp;
if (real === undefined || fake === undefined) {
  temp = mkdtempSync(join(tmpdir(), 'gen-eval-example-'));
  const sets = digitSets();
  real = writeFolder(join(temp, 'real'), sets.real);
  fake = writeFolder(join(temp, 'fake'), sets.fake);
}

try {
  const { result, details, inputs } = await evaluate({
    real,
    fake,
    metrics: ['fid', 'kid', 'prdc'],
    kid: { subsetSize: 100 }, // the default 1000 would shrink to these 200-image sets
    extractor: extractorArg ?? (temp ? 'mnist' : 'inception'),
    onWarning: (message) => console.error(`warning: ${message}`),
  });
  console.log(JSON.stringify({ result, details, inputs }, null, 2));
} finally {
  if (temp) rmSync(temp, { recursive: true, force: true });
}
