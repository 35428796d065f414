import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  conditionGridFileName,
  LATEST_CHECKPOINT,
  listConditionGrids,
  listStepFiles,
  parseConditionGridFile,
  parseStepFile,
  runPaths,
  stepFileName,
  type StepFileExt,
} from './run-paths.js';

const EXTS: readonly StepFileExt[] = ['npy', 'png', 'npz', 'json'];
const root = mkdtempSync(join(tmpdir(), 'gen-eval-run-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('step file names', () => {
  it('are the step zero-padded to 7 digits (docs/run-format.md)', () => {
    expect(stepFileName(123, 'npz')).toBe('step-0000123.npz');
    expect(stepFileName(0, 'json')).toBe('step-0000000.json');
    expect(stepFileName(12_345_678, 'npy')).toBe('step-12345678.npy');
    expect(LATEST_CHECKPOINT).toBe('latest.json');
  });

  it('parse back to their step and extension, and sort by step', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), fc.constantFrom(...EXTS), (a, b, ext) => {
        expect(parseStepFile(stepFileName(a, ext))).toEqual({ step: a, ext });
        if (a < 1e7 && b < 1e7) expect(Math.sign(stepFileName(a, ext).localeCompare(stepFileName(b, ext)))).toBe(Math.sign(a - b));
      }),
    );
  });

  it('parse unpadded names (a hand-copied run) and nothing else', () => {
    expect(parseStepFile('step-12.npy')).toEqual({ step: 12, ext: 'npy' });
    for (const name of ['latest.json', 'step-.npy', 'step-1.npy.tmp', 'step-1.NPY', 'step-1.txt', 'xstep-1.npy', 'step--1.npy', 'step-1e3.npy', '000001.png'])
      expect(parseStepFile(name), name).toBeUndefined();
    expect(parseStepFile('step-0000005.png', ['npy'])).toBeUndefined();
    expect(parseStepFile('step-0000005.png', ['npy', 'png'])).toEqual({ step: 5, ext: 'png' });
  });

  it('are listed by step, numerically, with the extensions asked for', () => {
    const dir = join(root, 'list');
    mkdirSync(dir);
    for (const name of ['step-10.npy', 'step-0000002.npy', 'step-0000002.png', 'step-0000010.json', 'notes.txt', 'step-0000001.npz']) writeFileSync(join(dir, name), '');
    expect(listStepFiles(dir, ['npy', 'png']).map((f) => f.name)).toEqual(['step-0000002.npy', 'step-0000002.png', 'step-10.npy']);
    expect(listStepFiles(dir, ['npz', 'json'])).toEqual([
      { step: 1, ext: 'npz', name: 'step-0000001.npz', path: join(dir, 'step-0000001.npz') },
      { step: 10, ext: 'json', name: 'step-0000010.json', path: join(dir, 'step-0000010.json') },
    ]);
    expect(listStepFiles(join(root, 'missing'), EXTS)).toEqual([]);
  });
});

describe('condition grid names', () => {
  it('are the step file name with -condition, parse back, and are no step file', () => {
    expect(conditionGridFileName(500)).toBe('step-0000500-condition.png');
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), (step) => {
        expect(parseConditionGridFile(conditionGridFileName(step))).toBe(step);
        expect(parseStepFile(conditionGridFileName(step))).toBeUndefined();
      }),
    );
    for (const name of ['step-0000500.png', 'step-5-condition.npy', 'step--condition.png', 'step-5-condition.png.tmp']) expect(parseConditionGridFile(name), name).toBeUndefined();
  });

  it('are listed apart from the sample grids', () => {
    const dir = join(root, 'grids');
    mkdirSync(dir);
    for (const name of ['step-0000002.png', 'step-0000010-condition.png', 'step-2-condition.png', 'step-0000002.npy']) writeFileSync(join(dir, name), '');
    expect(listConditionGrids(dir).map((f) => [f.step, f.name])).toEqual([
      [2, 'step-2-condition.png'],
      [10, 'step-0000010-condition.png'],
    ]);
    expect(listStepFiles(dir, ['npy', 'png']).map((f) => f.name)).toEqual(['step-0000002.npy', 'step-0000002.png']);
    expect(listConditionGrids(join(root, 'missing'))).toEqual([]);
  });
});

describe('runPaths', () => {
  it('names every file of a run folder', () => {
    const p = runPaths('/r');
    expect([p.config, p.metrics, p.summary, p.samples, p.checkpoints, p.latest]).toEqual([
      join('/r', 'config.json'),
      join('/r', 'metrics.jsonl'),
      join('/r', 'summary.json'),
      join('/r', 'samples'),
      join('/r', 'checkpoints'),
      join('/r', 'checkpoints', 'latest.json'),
    ]);
    expect([p.sample(500), p.grid(500), p.conditionGrid(500), p.checkpoint(500, 'npz'), p.checkpoint(500, 'json')]).toEqual([
      join('/r', 'samples', 'step-0000500.npy'),
      join('/r', 'samples', 'step-0000500.png'),
      join('/r', 'samples', 'step-0000500-condition.png'),
      join('/r', 'checkpoints', 'step-0000500.npz'),
      join('/r', 'checkpoints', 'step-0000500.json'),
    ]);
  });
});
