/**
 * Runs the built CLI inside the test's own process: the same `main` that `node dist/cli.js` runs,
 * with stdout, stderr and the exit code captured as a spawned run gives them. A spawn costs a node
 * start and the command's imports (mathjs alone ~0.5 s of CPU) every time; in-process they load
 * once per test file. For commands that finish without timers, signals, a cwd or real file
 * descriptors (usage errors, `check`, `eval` on .npy files); each command keeps spawned tests, and
 * cli-in-process.test.ts checks that both runners give the same code, stdout and stderr.
 */
import { fileURLToPath } from 'node:url';
import type { CliRun } from './golden-cli.js';

type Main = (argv: readonly string[]) => Promise<void>;
type Write = typeof process.stdout.write;

const CLI = new URL('../dist/cli.js', import.meta.url);
let loaded: Promise<Main> | undefined;
let busy = false;

/** Imports dist/cli.js without running it (see EMBEDDED there), once per test file. */
function load(): Promise<Main> {
  (globalThis as Record<symbol, unknown>)[Symbol.for('gen-eval.cli.embedded')] = true;
  loaded ??= import(CLI.href).then((m: { main: Main }) => m.main);
  return loaded;
}

/** Replaces `stream.write` by an append to `sink`, and makes the stream a non-terminal (a spawned run's pipe). */
function capture(stream: NodeJS.WriteStream, sink: { text: string }): () => void {
  const write = Object.getOwnPropertyDescriptor(stream, 'write');
  const tty = Object.getOwnPropertyDescriptor(stream, 'isTTY');
  const errorListeners = stream.listeners('error');
  const append = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean => {
    sink.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(() => done(null));
    return true;
  };
  Object.defineProperty(stream, 'write', { value: append as Write, configurable: true, writable: true });
  Object.defineProperty(stream, 'isTTY', { value: undefined, configurable: true, writable: true });
  return () => {
    if (write) Object.defineProperty(stream, 'write', write);
    else delete (stream as { write?: Write }).write;
    if (tty) Object.defineProperty(stream, 'isTTY', tty);
    else delete (stream as { isTTY?: boolean }).isTTY;
    // main adds its stdio 'error' handlers on every call: keep only those that were there before.
    for (const l of stream.listeners('error')) if (!errorListeners.includes(l)) stream.removeListener('error', l as (err: Error) => void);
  };
}

/** Sets the variables of `env` (as a spawn's `{ ...process.env, ...env }`); returns the undo. */
function setEnv(env: Record<string, string>): () => void {
  const before = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Runs `gen-eval …` in this process with extra environment variables; resolves to what a spawned run
 * of the built CLI gives (see cliWith in golden-cli.ts). One call at a time.
 */
export async function cliInProcessWith(opts: { env?: Record<string, string> }, ...args: string[]): Promise<CliRun> {
  const main = await load();
  if (busy) throw new Error('cliInProcess: one call at a time (the process-wide stdout, stderr and exit code are captured)');
  busy = true;
  const out = { text: '' };
  const err = { text: '' };
  const exitCodeBefore = process.exitCode;
  const undo = [capture(process.stdout, out), capture(process.stderr, err), setEnv(opts.env ?? {})];
  process.exitCode = undefined;
  let code: number;
  try {
    await main([process.execPath, fileURLToPath(CLI), ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    // What node does with the rejection of a spawned run's top-level promise: the stack, exit 1.
    err.text += `${(e as Error).stack ?? String(e)}\n`;
    code = 1;
  } finally {
    for (const u of undo) u();
    process.exitCode = exitCodeBefore;
    busy = false;
  }
  return { code, stdout: out.text, stderr: err.text };
}

/** Runs `gen-eval …` in this process (see cliInProcessWith). */
export function cliInProcess(...args: string[]): Promise<CliRun> {
  return cliInProcessWith({}, ...args);
}
