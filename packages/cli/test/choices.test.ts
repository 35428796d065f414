/**
 * The CLI's choices are the library's: the options accept, and the help lists, exactly the
 * families, data sets, image sizes and backends the models package has, and `--version` is the
 * package's (so a new family or data set cannot be missing from the command line).
 */
import { readFileSync } from 'node:fs';
import { BACKEND_ORDER, CONDITION_OPTIONS, DATASET_NAMES, DEFAULT_IMAGE_SIZE, FAMILIES, FASHION_MNIST_DIR, IMAGE_SIZES } from '@gen-eval/models';
import { describe, expect, it } from 'vitest';
import { cli } from './golden-cli.js';

/** The help text of `train`, every run of white space (wrapping, alignment) one space. */
function trainHelp(): string {
  const r = cli('train', '--help');
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
}

describe('choices come from the library', () => {
  it('--version is the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(cli('--version').stdout.trim()).toBe(version);
  });

  it('train --help lists every family, data set, image size and backend, in the library order', () => {
    const help = trainHelp();
    expect(/--model <name> model family: (.*?) \(see --list\)/.exec(help)?.[1]?.split(', ')).toEqual(FAMILIES.map((f) => f.name));
    expect(/--data <name> data set: (.*?), FILE\.npy/.exec(help)?.[1]?.split(', ')).toEqual(DATASET_NAMES);
    const sizes = IMAGE_SIZES.map(String);
    expect(help).toContain(`sees, ${sizes.slice(0, -1).join(', ')} or ${sizes.at(-1)} (default ${DEFAULT_IMAGE_SIZE};`);
    expect(help).toContain(`(default ${FASHION_MNIST_DIR},`);
    expect(/--backend <backend> TensorFlow\.js backend \(auto: (.*?)\) \(choices: (.*?)\)/.exec(help)?.slice(1)).toEqual([
      BACKEND_ORDER.join(' → '),
      ['auto', ...BACKEND_ORDER].map((b) => `"${b}"`).join(', '),
    ]);
  });

  it('--image-size takes every size of the library and nothing else', () => {
    for (const size of IMAGE_SIZES) {
      // --list ignores the other options: the size is only parsed.
      const r = cli('train', '--list', '--json', '--image-size', String(size));
      expect(r.code, r.stderr).toBe(0);
    }
    const r = cli('train', '--list', '--image-size', String(Math.max(...IMAGE_SIZES) * 2));
    expect([r.code, r.stderr]).toEqual([
      2,
      `gen-eval: --image-size must be ${IMAGE_SIZES.slice(0, -1).join(', ')} or ${IMAGE_SIZES.at(-1)}, got "${Math.max(...IMAGE_SIZES) * 2}" (see --help)\n`,
    ]);
  });

  it("sample offers a condition option exactly when a family's declared condition takes it, naming those families", () => {
    const r = cli('sample', '--help');
    expect(r.code, r.stderr).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const [kind, options] of Object.entries(CONDITION_OPTIONS)) {
      const families = FAMILIES.filter((f) => f.condition.kind === kind).map((f) => f.name);
      for (const option of options) {
        const offered = new RegExp(`--${option} <[a-z]+> ${families.join(', ')}: `);
        if (families.length) expect(help).toMatch(offered);
        else expect(help).not.toContain(`--${option} `);
      }
    }
  });
});
