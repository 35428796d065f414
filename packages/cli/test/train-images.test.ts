/**
 * End-to-end tests of `gen-eval train` / `sample` / `report` on image data: a tiny conv run on
 * MNIST is evaluated with FID/KID/IS, its samples are written as PNG files that `gen-eval fid
 * --extractor mnist` reads, the report embeds its grid, and bad image options fail with one line.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFile } from '@gen-eval/metrics/images';
import { readNpy } from '@gen-eval/metrics';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-train-images-');
const tiny = ['--hp', 'hidden=8', '--batch-size', '4', '--eval-samples', '20', '--backend', 'wasm'];
const run = join(dir, 'mnist-run');

describe('gen-eval train on images', () => {
  it("--list shows the image data sets and each family's image defaults", () => {
    const text = cli('train', '--list').stdout;
    expect(text).toMatch(/ns-gan .*\n.*data ring-easy\n(.*\n)*? +latentDim=64 \(images: 100\) /);
    expect(text).toMatch(/stacked-mnist +three MNIST digits/);
    expect(text).toMatch(/--image-size 28\|32\|64/);
    const list = JSON.parse(cli('train', '--list', '--json').stdout) as { models: { name: string; defaults: { images: Record<string, unknown> } }[] };
    expect(list.models.find((m) => m.name === 'ns-gan')!.defaults.images).toHaveProperty('latentDim', 100);
  });

  it('trains on mnist, evaluates FID/KID/IS every --eval-every steps and writes a grid PNG', () => {
    const r = cli('train', '--model', 'ns-gan', '--data', 'mnist', '--steps', '3', '--eval-every', '2', '--out', run, ...tiny);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('training ns-gan on mnist (wasm backend, seed 0)');
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toMatch(/^step 2 \([\d.]+ s\): d_loss .*, fid [\d.e+]+, kid_mean .*, is_mean /);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ data: { name: 'mnist', imageSize: 28 }, evalSamples: 20, evalReal: 40, hp: { hidden: 8, batchSize: 4, latentDim: 100 } });
    expect(readdirSync(join(run, 'samples'))).toEqual(['step-0000002.npy', 'step-0000002.png', 'step-0000003.npy', 'step-0000003.png']);
  });

  it('sample -o DIR writes PNGs that gen-eval fid --extractor mnist reads; -o x.npy writes N×H×W×C uint8', async () => {
    const a = join(dir, 'pngs-a');
    const b = join(dir, 'nested', 'pngs-b');
    const r = cli('sample', run, '-n', '12', '-o', a, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 12, shape: [12, 28, 28, 1], format: 'png', step: 3 });
    expect(readdirSync(a)).toEqual(Array.from({ length: 12 }, (_, i) => `${String(i).padStart(6, '0')}.png`));
    const img = await decodeImageFile(join(a, '000000.png'));
    expect([img.width, img.height]).toEqual([28, 28]);
    expect(cli('sample', run, '-n', '12', '--seed', '1', '-o', b).code).toBe(0);
    const f = cli('fid', a, b, '--extractor', 'mnist', '--no-cache', '--json');
    expect(f.code, f.stderr).toBe(0);
    expect((JSON.parse(f.stdout) as { fid: number }).fid).toBeGreaterThan(0);

    const npy = join(dir, 'x.npy');
    expect(cli('sample', run, '-n', '5', '-o', npy).code).toBe(0);
    const arr = readNpy(npy);
    expect(arr.shape).toEqual([5, 28, 28, 1]);
    expect(arr.dtype).toBe('|u1'); // the PNGs' bytes (sample-images.test.ts)
  });

  it('sample refuses a non-empty folder, a file-like name, and PNGs of a 2-D run', () => {
    const a = join(dir, 'pngs-a');
    expectInputError(cli('sample', run, '-o', a), a, /is not empty/);
    const png = join(dir, 'one.png');
    const r = cli('sample', run, '-o', png);
    expect([r.code, r.stderr]).toEqual([2, `gen-eval: -o must name a .npy file or a folder for PNG files, got "${png}"\n`]);
    expect(existsSync(png)).toBe(false);
    const flat = join(dir, 'flat');
    expect(cli('train', '--model', 'ns-gan', '--steps', '1', '--out', flat, '--eval-samples', '16', '--hp', 'hidden=8', '--backend', 'wasm').code).toBe(0);
    const out = join(dir, 'flat-pngs');
    const s = cli('sample', flat, '-o', out);
    expect([s.code, s.stderr]).toEqual([2, `gen-eval: ${flat} is a run on 2-D data (ring-easy): its samples are points, write them to a .npy file\n`]);
    expect(existsSync(out)).toBe(false);
  });

  it('a folder of images: its notes (resized, no FID) on stderr, or in the JSON with --json', () => {
    const pngs = join(dir, 'pngs-a'); // 12 samples of 28 px, written above
    const out = join(dir, 'folder-run');
    const args = ['train', '--model', 'ns-gan', '--data', pngs, '--image-size', '32', '--steps', '1', ...tiny];
    const r = cli(...args, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[1]).toBe(`gen-eval: note: ${pngs}: 12 of 12 images are not 32×32 (28×28); resized to 32×32 with Pillow bicubic, aspect ratio not kept`);
    expect(lines[2]).toMatch(/^gen-eval: note: .*no embedded classifier knows these images, so evaluations compute no FID/);
    const j = cli(...args, '--out', join(dir, 'folder-run-json'), '--json');
    expect([j.code, j.stderr]).toEqual([0, '']);
    expect((JSON.parse(j.stdout) as { notes: string[] }).notes).toEqual([lines[1]!.slice('gen-eval: note: '.length), lines[2]!.slice('gen-eval: note: '.length)]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ data: { name: pngs, imageSize: 32, channels: 1 } });
  });

  it('report embeds the latest grid and needs no fashion-mnist install to read a fashion-mnist run', () => {
    // A copy of the run that claims fashion-mnist from a folder that does not exist.
    const fashion = join(dir, 'fashion-run');
    cpSync(run, fashion, { recursive: true });
    const cfgPath = join(fashion, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8')) as { data: Record<string, unknown> };
    cfg.data = { name: 'fashion-mnist', imageSize: 28, dataDir: join(dir, 'no-such-folder') };
    writeFileSync(cfgPath, JSON.stringify(cfg));
    const out = join(dir, 'report.html');
    const r = cli('report', run, fashion, '-o', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    const grid = readFileSync(join(run, 'samples', 'step-0000003.png')).toString('base64');
    expect(html).toContain(`data:image/png;base64,${grid}`);
    expect(html).not.toContain(readFileSync(join(run, 'samples', 'step-0000002.png')).toString('base64'));
    expect(html).toContain('mnist (28 px)');
    expect(html).not.toContain('is not an N×2 array');
  });

  describe('bad input: one line, exit 2, nothing written', () => {
    const never = join(dir, 'never');
    it('an image size that is not 28, 32 or 64', () => {
      const r = cli('train', '--model', 'ns-gan', '--data', 'mnist', '--image-size', '30', '--out', never);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'gen-eval: --image-size must be 28, 32 or 64, got "30" (see --help)\n']);
      const word = cli('train', '--model', 'ns-gan', '--data', 'mnist', '--image-size', 'big', '--out', never);
      expect([word.code, word.stderr]).toEqual([2, 'gen-eval: --image-size must be 28, 32 or 64, got "big" (see --help)\n']);
      const flat = cli('train', '--model', 'ns-gan', '--image-size', '32', '--out', never);
      expect([flat.code, flat.stderr]).toEqual([
        2,
        'gen-eval: --image-size applies to image data (mnist, mnist-inverted, fashion-mnist, stacked-mnist, edges2fashion, edges2shoes, edges2digits, captioned-mnist, captioned-fashion or a folder of images); ring-easy is 2-D\n',
      ]);
      expect(existsSync(never)).toBe(false);
    });
    it('--data DIR with no images', () => {
      const empty = join(dir, 'no-images');
      mkdirSync(empty);
      writeFileSync(join(empty, 'notes.txt'), 'not an image');
      const r = cli('train', '--model', 'ns-gan', '--data', empty, '--out', never);
      expectInputError(r, empty, /no image/);
      expect(existsSync(never)).toBe(false);
    });
    it('a missing Fashion-MNIST install names the path and the apt package', () => {
      const empty = join(dir, 'no-fashion');
      mkdirSync(empty);
      const r = cli('train', '--model', 'ns-gan', '--data', 'fashion-mnist', '--data-dir', empty, '--out', never);
      expectInputError(
        r,
        join(empty, 'train-images-idx3-ubyte.gz'),
        /Fashion-MNIST not found; install it with `apt-get install dataset-fashion-mnist` or give its folder with --data-dir/,
      );
      expect(existsSync(never)).toBe(false);
    });
  });
});
