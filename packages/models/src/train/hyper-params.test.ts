import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGenEvalError } from '@gen-eval/metrics/testing/expect';
import { GenEvalError } from '@gen-eval/metrics/errors';
import { parseNpz } from '@gen-eval/metrics';
import { readRunConfig, runPaths } from '@gen-eval/metrics/runs';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../families/index.js';
import { gan } from '../families/gan.js';
import { infogan } from '../families/infogan.js';
import { sngan } from '../families/sngan.js';
import { wganGp } from '../families/wgan-gp.js';
import { DATA_KINDS, defaultOn, describeAllowed, existsOn, maxOn, minOn, narrowerOnImages, parseHpValue, type DataKind, type HpSpec } from '../hyper-param-schema.js';
import { trainNew, trainResume } from './loop.js';
import { sampleRun } from './sample.js';
import { familyDefaults, mergeHyperParams } from './hyper-params.js';

const root = mkdtempSync(join(tmpdir(), 'gen-eval-hp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Values that `spec` refuses on `kind` (wrong type or outside the allowed values), each with why. */
function badValues(spec: HpSpec, kind: DataKind): [string, string | number | boolean][] {
  switch (spec.type) {
    case 'bool':
      return [
        ['not a boolean', 'yes'],
        ['a number', 1],
      ];
    case 'enum':
      return [
        ['not a choice', `${spec.choices[0]}-x`],
        ['a number', 0],
      ];
    case 'data':
      return [
        ['empty', ''],
        ['a number', 3],
      ];
    default: {
      const out: [string, string | number | boolean][] = [
        ['not a number', 'abc'],
        ['empty', ''],
        ['a boolean', 'true'],
        ['infinite', 'Infinity'],
      ];
      const minEx = spec.type === 'real' && spec.minExclusive === true;
      const maxEx = spec.type === 'real' && spec.maxExclusive === true;
      const min = minOn(spec, kind);
      if (min !== undefined) out.push([kind === 'images' && min !== spec.min ? 'below the image minimum' : 'below the minimum', minEx ? min : min - 1]);
      const max = maxOn(spec, kind);
      if (max !== undefined) out.push([kind === 'images' && max !== spec.max ? 'above the image maximum' : 'above the maximum', maxEx ? max : max + 1]);
      if (spec.type === 'int') out.push(['not an integer', min! + 0.5]);
      if (spec.type === 'int' && spec.even) out.push(['odd', min! + 1]);
      return out;
    }
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const kindData: Record<DataKind, string | undefined> = { points: undefined, images: 'mnist' };

describe('the hyper-parameter schema: every family, every parameter, both data kinds', () => {
  for (const family of FAMILIES) {
    // Paired translation (pix2pix) and text-to-image (gan-cls) have no 2-D form: their runs are on images only.
    const imageOnly = (family.condition.kind === 'image' && family.condition.paired) || family.condition.kind === 'text';
    for (const kind of imageOnly ? (['images'] as const) : DATA_KINDS) {
      const image = kind === 'images';
      const specs = Object.entries(family.hyperParams).filter(([, s]) => existsOn(s, kind));

      it(`${family.name} (${kind}): every default is an allowed value, and the defaults plan a run`, () => {
        for (const [k, spec] of specs) expect(parseHpValue(k, spec, defaultOn(spec, kind)!, kind), k).toBe(defaultOn(spec, kind));
        expect(mergeHyperParams(family, {}, image)).toEqual(familyDefaults(family, image));
        expect(Object.keys(familyDefaults(family, image))).toEqual(specs.map(([k]) => k));
      });

      it(`${family.name} (${kind}): a wrong-type or out-of-range --hp value is one usage line naming it, and no run folder is made`, async () => {
        let n = 0;
        for (const [k, spec] of specs) {
          for (const [why, v] of badValues(spec, kind)) {
            const out = join(root, `${family.name}-${kind}-${k}-${n++}`);
            let err: unknown;
            try {
              await trainNew({ model: family.name, data: kindData[kind], hp: { [k]: v }, steps: 1, out });
            } catch (e) {
              err = e;
            }
            const what = `${k} = ${JSON.stringify(v)} (${why})`;
            expect(err, what).toBeInstanceOf(GenEvalError);
            expect((err as GenEvalError).code, what).toBe('usage');
            const onImages = image && narrowerOnImages(spec) ? ' on image data' : '';
            expect((err as Error).message, what).toMatch(new RegExp(`^${k} must be ${escape(describeAllowed(spec, kind))}${onImages}, got "${escape(String(v))}"$`));
            expect(existsSync(out), what).toBe(false);
          }
        }
        expect(n).toBeGreaterThan(0);
      });
    }
  }
});

describe('mergeHyperParams', () => {
  it('takes real values for real parameters whose defaults are whole (σ 0/1, gLr 0, λ 10)', () => {
    expect(mergeHyperParams(gan, { instanceNoise: '0.5' }, true).instanceNoise).toBe(0.5);
    expect(mergeHyperParams(gan, { instanceNoise: '0.25' }, false).instanceNoise).toBe(0.25);
    expect(mergeHyperParams(infogan, { gLr: '2e-4' }, false).gLr).toBe(2e-4);
    expect(mergeHyperParams(wganGp, { lambda: '2.5' }, true).lambda).toBe(2.5);
  });

  it('gives InfoGAN’s generator the paper’s own learning rate on images (1e-3 against D’s 2e-4)', () => {
    const hp = mergeHyperParams(infogan, {}, true);
    expect([hp.lr, hp.gLr]).toEqual([2e-4, 1e-3]);
    expect(mergeHyperParams(infogan, {}, false).gLr).toBe(0);
  });

  it('words each range, and caps batches of images at 1024, points at 65 536', () => {
    expectGenEvalError((): void => void mergeHyperParams(gan, { latentDim: '0' }, false), { code: 'usage', message: 'latentDim must be an integer from 1 to 4096, got "0"' });
    expectGenEvalError((): void => void mergeHyperParams(gan, { beta1: '5' }, false), { code: 'usage', message: 'beta1 must be a number in [0, 1), got "5"' });
    expectGenEvalError((): void => void mergeHyperParams(gan, { batchSize: 1025 }, true), {
      code: 'usage',
      message: 'batchSize must be an integer from 1 to 1024 on image data, got "1025"',
    });
    expect(mergeHyperParams(gan, { batchSize: 1024 }, true).batchSize).toBe(1024);
    expect(mergeHyperParams(gan, { batchSize: 5000 }, false).batchSize).toBe(5000);
    expectGenEvalError((): void => void mergeHyperParams(gan, { batchSize: '1e9' }, false), { code: 'usage', message: 'batchSize must be an integer from 1 to 65536, got "1e9"' });
    expectGenEvalError((): void => void mergeHyperParams(gan, { dSteps: '1.5' }, true), { code: 'usage', message: 'dSteps must be an integer from 1 to 20, got "1.5"' });
    expectGenEvalError((): void => void mergeHyperParams(sngan, { powerIterations: '2' }, true), {
      code: 'usage',
      message: 'powerIterations must be an integer from 1 to 1 on image data, got "2"',
    });
  });

  it('refuses unknown names, listing the family’s', () => {
    expectGenEvalError((): void => void mergeHyperParams(gan, { widht: 3 }), {
      code: 'usage',
      message: 'gan has no hyper-parameter "widht"; it has batchSize, lr, beta1, beta2, latentDim, hidden, dSteps, instanceNoise',
    });
  });

  it('checks a resumed run’s recorded values too (an edited config.json)', () => {
    const edited = { ...familyDefaults(gan, false), hidden: 0 };
    expectGenEvalError((): void => void mergeHyperParams(gan, edited, false, true), { code: 'usage', message: 'hidden must be an integer from 1 to 4096, got "0"' });
  });
});

describe('one name for discriminator updates per generator update: dSteps', () => {
  it('every GAN family that repeats D updates calls it dSteps', () => {
    for (const name of ['gan', 'ns-gan', 'cgan', 'wgan', 'wgan-gp', 'sngan']) {
      const f = FAMILIES.find((x) => x.name === name)!;
      expect(Object.keys(f.hyperParams), name).toContain('dSteps');
      expect(Object.keys(f.hyperParams), name).not.toContain('nCritic');
      expect(Object.keys(f.hyperParams), name).not.toContain('nDis');
    }
  });

  it('a former name given with --hp is refused, naming the current one', async () => {
    for (const [model, former] of [
      ['wgan', 'nCritic'],
      ['wgan-gp', 'nCritic'],
      ['sngan', 'nDis'],
    ] as const) {
      const out = join(root, `former-${model}`);
      await expect(trainNew({ model, hp: { [former]: 5 }, steps: 1, out })).rejects.toThrow(`${model} has no hyper-parameter "${former}": it is called dSteps now`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a run whose config.json was written with nCritic resumes and samples under dSteps', { timeout: 60_000 }, async () => {
    const out = join(root, 'old-wgan');
    const opts = { model: 'wgan', backend: 'wasm' as const, hp: { hidden: 8, latentDim: 4, batchSize: 16, dSteps: 3 }, evalEvery: 2, evalSamples: 32, seed: 2 };
    await trainNew({ ...opts, steps: 2, out });
    // The old build's config.json: the same run, its critic steps under their former name.
    const config = JSON.parse(readFileSync(runPaths(out).config, 'utf8')) as { hp: Record<string, unknown> };
    const { dSteps, ...rest } = config.hp;
    config.hp = { ...rest, nCritic: dSteps };
    writeFileSync(runPaths(out).config, JSON.stringify(config));
    const drawn = await sampleRun(out, { n: 8, seed: 1 });
    expect([drawn.rows, drawn.dims, drawn.step]).toEqual([8, 2, 2]);
    await trainResume({ resume: out, steps: 4 });
    // Bit for bit the run trained in one go with dSteps = 3.
    const whole = join(root, 'new-wgan');
    await trainNew({ ...opts, steps: 4, out: whole });
    const arrays = (dir: string) => parseNpz(readFileSync(runPaths(dir).checkpoint(4, 'npz')), 'step 4');
    expect(arrays(out)).toEqual(arrays(whole));
    expect(readRunConfig(out).hp).toMatchObject({ nCritic: 3 });
    await expect(trainResume({ resume: out, steps: 5, hp: { dSteps: 2 } })).rejects.toThrow(/`hp` dSteps=2 contradicts the run's config \(dSteps=3\)/);
  });
});
