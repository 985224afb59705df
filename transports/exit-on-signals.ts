import { constants } from 'node:os';

/** The signals a process manager or a terminal sends to stop a process. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

const installed = new Map<NodeJS.Signals, () => void>();

/**
 * Makes a stop signal end the process through `process.exit()`, so the transports' exit hooks
 * deliver what they hold. Without a listener, Node dies on SIGTERM at once and the 'exit'
 * hooks never run: every record still in flight is lost. Opt-in, because a listener replaces
 * Node's default action: when the signal comes and the application has a listener of its
 * own, this one does nothing and the application's graceful shutdown stays in charge. The
 * exit code is the shell's 128 + signal number. Idempotent; returns a function that removes
 * the listeners.
 *
 * @example
 * ```ts
 * import { exitOnSignals } from 'tracelink/pino-transport';
 * exitOnSignals(); // SIGTERM from Kubernetes: records are delivered, then the process exits
 * ```
 */
export function exitOnSignals(signals: readonly NodeJS.Signals[] = STOP_SIGNALS): () => void {
  for (const signal of signals) {
    if (installed.has(signal)) continue;
    const listener = (): void => {
      if (process.listenerCount(signal) > 1) return; // the application handles it
      process.exit(128 + (constants.signals[signal] ?? 0));
    };
    installed.set(signal, listener);
    process.on(signal, listener);
  }
  return () => {
    for (const signal of signals) {
      const listener = installed.get(signal);
      if (listener !== undefined) process.removeListener(signal, listener);
      installed.delete(signal);
    }
  };
}
