/**
 * The public API: every symbol an entry of package.json's `exports` gives has JSDoc, and the
 * package README lists exactly these symbols under the entry's heading (so the list cannot drift).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checker, ENTRIES, PACKAGE_DIR, program } from './api-program.test-helper.js';

/**
 * Exported symbols allowed to lack JSDoc: none. Kept as a hook so that a known gap can be listed
 * explicitly (the test fails if one gains JSDoc but stays listed, or if a new export comes without).
 */
const TYPES_WITHOUT_JSDOC = new Set<string>([]);

/** The exported names of an entry, and those whose declaration has no JSDoc text. */
function exportsOf(source: string): { names: string[]; undocumented: string[] } {
  const file = program.getSourceFile(source);
  if (file === undefined) throw new Error(`${source} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (moduleSymbol === undefined) throw new Error(`${source} is not a module`);
  const names: string[] = [];
  const undocumented: string[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    names.push(symbol.name);
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '') undocumented.push(symbol.name);
  }
  return { names: names.sort(), undocumented: undocumented.sort() };
}

/** The backticked names listed in the README section `### <entry>` (up to the next heading). */
function readmeList(readme: string, entry: string): string[] {
  const start = readme.indexOf(`### \`${entry}\``);
  if (start < 0) return [];
  const rest = readme.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => line.startsWith('#'));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n');
  // The list is the paragraph after the entry's one-line description: `name`, `name`, …
  const listed = body.split('\n').filter((line) => line.startsWith('`'));
  return [...listed.join(' ').matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).sort();
}

describe('public API', () => {
  const readme = readFileSync(`${PACKAGE_DIR}README.md`, 'utf8');
  it.each(ENTRIES)('$name: every export has JSDoc and is listed in the README', ({ name, source }) => {
    const { names, undocumented } = exportsOf(source);
    expect(names.length).toBeGreaterThan(0);
    expect(undocumented.filter((n) => !TYPES_WITHOUT_JSDOC.has(n))).toEqual([]);
    expect(readmeList(readme, name)).toEqual(names);
  });

  it('lists only types that still lack JSDoc as exceptions', () => {
    const undocumented = new Set(ENTRIES.flatMap((e) => exportsOf(e.source).undocumented));
    expect([...TYPES_WITHOUT_JSDOC].filter((n) => !undocumented.has(n))).toEqual([]);
  });

  it('keeps internals and test support out of the main entry', () => {
    const main = exportsOf(ENTRIES.find((e) => e.name === '@gen-eval/metrics')!.source).names;
    for (const internal of [
      'lambertWExp',
      'forEachDistanceTile',
      'gemmABSync',
      'INCEPTION_CONVS',
      'createProgress',
      'EXIT',
      'encodeLegacyPth',
      'syntheticInceptionStateDict',
      'decodeImage',
      'createSession',
    ]) {
      expect(main).not.toContain(internal);
    }
  });
});
