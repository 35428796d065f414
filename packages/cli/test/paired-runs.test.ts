/**
 * The paired families end to end (pix2pix on edges2fashion, srgan on mnist pairs ×2): `train`
 * records l1/psnr/ssim and FID at each evaluation (srgan: its bicubic baseline once, in
 * config.json), writes the (input | output | target) grid; `--resume` equals the uninterrupted
 * run bit for bit; `sample --input DIR -o OUT` writes one PNG per input under its relative name
 * (what the paired metrics pair by), reads inputs at the run's input size and refuses others.
 * Tiny networks and few steps: the routing is under test, not the models.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { pairedMetrics, parseNpz } from '@gen-eval/metrics';
import { decodeImageFile } from '@gen-eval/metrics/images';
import { readMetrics, readRunConfig, runPaths } from '@gen-eval/metrics/runs';
import { encodePng } from '@gen-eval/models';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';
import { mnistDigits } from './mnist-digits.js';

const dir = tempDir('gen-eval-paired-runs-');
const digits = mnistDigits('test');
const common = ['--batch-size', '4', '--eval-samples', '12', '--eval-every', '2', '--backend', 'wasm', '--seed', '3'];
const FAMILIES = {
  pix2pix: { data: 'edges2fashion', hp: ['--hp', 'hidden=4'], input: 28 },
  srgan: { data: 'mnist', hp: ['--hp', 'hidden=4', '--hp', 'blocks=1', '--hp', 'dHidden=4'], input: 14 },
} as const;

/** `n` test digits as grey PNGs of side `size` (every 28/size-th pixel) under `name`, some in a sub-folder. */
async function inputFolder(name: string, n: number, size: number): Promise<string> {
  const out = join(dir, name);
  mkdirSync(join(out, 'sub'), { recursive: true });
  const step = 28 / size;
  for (let i = 0; i < n; i++) {
    const px = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) px[y * size + x] = digits.images[i * 784 + y * step * 28 + x * step]!;
    writeFileSync(join(out, i % 2 ? 'sub' : '', `d${i}.png`), await encodePng(px, { height: size, width: size, channels: 1 }));
  }
  return out;
}

const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** What must be equal between a resumed and an uninterrupted run: metrics (not their timings), samples, grids, weights (arrays, not the zip's timestamps). */
function fingerprint(run: string) {
  const samples = runPaths(run).samples;
  const checkpoints = runPaths(run).checkpoints;
  return {
    metrics: readMetrics(run).map((r) => [r.step, r.metric, r.value]),
    samples: readdirSync(samples)
      .sort()
      .map((f) => [f, digest(readFileSync(join(samples, f)))]),
    weights: readdirSync(checkpoints)
      .filter((f) => f.endsWith('.npz'))
      .sort()
      .map((f) => [
        f,
        Object.entries(parseNpz(readFileSync(join(checkpoints, f)), f)).map(([k, a]) => [k, a.shape, digest(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength))]),
      ]),
    baselines: readRunConfig(run).baselines,
  };
}

describe.each(Object.entries(FAMILIES))('%s: train, resume, sample --input', (model, f) => {
  const whole = join(dir, `${model}-whole`);

  it('records l1, psnr, ssim and FID at each evaluation; the triplet grid; srgan its bicubic baseline once', async () => {
    const r = cli('train', '--model', model, '--data', f.data, '--steps', '4', '--out', whole, ...f.hp, ...common);
    expect(r.code, r.stderr).toBe(0);
    const records = readMetrics(whole);
    for (const step of [2, 4]) {
      const keys = records.filter((x) => x.step === step).map((x) => x.metric);
      for (const k of ['l1', 'psnr', 'ssim', 'fid', 'kid_mean', 'is_mean']) expect(keys, `${k} at step ${step}`).toContain(k);
    }
    expect(records.some((x) => x.metric.startsWith('bicubic'))).toBe(false); // the baseline is not a series
    const config = readRunConfig(whole);
    expect(config.conditionGrid?.rows).toHaveLength(3);
    expect(config.conditionGrid?.rows[0]).toBe(f.input === 28 ? 'input (28×28)' : 'input (14×14, shown ×2 by pixel repetition)');
    const grid = await decodeImageFile(runPaths(whole).conditionGrid(4));
    expect([grid.width, grid.height]).toEqual([8 * 30 + 2, 3 * 30 + 2]);
    if (model === 'srgan') {
      const base = config.baselines?.bicubic;
      expect(base?.label).toBe("bicubic ×2 (Pillow's bicubic upsampling of the held-out inputs)");
      expect(Object.keys(base?.metrics ?? {})).toEqual(['l1', 'psnr', 'ssim', 'fid', 'kid_mean', 'kid_std', 'is_mean', 'is_std']);
    } else expect(config.baselines).toBeUndefined();
    // The report shows the three rows (and srgan's baseline).
    const html = join(dir, `${model}-report.html`);
    expect(cli('report', whole, '-o', html).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/Condition grid at step 4: top: input \(.*\), middle: output .*, bottom: target/);
    expect(page.includes('class="stats baseline"')).toBe(model === 'srgan');
  });

  it('--resume equals the uninterrupted run bit for bit', () => {
    const split = join(dir, `${model}-split`);
    expect(cli('train', '--model', model, '--data', f.data, '--steps', '2', '--out', split, ...f.hp, ...common).code).toBe(0);
    const r = cli('train', '--resume', split, '--steps', '4');
    expect(r.code, r.stderr).toBe(0);
    expect(fingerprint(split)).toEqual(fingerprint(whole));
  });

  it('sample --input DIR -o OUT: one PNG per input under its relative name, scored by name; other sizes refused', async () => {
    const input = await inputFolder(`${model}-in`, 3, f.input);
    const out = join(dir, `${model}-out`);
    const r = cli('sample', whole, '--input', input, '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 3, shape: [3, 28, 28, 1], format: 'png' });
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(['d0.png', 'd2.png', 'sub', join('sub', 'd1.png')]);
    // Targets of the same names: the paired metrics pair each output with its own.
    const targets = await inputFolder(`${model}-targets`, 3, 28);
    const scored = await pairedMetrics(targets, out);
    expect(scored.perImage.map((p) => p.name).sort()).toEqual(['d0.png', 'd2.png', 'sub/d1.png']);
    const other = await inputFolder(`${model}-wrong`, 1, f.input === 28 ? 14 : 28);
    const size = f.input === 28 ? '14×14' : '28×28';
    expectInputError(
      cli('sample', whole, '--input', other, '-o', join(dir, `${model}-never`)),
      join(other, 'd0.png'),
      new RegExp(`is ${size}; this run's inputs are ${f.input}×${f.input}`),
    );
    expect(readdirSync(dir).filter((n) => n.includes('never') || n.includes('.tmp-'))).toEqual([]);
    // Without --input: held-out inputs of the run's data, with a note.
    const held = cli('sample', whole, '-n', '5', '-o', join(dir, `${model}-held.npy`));
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr).toContain(`no input given: translated 5 held-out inputs of ${f.data}`);
  });
});
