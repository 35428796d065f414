/**
 * `gen-eval l1 REF TEST [--per-image FILE.csv] [--json]` — the paired metric `l1` of each test image
 * against its reference and their mean (see ../paired-command.ts).
 */
import { runPaired, type PairedCommandOptions } from '../paired-command.js';

export function run(refPath: string, testPath: string, opts: PairedCommandOptions): Promise<void> {
  return runPaired('l1', refPath, testPath, opts);
}
