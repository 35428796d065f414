import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, trackTemp, untrackTemp, whenTempsTracked } from './temp-cleanup.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-temp-cleanup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('temporary entries', () => {
  it('the library tracks and removes its temps but installs no signal handler (the program owns the process)', () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = signals.map((s) => process.listenerCount(s));
    let told = 0;
    whenTempsTracked(() => told++);
    const folder = join(dir, '.tmp-entry');
    mkdirSync(folder);
    writeFileSync(join(folder, 'features.npy'), 'partial');
    const kept = join(dir, '.tmp-kept');
    writeFileSync(kept, 'renamed into place');
    trackTemp(folder);
    trackTemp(kept);
    untrackTemp(kept);
    expect(signals.map((s) => process.listenerCount(s))).toEqual(before);
    expect(told).toBe(1);
    cleanupTemps();
    expect([existsSync(folder), existsSync(kept)]).toEqual([false, true]);
    // A listener that comes after the first temp is told at once.
    whenTempsTracked(() => told++);
    expect(told).toBe(2);
  });
});
