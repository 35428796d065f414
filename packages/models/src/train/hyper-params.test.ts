import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import { gan } from '../families/gan.js';
import { infogan } from '../families/infogan.js';
import { wganGp } from '../families/wgan-gp.js';
import { mergeHyperParams } from './setup.js';

describe('mergeHyperParams: counts and real values', () => {
  it('takes any real value for hyper-parameters declared real although their defaults are whole (σ 0/1, gLr 0)', () => {
    expect(mergeHyperParams(gan, { instanceNoise: '0.5' }, true).instanceNoise).toBe(0.5);
    expect(mergeHyperParams(gan, { instanceNoise: '0.25' }, false).instanceNoise).toBe(0.25);
    expect(mergeHyperParams(infogan, { gLr: '2e-4' }, false).gLr).toBe(2e-4);
  });

  it('takes a real λ on images, whose default 10 is whole but 0.1 on 2-D data', () => {
    expect(mergeHyperParams(wganGp, { lambda: '2.5' }, true).lambda).toBe(2.5);
  });

  it('still refuses fractional counts', () => {
    expectGenEvalError((): void => void mergeHyperParams(gan, { dSteps: '1.5' }, true), { code: 'usage', message: /dSteps must be an integer, got "1.5"/ });
    expectGenEvalError((): void => void mergeHyperParams(wganGp, { nCritic: '2.5' }, true), { code: 'usage', message: /nCritic must be an integer/ });
  });

  it('gives InfoGAN’s generator the paper’s own learning rate on images (1e-3 against D’s 2e-4)', () => {
    const hp = mergeHyperParams(infogan, {}, true);
    expect([hp.lr, hp.gLr]).toEqual([2e-4, 1e-3]);
    expect(mergeHyperParams(infogan, {}, false).gLr).toBe(0);
  });
});
