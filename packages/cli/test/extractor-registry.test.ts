/**
 * The CLI resolves --extractor only through the metrics package's extractor registry: an
 * extractor registered in the same process (here by a module preloaded with `node --import`) is
 * usable as `--extractor NAME`, and an unknown name lists exactly what `listExtractors()` says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readNpy } from '@gen-eval/metrics';
import { listExtractors } from '@gen-eval/metrics/extract';
import { describe, expect, it } from 'vitest';
import { cli, cliWith, tempDir } from './golden-cli.js';

const dir = tempDir('gen-eval-registry-');
const folder = fileURLToPath(new URL('../../../fixtures/e2e-images/a', import.meta.url));
// The very module file the built CLI imports, so the plugin registers into the CLI's registry.
const extractModule = pathToFileURL(fileURLToPath(new URL('../../metrics/dist/extract.js', import.meta.url))).href;

/** A plugin registering `channel-means`: 16×16 input in [0, 1], features = the 3 channel means. */
const plugin = join(dir, 'plugin.mjs');
writeFileSync(
  plugin,
  `
import { registerExtractor } from ${JSON.stringify(extractModule)};
registerExtractor('channel-means', async () => ({
  name: 'channel-means@test',
  input: { height: 16, width: 16, channels: 3, layout: 'NCHW', range: [0, 1] },
  outputs: { features: 3 },
  async run(batch, n) {
    const hw = 256, out = new Float32Array(n * 3);
    for (let i = 0; i < n * 3; i++) { let s = 0; for (let p = 0; p < hw; p++) s += batch[i * hw + p]; out[i] = s / hw; }
    return { features: out };
  },
  async dispose() {},
}), { description: 'test plugin' });
`,
);

describe('--extractor goes through the registry', () => {
  it('runs an extractor a preloaded module registered', () => {
    const out = join(dir, 'means.npy');
    const r = cliWith(
      { env: { NODE_OPTIONS: `--import ${pathToFileURL(plugin).href}` } },
      'features',
      folder,
      '-o',
      out,
      '--extractor',
      'channel-means',
      '--no-cache',
      '--quiet',
      '--json',
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    const feats = readNpy(out);
    expect(feats.shape).toEqual([6, 3]);
    for (const v of feats.data as Float32Array) expect(v >= 0 && v <= 1).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ extractor: 'channel-means@test' });
  });

  it('an unknown extractor is one usage line listing listExtractors()', () => {
    const r = cli('fid', folder, folder, '--extractor', 'nope', '--no-cache');
    const specs = listExtractors().map((e) => e.spec);
    expect(specs).toContain('onnx:PATH');
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `gen-eval: unknown extractor "nope"; choose one of: ${specs.join(', ')}\n`]);
  });

  it("a registry factory's refusal names the CLI flag", () => {
    const r = cli('fid', folder, folder, '--extractor', 'mnist', '--weights', plugin, '--no-cache');
    expect([r.code, r.stderr]).toEqual([2, 'gen-eval: --weights applies to the inception, dinov2 and mobilenet extractors only (mnist ships its weights)\n']);
  });
});
