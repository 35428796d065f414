/**
 * A node option that makes modules absent: every import or require whose specifier or resolved
 * path matches `pattern` fails (as if the package were not installed) and is named on stderr with
 * the line `forbidden module: <specifier>`. Passed in NODE_OPTIONS to a child process, it shows
 * that a command or entry runs without, say, TensorFlow installed — and a lazy import swallowed by
 * a try/catch still leaves its line on stderr.
 */
const dataUrl = (source: string) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;

/** `--import=data:…`: the preload (base64, so NODE_OPTIONS needs no quoting) that forbids `pattern`. */
export function forbidModulesOption(pattern: RegExp): string {
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).toString();
  const refuse = `(what) => { writeSync(2, 'forbidden module: ' + what + '\\n'); const e = new Error('Cannot find module ' + what + ' (forbidden)'); e.code = 'MODULE_NOT_FOUND'; throw e; }`;
  // ES modules resolve in a hooks thread; CommonJS requires go through Module._resolveFilename.
  // The line is written synchronously: Node 24 runs the hooks in a worker whose process.stderr is
  // flushed through the main thread, too late when the refused import ends the process.
  const hooks = `import { writeSync } from 'node:fs';
const refuse = ${refuse};
export async function resolve(specifier, context, next) {
  if (${re}.test(specifier)) refuse(specifier);
  const r = await next(specifier, context);
  if (${re}.test(r.url)) refuse(specifier);
  return r;
}`;
  const preload = `import { writeSync } from 'node:fs';
import { register, Module } from 'node:module';
const refuse = ${refuse};
register(${JSON.stringify(dataUrl(hooks))});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (${re}.test(request)) refuse(request);
  const path = resolveFilename.call(this, request, ...rest);
  if (${re}.test(path)) refuse(request);
  return path;
};`;
  return `--import=${dataUrl(preload)}`;
}
