import { describe, expect, it } from 'vitest';
import { conditionGridOf, type RunConfig } from './run-files.js';

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
