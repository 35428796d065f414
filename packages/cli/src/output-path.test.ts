import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { GenEvalError } from '@gen-eval/metrics/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputs, realOutputPath, type OutputSpec } from './output-path.js';

const dir = mkdtempSync(join(tmpdir(), 'output-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = join(dir, 'run');
mkdirSync(join(run, 'samples'), { recursive: true });
writeFileSync(join(run, 'config.json'), '{}');
const result = join(dir, 'result.json');
writeFileSync(result, '{}');
mkdirSync(join(dir, 'sub'));
const elsewhere = join(dir, 'elsewhere', 'deep');
mkdirSync(elsewhere, { recursive: true });
symlinkSync(elsewhere, join(dir, 'sub', 'jump'));
symlinkSync(result, join(dir, 'result-link.json'));
symlinkSync(run, join(dir, 'run-link'));
linkSync(result, join(dir, 'result-hard.json'));

/** The one-line message checkOutputs throws, or undefined when it accepts. */
function refusal(inputs: (string | undefined)[], ...outputs: OutputSpec[]): string | undefined {
  try {
    checkOutputs({ inputs, outputs });
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(GenEvalError);
    expect((err as GenEvalError).code).toBe('bad_input');
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
}
const o = (path: string, option = '-o'): OutputSpec => ({ path, option });

describe('realOutputPath', () => {
  it('resolves `..` after a symlinked folder from its target, as the kernel does', () => {
    // sub/jump → elsewhere/deep, so sub/jump/../x is elsewhere/x (path.resolve would say sub/x).
    expect(realOutputPath(`${dir}/sub/jump/../x`)).toBe(join(dir, 'elsewhere', 'x'));
    writeFileSync(join(dir, 'elsewhere', 'y'), '');
    expect(realOutputPath(`${dir}/sub/jump/../y`)).toBe(join(dir, 'elsewhere', 'y'));
  });

  it('keeps the missing tail of a path below its nearest existing folder', () => {
    expect(realOutputPath(join(dir, 'run-link', 'new', 'a.html'))).toBe(join(run, 'new', 'a.html'));
  });

  it('is the same for every spelling of one file (./, a/.., a symlink, relative to the working folder)', () => {
    const spell = fc.constantFrom(
      result,
      join(dir, '.', 'result.json'),
      join(dir, 'sub') + '/../result.json',
      join(dir, 'run') + '/samples/../../result.json',
      join(dir, 'result-link.json'),
      relative(process.cwd(), result),
    );
    fc.assert(fc.property(spell, spell, (a, b) => realOutputPath(a) === realOutputPath(b)));
  });
});

describe('checkOutputs', () => {
  it('refuses an output that is an input, however it is spelled', () => {
    expect(refusal([run, result], o(result))).toBe(`${result}: cannot write: -o would replace the input ${result}; write it elsewhere`);
    expect(refusal([result], o(join(dir, 'sub') + '/../result.json'))).toMatch(/would replace the input/);
    expect(refusal([result], o(join(dir, 'result-link.json')))).toMatch(/would replace the input/);
    expect(refusal([join(dir, 'result-link.json')], o(result))).toMatch(/would replace the input/);
  });

  it('refuses an output inside an input folder, existing or not yet, through a symlink too', () => {
    expect(refusal([run], o(join(run, 'config.json')))).toBe(
      `${join(run, 'config.json')}: cannot write: -o lies inside the input folder ${run}, which must not change; write it elsewhere`,
    );
    expect(refusal([run], o(join(run, 'samples', 'step-1.npy')))).toMatch(/inside the input folder/);
    expect(refusal([run], o(join(run, 'report.html')))).toMatch(/inside the input folder/);
    expect(refusal([join(dir, 'run-link')], o(join(run, 'report.html')))).toMatch(/inside the input folder/);
    expect(refusal([run], { path: run, option: '-o', kind: 'dir' })).toMatch(/would replace the input/);
  });

  it('accepts a sibling whose name merely starts like the input folder', () => {
    expect(refusal([run], o(join(dir, 'run.html')))).toBeUndefined();
    expect(refusal([run, result], o(join(dir, 'runs-report.html')))).toBeUndefined();
  });

  it('refuses two outputs that are one file, naming both options', () => {
    const page = join(dir, 't.html');
    expect(refusal([run], o(page), o(`${dir}/./t.html`, '--csv'))).toBe(`${dir}/./t.html: cannot write: -o and --csv name the same file; give each its own`);
    expect(refusal([run], o(page), o(join(dir, 't.csv'), '--csv'), o(join(dir, 't.rows.csv'), '--csv-rows'))).toBeUndefined();
  });

  it('lets devices repeat and meet inputs: they are written in place, never replaced', () => {
    expect(refusal(['/dev/stdin', result], o('/dev/null'), o('/dev/null', '--csv'), o('/dev/stdout', '--csv-rows'))).toBeUndefined();
    expect(refusal(['/dev/null'], o('/dev/null'))).toBeUndefined();
  });

  it('accepts a hard link to an input (writing replaces the name, the input keeps its content), and ignores absent inputs', () => {
    expect(refusal([result, undefined], o(join(dir, 'result-hard.json')))).toBeUndefined();
  });

  it('compares with an input that does not exist (its error comes when it is read)', () => {
    expect(refusal([join(dir, 'missing.json')], o(join(dir, 'missing.json')))).toMatch(/would replace the input/);
  });

  it('still checks that the folder exists before comparing', () => {
    expect(refusal([result], o(join(dir, 'nowhere', 'x.html')))).toMatch(/cannot write: the folder .*nowhere does not exist/);
  });
});
