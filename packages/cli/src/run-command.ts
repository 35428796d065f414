import { GenEvalError } from '@gen-eval/metrics/errors';

/** A command module: its `run` receives commander's arguments. */
export interface CommandModule {
  run(...args: never[]): Promise<void> | void;
}

/**
 * Loads a command module and runs it, turning errors into one line on stderr and an exit code:
 * 2 for bad input or usage (GenEvalError), 3 for anything unexpected (an internal error).
 */
export async function runCommand(load: () => Promise<CommandModule>, ...args: unknown[]): Promise<void> {
  try {
    const mod = await load();
    await (mod.run as (...a: unknown[]) => Promise<void> | void)(...args);
  } catch (err) {
    if (err instanceof GenEvalError) {
      process.stderr.write(`gen-eval: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    const detail = process.env.GEN_EVAL_DEBUG ? `\n${(err as Error).stack ?? String(err)}` : ' (set GEN_EVAL_DEBUG=1 for the stack)';
    process.stderr.write(`gen-eval: internal error: ${(err as Error).message ?? String(err)}${detail}\n`);
    process.exitCode = 3;
  }
}
