import { existsSync, mkdtempSync, readdirSync } from 'node:fs';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy } from './npy.js';
import { NpyRowWriter } from './npy-writer.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-npy-writer-');

describe('NpyRowWriter', () => {
  it('streams rows and publishes a valid .npy on close', () => {
    const dir = mkdtempSync(join(scratch, 'npyw-'));
    const path = join(dir, 'f.npy');
    const w = new NpyRowWriter(path, 3);
    w.append(Float32Array.of(1, 2, 3));
    expect(existsSync(path)).toBe(false); // not visible until complete
    w.append(Float32Array.of(4, 5, 6, 7, 8, 9));
    w.close();
    const arr = readNpy(path);
    expect(arr.shape).toEqual([3, 3]);
    expect(Array.from(arr.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(readdirSync(dir)).toEqual(['f.npy']);
  });

  it('abort leaves nothing', () => {
    const dir = mkdtempSync(join(scratch, 'npyw-'));
    const w = new NpyRowWriter(join(dir, 'f.npy'), 2);
    w.append(Float32Array.of(1, 2));
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
    expect(() => w.append(Float32Array.of(1))).toThrow(/whole rows/);
  });
});
