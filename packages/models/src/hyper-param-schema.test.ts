import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { bool, dataSet, describeAllowed, int, oneOf, parseHpValue, real, schemaDefaults, upgradeNames, withDefault, type HpValues } from './hyper-param-schema.js';
import { mergeHyperParams } from './train/hyper-params.js';

/** A schema with every type (the families use int, real and data today). */
const schema = {
  batchSize: int({ min: 1, max: 100, imageMax: 10, default: { points: 50, images: 5 }, help: 'batch' }),
  lr: real({ min: 0, minExclusive: true, default: 0.1, help: 'rate' }),
  loss: oneOf(['hinge', 'logistic'], { default: 'hinge', help: 'the game' }),
  ema: bool({ default: { points: false, images: true }, help: 'average the weights' }),
  other: dataSet({ default: 'ring', help: 'domain B' }),
  levels: int({ min: 1, max: 4, default: 2, only: 'images', help: 'conv levels', formerly: ['depth'] }),
};
const family = { name: 'toy', hyperParams: schema };

describe('hyper-parameter schemas', () => {
  it('derive the type of ctx.hp: numbers, the enum’s choices, booleans, strings; one-kind parameters optional', () => {
    expectTypeOf<HpValues<typeof schema>>().toEqualTypeOf<{ batchSize: number; lr: number; loss: 'hinge' | 'logistic'; ema: boolean; other: string } & { levels?: number }>();
  });

  it('give each data kind its defaults, one-kind parameters only on theirs', () => {
    expect(schemaDefaults(schema, 'points')).toEqual({ batchSize: 50, lr: 0.1, loss: 'hinge', ema: false, other: 'ring' });
    expect(schemaDefaults(schema, 'images')).toEqual({ batchSize: 5, lr: 0.1, loss: 'hinge', ema: true, other: 'ring', levels: 2 });
  });

  it('parse --hp text into each type, and refuse anything else in one line naming the allowed values', () => {
    expect(parseHpValue('loss', schema.loss, 'logistic', 'points')).toBe('logistic');
    expect(parseHpValue('ema', schema.ema, 'true', 'points')).toBe(true);
    expect(parseHpValue('ema', schema.ema, 'false', 'images')).toBe(false);
    expect(parseHpValue('batchSize', schema.batchSize, '7', 'images')).toBe(7);
    expect(parseHpValue('other', schema.other, 'data/b.npy', 'points')).toBe('data/b.npy');
    expectGenEvalError((): void => void parseHpValue('loss', schema.loss, 'wasserstein', 'points'), {
      code: 'usage',
      message: 'loss must be one of hinge, logistic, got "wasserstein"',
    });
    expectGenEvalError((): void => void parseHpValue('ema', schema.ema, 'yes', 'points'), { code: 'usage', message: 'ema must be true or false, got "yes"' });
    expectGenEvalError((): void => void parseHpValue('ema', schema.ema, 1, 'points'), { code: 'usage', message: 'ema must be true or false, got "1"' });
    expectGenEvalError((): void => void parseHpValue('batchSize', schema.batchSize, '11', 'images'), {
      code: 'usage',
      message: 'batchSize must be an integer from 1 to 10 on image data, got "11"',
    });
    expectGenEvalError((): void => void parseHpValue('lr', schema.lr, '0', 'points'), { code: 'usage', message: 'lr must be a number > 0, got "0"' });
    expectGenEvalError((): void => void parseHpValue('other', schema.other, ' ', 'points'), {
      code: 'usage',
      message: /^other must be a data set name, FILE\.npy or a folder of images, got " "$/,
    });
    expect(describeAllowed(schema.batchSize, 'points')).toBe('an integer from 1 to 100');
  });

  it('refuse a one-kind parameter on the other kind, and a former name, naming the current one', () => {
    expectGenEvalError((): void => void mergeHyperParams(family, { levels: 3 }, false), {
      code: 'usage',
      message: 'toy has no hyper-parameter "levels" for 2-D data (it applies to image data); it has batchSize, lr, loss, ema, other',
    });
    expect(mergeHyperParams(family, { levels: 3 }, true).levels).toBe(3);
    expectGenEvalError((): void => void mergeHyperParams(family, { depth: 3 }, true), { code: 'usage', message: 'toy has no hyper-parameter "depth": it is called levels now' });
  });

  it('read a recorded run’s former names under the current ones (the current one wins if both are there)', () => {
    expect(upgradeNames(schema, { depth: 3, lr: 0.5 })).toEqual({ levels: 3, lr: 0.5 });
    expect(upgradeNames(schema, { levels: 4, depth: 3 })).toEqual({ levels: 4 });
    expect(mergeHyperParams(family, { depth: 3 }, true, true).levels).toBe(3);
  });

  it('withDefault keeps the declaration and changes the default (and help, when given)', () => {
    const w = withDefault(schema.batchSize, 8, 'rows');
    expect(w).toEqual({ ...schema.batchSize, default: 8, help: 'rows' });
    expect(withDefault(schema.lr, 0.2).help).toBe('rate');
  });
});
