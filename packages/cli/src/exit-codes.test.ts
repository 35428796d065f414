import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@gen-eval/metrics/errors';
import { exitCodeOf } from './exit-codes.js';

describe('exitCodeOf', () => {
  it('maps every error code: 2 for what the user can fix, 3 for a bug', () => {
    expect(Object.fromEntries(ERROR_CODES.map((c) => [c, exitCodeOf(c)]))).toEqual({
      bad_input: 2,
      usage: 2,
      io: 2,
      unsupported: 2,
      internal: 3,
    });
  });
});
