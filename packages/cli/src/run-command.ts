import { GenEvalError, terminalLine, terminalText } from '@gen-eval/metrics/errors';
import { cliMessage } from './cli-wording.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { installSignalCleanup } from './signal-cleanup.js';

/** A command module: its `run` receives commander's arguments. */
export interface CommandModule {
  run(...args: never[]): Promise<void> | void;
}

/**
 * Loads a command module and runs it, turning errors into one line on stderr (untrusted text in it
 * shown escaped: see terminalLine) and an exit code
 * (see {@link exitCodeOf}): 2 for bad input or usage, 3 for anything unexpected (an internal error,
 * including a GenEvalError of code `internal`).
 */
export async function runCommand(load: () => Promise<CommandModule>, ...args: unknown[]): Promise<void> {
  try {
    installSignalCleanup();
    const mod = await load();
    await (mod.run as (...a: unknown[]) => Promise<void> | void)(...args);
  } catch (err) {
    if (err instanceof GenEvalError && err.code !== 'internal') {
      process.stderr.write(`gen-eval: ${terminalLine(cliMessage(err))}\n`);
      process.exitCode = exitCodeOf(err.code);
      return;
    }
    const detail = process.env.GEN_EVAL_DEBUG ? `\n${terminalText((err as Error).stack ?? String(err))}` : ' (set GEN_EVAL_DEBUG=1 for the stack)';
    process.stderr.write(`gen-eval: internal error: ${terminalLine((err as Error).message ?? String(err))}${detail}\n`);
    process.exitCode = err instanceof GenEvalError ? exitCodeOf(err.code) : EXIT.internal;
  }
}
