/**
 * `gen-eval train --model srgan` end to end: MNIST made into 14 → 28 pairs, the paired metrics and
 * the bicubic baseline recorded, resume bit for bit, `sample --input` upscaling an image array, and
 * the one-line refusals (2-D data, bad hyper-parameters).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, readNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-srgan-');
const tiny = [
  '--model',
  'srgan',
  '--data',
  'mnist',
  '--hp',
  'batchSize=4',
  '--hp',
  'hidden=4',
  '--hp',
  'blocks=1',
  '--hp',
  'dHidden=2',
  '--eval-samples',
  '16',
  '--backend',
  'wasm',
];
/** metrics.jsonl without its wall-clock times. */
const records = (run: string) => readFileSync(join(run, 'metrics.jsonl'), 'utf8').replace(/"elapsed":[\d.e+-]+,/g, '');

describe('gen-eval train --model srgan', () => {
  it('trains on mnist pairs and records losses, l1/psnr/ssim/FID and the bicubic baseline', () => {
    const out = join(dir, 'run');
    const r = cli('train', ...tiny, '--steps', '3', '--eval-every', '3', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { steps: number; metrics: Record<string, number> };
    expect(summary.steps).toBe(3);
    for (const k of ['g_loss', 'd_loss', 'content_loss', 'l1', 'psnr', 'ssim', 'fid']) expect(Number.isFinite(summary.metrics[k]), k).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { baselines?: Record<string, unknown> };
    expect(Object.keys(config.baselines ?? {})).toContain('bicubic');
  });

  it('a resumed run equals the uninterrupted one (same evaluation steps)', () => {
    const full = join(dir, 'full');
    const part = join(dir, 'part');
    expect(cli('train', ...tiny, '--steps', '4', '--eval-every', '2', '--out', full).code).toBe(0);
    expect(cli('train', ...tiny, '--steps', '2', '--eval-every', '2', '--out', part).code).toBe(0);
    const r = cli('train', '--resume', part, '--steps', '4');
    expect(r.code, r.stderr).toBe(0);
    expect(records(part)).toBe(records(full));
  });

  it('sample --input upscales an N×14×14 image array to N×28×28', () => {
    const input = join(dir, 'low.npy');
    writeFileSync(
      input,
      encodeNpy(
        Uint8Array.from({ length: 2 * 196 }, (_, i) => (i * 7) % 256),
        [2, 14, 14],
      ),
    );
    const o = join(dir, 'high.npy');
    const r = cli('sample', join(dir, 'run'), '--input', input, '-o', o);
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(o).shape).toEqual([2, 28, 28, 1]);
  });

  it('refuses 2-D data and bad hyper-parameters in one line, exit 2, writing nothing', () => {
    const r = cli('train', '--model', 'srgan', '--data', 'ring', '--steps', '1', '--out', join(dir, 'points'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const bad = cli('train', ...tiny, '--hp', 'content=vgg', '--steps', '1', '--out', join(dir, 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/content must be one of features, mse, got "vgg"/);
  });
});
