/**
 * The package's public entries and one TypeScript program over their sources, shared by the tests
 * that read the API from the declarations (public-api.test.ts: JSDoc and README lists;
 * async-api.test.ts: which functions return a Promise).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The package folder, with a trailing slash. */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

const manifest = JSON.parse(readFileSync(`${PACKAGE_DIR}package.json`, 'utf8')) as { exports: Record<string, string | { types: string }> };

/**
 * Entry name (`@gen-eval/metrics/images`) → its source file, for every code entry of package.json's
 * `exports` (those with `types`; `./package.json` is data).
 */
export const ENTRIES = Object.entries(manifest.exports).flatMap(([sub, target]) =>
  typeof target === 'string'
    ? []
    : [{ name: `@gen-eval/metrics${sub === '.' ? '' : sub.slice(1)}`, source: `${PACKAGE_DIR}${target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}` }],
);

/** One program over every entry's source, compiled as the package is. */
export const program = ts.createProgram(
  ENTRIES.map((e) => e.source),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
);

/** The program's type checker. */
export const checker = program.getTypeChecker();
