/**
 * A family's behaviour lives in its own file and its declaration (condition.ts): no code elsewhere
 * branches on a family's name. The check is on comparisons with a name (`=== 'cgan'`, `case
 * 'cyclegan':`), not on mentions: help texts, examples and the demo's list of runs may name families.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAMILY_NAMES } from './catalog.js';

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The .ts files under `dir`, tests and test helpers left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.test(-helper)?\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const names = FAMILY_NAMES.map((n) => n.replace(/-/g, '\\-')).join('|');
const literal = `(['"\`])(?:${names})\\1`;
/** A comparison with a family name, either way round, or a switch case on one. */
const BRANCH = new RegExp(`(?:===|!==)\\s*${literal}|${literal.replace('\\1', '\\2')}\\s*(?:===|!==)|\\bcase\\s+${literal.replace('\\1', '\\3')}\\s*:`);

/** Lines of code that branch on a family name (comments stripped). */
function branchesOnNames(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return code.split('\n').filter((l) => BRANCH.test(l));
}

describe('no code outside a family’s own file branches on its name', () => {
  it('finds such a branch where there is one', () => {
    expect(branchesOnNames('if (config.model === \'cyclegan\') return;\nswitch (m) {\n  case "cgan":\n}\n')).toHaveLength(2);
    expect(branchesOnNames("const x = 'gan' !== y;")).toHaveLength(1);
    expect(branchesOnNames("// model === 'cgan' in a comment\nhelp('cgan: the class')\nconst kind = 'none';")).toEqual([]);
  });

  it('packages/*/src, family modules and the catalog aside, have none', () => {
    const found: string[] = [];
    let scanned = 0;
    for (const pkg of readdirSync(PACKAGES)) {
      let files: string[];
      try {
        files = sources(join(PACKAGES, pkg, 'src'));
      } catch {
        continue; // not a package with sources
      }
      for (const file of files) {
        const rel = relative(PACKAGES, file);
        if (rel.startsWith(join('models', 'src', 'families')) || rel === join('models', 'src', 'catalog.ts')) continue;
        scanned++;
        for (const line of branchesOnNames(readFileSync(file, 'utf8'))) found.push(`${rel}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
    // Every package's sources were read (a wrong root would find nothing, and pass).
    expect(scanned).toBeGreaterThan(100);
  });
});
