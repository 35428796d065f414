import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { writeNpy } from '../io/npy.js';
import { writeStatsNpz } from '../io/npz.js';
import { ExtractorSession, featuresOf, fidInputOf, loadInput } from './load-input.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-load-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// No weights anywhere: any attempt to build the network would fail with a different error.
const session = new ExtractorSession({ weights: join(dir, 'no-weights.pth'), quiet: true });

/** The one-line input error `loadInput` rejects with. */
async function failure(path: string, accept?: Parameters<typeof loadInput>[2]): Promise<string> {
  return (await expectGenEvalError(loadInput(path, session, accept))).message;
}

describe('loadInput on files', () => {
  const npy = join(dir, 'f.npy');
  writeNpy(
    npy,
    Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)),
    [4, 3],
  );
  const npz = join(dir, 's.npz');
  writeStatsNpz(npz, { mu: new Float64Array(2), sigma: Float64Array.of(1, 0, 0, 1), n: 7 });

  it('reads .npy features and .npz stats (with num_samples) by extension', async () => {
    const f = await loadInput(npy, session);
    expect(f.kind).toBe('features');
    expect(featuresOf(f, 'test').rows).toBe(4);
    const s = await loadInput(npz, session);
    expect(s.kind === 'stats' && s.stats.n).toBe(7);
    expect(fidInputOf(s)).toMatchObject({ n: 7 });
    await expect(async () => featuresOf(s, 'KID')).rejects.toThrow(/KID needs per-sample features/);
  });

  it('says which kinds the caller accepts, naming the path', async () => {
    expect(await failure(join(dir, 'x.csv'))).toBe(`${join(dir, 'x.csv')}: no such file or folder`);
    writeFileSync(join(dir, 'x.csv'), '1,2\n');
    expect(await failure(join(dir, 'x.csv'))).toBe(`${join(dir, 'x.csv')}: unsupported input (.csv): expected an image folder, a .npy feature matrix or a .npz stats file`);
    expect(await failure(npz, { accept: ['images', 'features'] })).toBe(`${npz}: unsupported input (.npz): expected an image folder or a .npy feature matrix`);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(await failure(folder, { accept: ['features'] })).toBe(`${folder}: unsupported input (a folder): expected a .npy feature matrix`);
  });

  it('rejects a num_samples below 2 and too few feature rows', async () => {
    const bad = join(dir, 'n1.npz');
    writeStatsNpz(bad, { mu: new Float64Array(2), sigma: Float64Array.of(1, 0, 0, 1), n: 1 });
    expect(await failure(bad)).toBe(`${bad}: "num_samples" must be an integer ≥ 2, found 1`);
    expect(await failure(npy, { minRows: 5 })).toMatch(/needs at least 5 samples, found 4/);
  });
});
