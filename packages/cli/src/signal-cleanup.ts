/**
 * The CLI owns the process: while the metrics library has temporary cache entries in flight,
 * SIGINT, SIGTERM and SIGHUP remove them ({@link cleanupTemps}) and then end the process by the
 * signal itself (a shell reports 128 + its number: 130, 143, 129). Until the first temporary entry
 * the signals keep their default behaviour (an immediate end, even inside a long computation).
 */
import { cleanupTemps, whenTempsTracked } from '@gen-eval/metrics';

/** The signals that end a command, with the exit status a shell reports for each. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const satisfies Partial<Record<NodeJS.Signals, number>>;

type ExitSignal = keyof typeof SIGNAL_EXIT;

const handlers = new Map<ExitSignal, () => void>();

function onSignal(sig: ExitSignal): void {
  cleanupTemps();
  // A command with its own handler (train checkpoints on SIGINT) decides itself how to stop.
  if (process.listenerCount(sig) > 1) return;
  // Re-raised with the default action rather than process.exit(): exit() runs Node's teardown at
  // whatever point the run is in (it joins the worker threads, the libuv pool and V8's compiler
  // threads), and that join can block for good (nodejs/node#54918), leaving an interrupted process
  // that never ends. The kernel's default action cannot hang, and the parent sees the signal.
  process.off(sig, handlers.get(sig)!);
  process.kill(process.pid, sig);
}

/**
 * Installs the handlers once the library tracks its first temporary entry. The handlers stay:
 * removing them between two entries would let a signal in that gap end the process by default.
 */
export function installSignalCleanup(): void {
  whenTempsTracked(() => {
    for (const sig of Object.keys(SIGNAL_EXIT) as ExitSignal[]) {
      const handler = () => onSignal(sig);
      handlers.set(sig, handler);
      process.on(sig, handler);
    }
  });
}
