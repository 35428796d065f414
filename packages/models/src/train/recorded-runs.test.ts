/**
 * Every family's short 2-D and image runs, through the source, equal the fingerprints recorded on
 * an earlier build (fixtures/golden/family-runs.json; bench/recorded-runs.mjs): a refactoring
 * that changes a loss, a metric, a sample or a checkpoint array by one bit fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { differences, recordedCases, recordRuns, RECORDING, type Fingerprint } from '../../bench/recorded-runs.mjs';
import { FAMILIES } from '../families/index.js';
import { trainNew } from './loop.js';
import { sampleRun } from './sample.js';

describe('recorded runs', () => {
  it('every family, 2-D and images, equals the recording bit for bit', { timeout: 120_000 }, async () => {
    const recorded = JSON.parse(readFileSync(RECORDING, 'utf8')) as Record<string, Fingerprint>;
    // Families newer than the recording (pix2pix, srgan) have no fingerprints; every recorded case still runs.
    const cases = recordedCases(FAMILIES.map((f) => f.name)).filter((c) => Object.hasOwn(recorded, c.id));
    expect(cases.map((c) => c.id).sort()).toEqual(Object.keys(recorded).sort());
    const runs = await recordRuns({ trainNew, sampleRun } as never, cases);
    expect(differences(recorded, runs)).toEqual([]);
  });
});
