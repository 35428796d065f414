/**
 * The CLI owns the process: while the metrics library has temporary cache entries in flight,
 * SIGINT, SIGTERM and SIGHUP remove them ({@link cleanupTemps}) and end the process with the
 * shell's code for the signal (128 + its number: 130, 143, 129). Until the first temporary entry
 * the signals keep their default behaviour (an immediate end, even inside a long computation).
 */
import { cleanupTemps, whenTempsTracked } from '@gen-eval/metrics';

/** The signals that end a command, with the exit status a shell reports for each. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const satisfies Partial<Record<NodeJS.Signals, number>>;

function onSignal(sig: keyof typeof SIGNAL_EXIT): void {
  cleanupTemps();
  // A command with its own handler (train checkpoints on SIGINT) decides itself how to stop.
  if (process.listenerCount(sig) > 1) return;
  process.exit(SIGNAL_EXIT[sig]);
}

/**
 * Installs the handlers once the library tracks its first temporary entry. The handlers stay:
 * removing them between two entries would let a signal in that gap end the process by default.
 */
export function installSignalCleanup(): void {
  whenTempsTracked(() => {
    for (const sig of Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]) process.on(sig, () => onSignal(sig));
  });
}
