/**
 * The TypeScript import graph of the workspace's sources (packages/NAME/src), for tests of its
 * shape: import cycles, and what a command module can reach. Edges come from `ts.preProcessFile`
 * (static imports, re-exports, `import type` and `import()`); a workspace package's specifier
 * (`@gen-eval/metrics/runs`) is followed to the source of its package.json export.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** Per source file (relative to the root): the source files it imports, and the other specifiers (npm packages, node:). */
export type ImportGraph = Map<string, { readonly files: string[]; readonly external: string[] }>;

interface Manifest {
  readonly name: string;
  readonly exports?: Record<string, { readonly default: string } | string>;
}

/** The import graph of `root/packages/PACKAGE/src/**.ts`. */
export function importGraph(root: string): ImportGraph {
  const packages = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'src')));
  const entries = new Map<string, string>(); // `@scope/name/sub` → source file
  for (const p of packages) {
    const manifestPath = join(root, 'packages', p, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    for (const [sub, e] of Object.entries(m.exports ?? {}))
      // Plain-string entries (`"./package.json": "./package.json"`) are files, not modules.
      if (typeof e === 'object') entries.set(`${m.name}${sub.slice(1)}`, join('packages', p, e.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
  }
  const graph: ImportGraph = new Map();
  for (const p of packages) {
    const src = join(root, 'packages', p, 'src');
    for (const name of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const file = join('packages', p, 'src', name);
      const files: string[] = [];
      const external: string[] = [];
      for (const { fileName: spec } of ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles) {
        const local = spec.startsWith('.')
          ? [join(dirname(file), spec.replace(/\.js$/, '.ts')), join(dirname(file), spec, 'index.ts')].find((f) => f.endsWith('.ts') && existsSync(join(root, f)))
          : entries.get(spec);
        if (local !== undefined) files.push(local);
        else external.push(spec);
      }
      graph.set(file, { files, external });
    }
  }
  return graph;
}

/** The import cycles: each strongly connected component of more than one file (or a file importing itself), files sorted. */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so that deep import chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { file: string; i: number }[] = [{ file: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.file)?.files ?? [];
      if (top.i < edges.length) {
        const to = edges[top.i++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, i: 0 });
        } else if (onStack.has(to)) low.set(top.file, Math.min(low.get(top.file)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1]!.file, Math.min(low.get(work[work.length - 1]!.file)!, low.get(top.file)!));
      if (low.get(top.file) !== index.get(top.file)) continue;
      const component: string[] = [];
      let f: string;
      do {
        f = stack.pop()!;
        onStack.delete(f);
        component.push(f);
      } while (f !== top.file);
      if (component.length > 1 || edges.includes(top.file)) cycles.push(component.sort());
    }
  }
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** Every source file reachable from `starts` (themselves included), and every external specifier they import. */
export function reachable(graph: ImportGraph, starts: readonly string[]): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const todo = [...starts];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const node = graph.get(f);
    if (!node) throw new Error(`${f} is not in the import graph`);
    node.external.forEach((e) => external.add(e));
    todo.push(...node.files);
  }
  return { files, external };
}
