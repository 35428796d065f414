import { GenEvalError } from '@gen-eval/metrics/errors';
import { describe, expect, it } from 'vitest';
import { cliMessage, cliWarning, flagOf } from './cli-wording.js';

describe('cliMessage: library option names become CLI flags', () => {
  it('maps each listed option to its flag, kebab case unless the flag differs', () => {
    expect([flagOf('weights'), flagOf('imageSize'), flagOf('executionProvider'), flagOf('n')]).toEqual(['--weights', '--image-size', '--device', '-n']);
    const err = new GenEvalError('`imageSize` applies to image data; `imageSize` again', { options: ['imageSize'] });
    expect(cliMessage(err)).toBe('--image-size applies to image data; --image-size again');
  });

  it('keeps the CLI wording of hints that name the flag with its argument', () => {
    const err = new GenEvalError('the mobilenet extractor needs its model folder (`weights`); nothing is downloaded', { options: ['weights'] });
    expect(cliMessage(err)).toBe('the mobilenet extractor needs its model folder (--weights DIR); nothing is downloaded');
  });

  it('leaves messages alone when they list no options (other backticks included)', () => {
    const err = new GenEvalError('install it with `apt-get install x`; `weights` is named but not listed');
    expect(cliMessage(err)).toBe(err.message);
  });
});

describe('cliWarning: library warnings in CLI words', () => {
  it('names --no-cache where the library names the `cache` option, and leaves other warnings alone', () => {
    const library =
      '/x: the feature cache cannot be used: a file is in the way (ENOTDIR); going on without it (set `cache` to false to skip it, or set GEN_EVAL_CACHE to a writable folder)';
    expect(cliWarning(library)).toBe(
      '/x: the feature cache cannot be used: a file is in the way (ENOTDIR); going on without it (use --no-cache to skip it, or set GEN_EVAL_CACHE to a writable folder)',
    );
    expect(cliWarning('10 of 10 images are not 28×28')).toBe('10 of 10 images are not 28×28');
  });
});
