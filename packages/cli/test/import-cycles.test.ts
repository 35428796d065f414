/** No import circle in packages/NAME/src, found over the TypeScript import graph (./import-graph.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'gen-eval-cycles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a small workspace under the scratch folder: path → content. */
function workspace(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import cycles', () => {
  it('packages/*/src has none', () => {
    const graph = importGraph(ROOT);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph)).toEqual([]);
  });

  it('(control) are found through type imports, re-exports, index files and package exports', () => {
    const root = workspace('cyclic', {
      'packages/a/package.json': JSON.stringify({ name: '@x/a', exports: { '.': { default: './dist/index.js' }, './sub': { default: './dist/sub.js' } } }),
      'packages/a/src/index.ts': "export * from './one.js';",
      'packages/a/src/one.ts': "import type { T } from './two.js';\nexport const one = 1;",
      'packages/a/src/two.ts': "export type T = number;\nexport { one } from './one.js';",
      'packages/a/src/sub.ts': "import { b } from '@x/b';\nexport const sub = b;",
      'packages/a/src/self.ts': "import './self.js';",
      'packages/a/src/leaf.ts': "import { readFileSync } from 'node:fs';\nimport '@x/a';",
      'packages/b/package.json': JSON.stringify({ name: '@x/b', exports: { '.': { default: './dist/index.js' } } }),
      'packages/b/src/index.ts': "export { b } from './b/index.js';",
      'packages/b/src/b/index.ts': "export const b = await import('@x/a/sub');",
    });
    const s = (p: string, f: string) => join('packages', p, 'src', f);
    expect(importCycles(importGraph(root))).toEqual([[s('a', 'one.ts'), s('a', 'two.ts')], [s('a', 'self.ts')], [s('a', 'sub.ts'), s('b', 'b/index.ts'), s('b', 'index.ts')]]);
  });
});
