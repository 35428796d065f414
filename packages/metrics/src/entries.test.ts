/**
 * What importing each package entry loads, checked on the built package in a fresh node: no entry
 * loads a native addon (sharp's libvips, onnxruntime) or tfjs at import, and the main entry's `fid`
 * runs without one. The probe records every `process.dlopen` (how node loads any `.node` addon)
 * and the CommonJS modules required; the positive controls show it does see sharp and onnxruntime
 * once a function that needs them runs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Probe {
  /** Native addons loaded (paths of `.node` files). */
  readonly addons: string[];
  /** Packages whose CommonJS modules were required, e.g. `sharp`, `@img/sharp-linux-x64`. */
  readonly packages: string[];
  /** What the body returned (JSON). */
  readonly result: unknown;
}

/**
 * Runs `body` (an async function body with `m`, the imported entry) in a fresh node, from the
 * package's own folder so that `@gen-eval/metrics/...` resolves to the built `dist/` through the
 * package's `exports` (as for any consumer).
 */
function probe(entry: string, body = 'return null;'): Probe {
  const script = `
    const addons = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, file, ...rest) { addons.push(file); return dlopen.call(this, module, file, ...rest); };
    import(${JSON.stringify(entry)}).then(async (m) => {
      const result = await (async () => { ${body} })();
      const packages = new Set();
      for (const path of Object.keys(require.cache)) {
        const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(path);
        if (m) packages.add(m[1].replace(/\\\\/g, '/'));
      }
      process.stdout.write(JSON.stringify({ addons, packages: [...packages].sort(), result }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: PACKAGE_DIR, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Probe;
}

const PNG = fileURLToPath(new URL('../../../fixtures/e2e-images/b/b4-stripes-50x70.png', import.meta.url));
const NATIVE = /^(sharp|@img\/.*|onnxruntime-node|onnxruntime-common|@tensorflow\/.*)$/;

describe('package entries load no native addon at import', () => {
  it.each([
    '@gen-eval/metrics',
    '@gen-eval/metrics/images',
    '@gen-eval/metrics/extract',
    '@gen-eval/metrics/testing',
    '@gen-eval/metrics/errors',
    '@gen-eval/metrics/runs',
    '@gen-eval/metrics/conditional',
  ])('%s', (entry) => {
    const p = probe(entry);
    expect(p.addons).toEqual([]);
    expect(p.packages.filter((name) => NATIVE.test(name))).toEqual([]);
  });

  it('fid from the main entry computes a distance without loading one', () => {
    const p = probe(
      '@gen-eval/metrics',
      `
      const rs = new m.RandomState(1);
      const a = m.matrix(Float64Array.from(rs.normals(120)), 40, 3);
      const b = m.matrix(Float64Array.from(rs.normals(120), (v) => v + 1), 40, 3);
      return (await m.fid(a, b)).fid;`,
    );
    expect(p.result).toBeGreaterThan(1);
    expect(p.addons).toEqual([]);
    expect(p.packages.filter((name) => NATIVE.test(name))).toEqual([]);
  });

  // Positive controls: the probe sees an addon as soon as a function that needs one runs.
  it('decoding an image loads sharp on first use', () => {
    const p = probe(
      '@gen-eval/metrics/images',
      `
      const image = await m.decodeImageFile(${JSON.stringify(PNG)});
      return [image.width, image.height];`,
    );
    expect(p.result).toEqual([50, 70]);
    expect(p.addons.some((f) => /sharp/.test(f))).toBe(true);
    expect(p.addons.some((f) => /onnxruntime/.test(f))).toBe(false);
  });

  it('creating an ONNX session loads onnxruntime on first use', () => {
    const p = probe(
      '@gen-eval/metrics/extract',
      `
      const { tinyModelBytes } = await import('@gen-eval/metrics/testing');
      const session = await m.createSession(tinyModelBytes(), 'tiny.onnx', { threads: 1 });
      const names = session.outputNames;
      await session.release();
      return names;`,
    );
    expect(p.result).toEqual(['features', 'logits']);
    expect(p.addons.some((f) => /onnxruntime/.test(f))).toBe(true);
    expect(p.addons.some((f) => /sharp/.test(f))).toBe(false);
  });
});
