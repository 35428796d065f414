import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, it } from 'vitest';
import { GenEvalError } from '@gen-eval/metrics/errors';
import type { HpRange } from '../family.js';
import { FAMILIES } from '../families/index.js';
import { gan } from '../families/gan.js';
import { sngan } from '../families/sngan.js';
import { infogan } from '../families/infogan.js';
import { wganGp } from '../families/wgan-gp.js';
import { inRange, rangeOf } from './hyper-params.js';
import { familyDefaults, mergeHyperParams } from './setup.js';

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

describe('hyper-parameter ranges: declared once per family, enforced by mergeHyperParams', () => {
  /** Values just outside `r` (and of the wrong type), each with why it is wrong. */
  function badValues(r: HpRange, image: boolean): [string, string | number][] {
    const out: [string, string | number][] = [
      ['not a number', 'abc'],
      ['empty', ''],
      ['a boolean', 'true'],
      ['infinite', 'Infinity'],
    ];
    if (r.min !== undefined) out.push(['below the minimum', r.minExclusive ? r.min : r.min - 1]);
    const max = image && r.imageMax !== undefined ? Math.min(r.imageMax, r.max ?? Infinity) : r.max;
    if (max !== undefined) out.push(['above the maximum', r.maxExclusive ? max : max + 1]);
    if (r.type === 'int') out.push(['fractional', (r.min ?? 0) + 1.5]);
    if (r.even) out.push(['odd', (r.min ?? 0) + 1]);
    return out;
  }

  for (const family of FAMILIES) {
    for (const image of [false, true]) {
      const defaults = familyDefaults(family, image);
      const numeric = Object.keys(defaults).filter((k) => typeof defaults[k] === 'number');

      it(`${family.name} (${image ? 'images' : '2-D'}): every number-valued hyper-parameter has a range its default lies in`, () => {
        for (const k of numeric) expect(inRange(defaults[k] as number, rangeOf(family, k), image), `${k} = ${defaults[k]}`).toBe(true);
        expect(() => mergeHyperParams(family, {}, image)).not.toThrow();
      });

      it(`${family.name} (${image ? 'images' : '2-D'}): refuses out-of-range and wrong-type values of each`, () => {
        for (const k of numeric) {
          for (const [why, v] of badValues(rangeOf(family, k), image)) {
            let err: unknown;
            try {
              mergeHyperParams(family, { [k]: String(v) }, image);
            } catch (e) {
              err = e;
            }
            expect(err, `${k} = ${String(v)} (${why})`).toBeInstanceOf(GenEvalError);
            expect((err as GenEvalError).code).toBe('usage');
            expect((err as Error).message, `${k} = ${String(v)}`).toMatch(new RegExp(`^${k} must be .*, got "${String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"$`));
          }
        }
      });
    }
  }

  it('words each range and caps batches of images at 1024 (the README), points at 65 536', () => {
    expectGenEvalError((): void => void mergeHyperParams(gan, { latentDim: '0' }, false), { code: 'usage', message: 'latentDim must be an integer from 1 to 4096, got "0"' });
    expectGenEvalError((): void => void mergeHyperParams(gan, { beta1: '5' }, false), { code: 'usage', message: 'beta1 must be a number in [0, 1), got "5"' });
    expectGenEvalError((): void => void mergeHyperParams(gan, { batchSize: 1025 }, true), {
      code: 'usage',
      message: 'batchSize must be an integer from 1 to 1024 on image data, got "1025"',
    });
    expect(mergeHyperParams(gan, { batchSize: 1024 }, true).batchSize).toBe(1024);
    expect(mergeHyperParams(gan, { batchSize: 5000 }, false).batchSize).toBe(5000);
    expectGenEvalError((): void => void mergeHyperParams(gan, { batchSize: '1e9' }, false), {
      code: 'usage',
      message: /^batchSize must be an integer from 1 to 65536, got "1e9"$/,
    });
    expectGenEvalError((): void => void mergeHyperParams(gan, { dSteps: '1000000' }, false), { code: 'usage', message: /^dSteps must be an integer from 1 to 20/ });
    expectGenEvalError((): void => void mergeHyperParams(sngan, { powerIterations: '2' }, true), {
      code: 'usage',
      message: /^powerIterations must be an integer from 1 to 1 on image data/,
    });
  });

  it('checks the merged defaults too (a resumed run’s edited config.json)', () => {
    const edited = { ...familyDefaults(gan, false), hidden: 0 };
    expectGenEvalError((): void => void mergeHyperParams(gan, edited, false), { code: 'usage', message: /^hidden must be an integer from 1 to 4096, got "0"$/ });
  });
});
