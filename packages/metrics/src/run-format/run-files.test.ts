import { describe, expect, it } from 'vitest';
import { checkRunConfig, conditionGridOf, type RunConfig } from './run-files.js';
import { RUN_FORMAT } from './run-paths.js';

const config = (conditionGrid?: unknown) => ({ model: 'cgan', ...(conditionGrid === undefined ? {} : { conditionGrid }) }) as unknown as RunConfig;

describe('conditionGridOf', () => {
  it('reads the record, and nothing from a run without one (older versions, unconditioned runs)', () => {
    const g = { kind: 'label', rows: ['class 0', 'class 1'], columns: '8 draws' };
    expect(conditionGridOf(config(g), 'config.json')).toEqual(g);
    expect(conditionGridOf(config(), 'config.json')).toBeUndefined();
  });

  it('a malformed record is a one-line error naming the file', () => {
    for (const bad of [null, 'rows', { kind: 'label', rows: [], columns: '' }, { kind: 'label', rows: [1], columns: '' }, { kind: 'label', rows: ['a'] }])
      expect(() => conditionGridOf(config(bad), '/r/config.json'), JSON.stringify(bad)).toThrow('/r/config.json: "conditionGrid" must be {"kind"');
  });
});

describe('checkRunConfig', () => {
  const good = {
    ...RUN_FORMAT,
    model: 'pix2pix',
    title: 't',
    data: { name: '/in', sha256: 'a', targets: { name: '/out', sha256: 'b' } },
    hp: { batchSize: 4, lr: 1e-3 },
    seed: 0,
    steps: 2,
    timeBudget: null,
    evalEvery: 1,
    evalSamples: 2,
    backend: { requested: 'wasm', choice: 'wasm', skipped: [] },
    versions: {},
    created: '',
  } as RunConfig;

  it('takes paired folders recorded with their targets, and refuses a targets record without a name', () => {
    expect(() => checkRunConfig('/r', good)).not.toThrow();
    for (const targets of [{}, 'out', { name: '' }])
      expect(() => checkRunConfig('/r', { ...good, data: { name: '/in', targets } } as unknown as RunConfig)).toThrow(
        '/r/config.json: "data.targets" is not an object with a "name"',
      );
  });
});
