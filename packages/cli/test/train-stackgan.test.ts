/**
 * `gen-eval train --model stackgan` end to end on captioned-mnist: stage I then stage II in one
 * run, the text evaluations recorded, resume bit for bit from a checkpoint taken at the switch
 * between the stages (stage II's optimisers not yet stepped), `sample --caption` drawing 28×28
 * images, and the one-line refusals (data without captions, bad hyper-parameters).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '@gen-eval/metrics';
import { readRunConfig } from '@gen-eval/metrics/runs';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './cli-in-process.js';
import { tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-stackgan-');
const tiny = ['--model', 'stackgan', '--data', 'captioned-mnist', '--batch-size', '4', '--eval-samples', '8', '--backend', 'wasm'];
for (const hp of ['hidden=4', 'latentDim=8', 'condDim=4', 'resBlocks=1', 'stage1Steps=2']) tiny.push('--hp', hp);
/** metrics.jsonl without its wall-clock times. */
const records = (run: string) => readFileSync(join(run, 'metrics.jsonl'), 'utf8').replace(/"elapsed":[\d.e+-]+,/g, '');

describe('gen-eval train --model stackgan', { timeout: 180_000 }, () => {
  it('trains both stages and resumes from the switch between them bit for bit', async () => {
    const full = join(dir, 'full');
    const part = join(dir, 'part');
    const r = await cliInProcess('train', ...tiny, '--steps', '4', '--eval-every', '2', '--out', full, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { steps: number; metrics: Record<string, number> };
    for (const k of ['d_loss', 'g_loss', 'kl_loss', 'fid', 'class_accuracy']) expect(Number.isFinite(summary.metrics[k]), k).toBe(true);
    expect(readRunConfig(full).textEncoder).toBe('text-cond-mnist');
    expect((await cliInProcess('train', ...tiny, '--steps', '2', '--eval-every', '2', '--out', part)).code).toBe(0);
    const resumed = await cliInProcess('train', '--resume', part, '--steps', '4');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(records(part)).toBe(records(full));
  });

  it('sample --caption draws 28×28 images (stage II)', async () => {
    const o = join(dir, 'sevens.npy');
    const r = await cliInProcess('sample', join(dir, 'full'), '--caption', 'a thick seven', '-n', '3', '-o', o);
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(o).shape).toEqual([3, 28, 28, 1]);
  });

  it('refuses data without captions and bad hyper-parameters in one line, exit 2', async () => {
    const plain = await cliInProcess('train', '--model', 'stackgan', '--data', 'mnist', '--steps', '1', '--out', join(dir, 'plain'));
    expect(plain.code).toBe(2);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    const bad = await cliInProcess('train', ...tiny, '--hp', 'klWeight=-1', '--steps', '1', '--out', join(dir, 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/klWeight must be a number in \[0, 100\], got "-1"/);
  });
});
