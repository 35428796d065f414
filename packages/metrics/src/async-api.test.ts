/**
 * Which public functions are async: the README's "Synchronous and asynchronous functions" section
 * lists, per entry, the exported functions and public class methods that return a Promise and
 * those that do not; this checks the lists against the declared return types, so the documented
 * rule cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checker, ENTRIES, PACKAGE_DIR, program } from './api-program.test-helper.js';

const SRC_DIR = `${PACKAGE_DIR}src/`;

function returnsPromise(type: ts.Type): boolean {
  const sigs = type.getCallSignatures();
  return sigs.length > 0 && sigs.every((s) => /^Promise</.test(checker.typeToString(s.getReturnType())));
}

/** Our own public methods (not inherited from Error, not private). */
function methodsOf(className: string, type: ts.Type, out: Map<string, boolean>): void {
  for (const member of type.getProperties()) {
    const decl = member.valueDeclaration ?? member.declarations?.[0];
    if (decl === undefined || !decl.getSourceFile().fileName.startsWith(SRC_DIR)) continue;
    const flags = ts.getCombinedModifierFlags(decl);
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || member.name.startsWith('#')) continue;
    if (!ts.isMethodDeclaration(decl)) continue;
    out.set(`${className}.${member.name}`, returnsPromise(checker.getTypeOfSymbol(member)));
  }
}

/** Exported function or class method → whether it returns a Promise. */
function callablesOf(source: string): Map<string, boolean> {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(source)!)!;
  const out = new Map<string, boolean>();
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Function) out.set(symbol.name, returnsPromise(checker.getTypeOfSymbol(target)));
    if (target.flags & ts.SymbolFlags.Class) {
      methodsOf(symbol.name, checker.getDeclaredTypeOfSymbol(target), out); // instance methods
      methodsOf(symbol.name, checker.getTypeOfSymbol(target), out); // static methods
    }
  }
  return out;
}

/** The README's `async:` and `sync:` lists for an entry (bullet `- \`entry\`` and its sub-bullets). */
function readmeLists(readme: string, entry: string): { async: string[]; sync: string[] } {
  const section = readme.slice(readme.indexOf('## Synchronous and asynchronous functions'));
  const start = section.indexOf(`- \`${entry}\`\n`);
  if (start < 0) return { async: [], sync: [] };
  const rest = section.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => !line.startsWith('  '));
  const body = (end < 0 ? rest : rest.slice(0, end)).join(' ');
  const names = (label: string) => {
    const m = new RegExp(`- ${label}: (.*?)(?= - (?:async|sync):|$)`).exec(body);
    return m === null ? [] : [...m[1]!.matchAll(/`([\w$.]+)`/g)].map((x) => x[1]!).sort();
  };
  return { async: names('async'), sync: names('sync') };
}

describe('sync/async rule', () => {
  const readme = readFileSync(`${PACKAGE_DIR}README.md`, 'utf8');
  it.each(ENTRIES.filter((e) => callablesOf(e.source).size > 0))('$name: README async/sync lists match the return types', ({ name, source }) => {
    const callables = [...callablesOf(source)];
    const lists = readmeLists(readme, name);
    expect(lists.async).toEqual(
      callables
        .filter(([, a]) => a)
        .map(([n]) => n)
        .sort(),
    );
    expect(lists.sync).toEqual(
      callables
        .filter(([, a]) => !a)
        .map(([n]) => n)
        .sort(),
    );
  });
});
