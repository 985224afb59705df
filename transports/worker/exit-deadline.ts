import { BroadcastChannel } from 'node:worker_threads';

// Every tracelink transport worker of a process listens here (BroadcastChannel reaches every
// thread of the process, and no other process).
const CHANNEL_NAME = 'tracelink:exit-deadline';

type Listener = (deadline: number) => void;

let channel: BroadcastChannel | undefined;
let deadline: number | undefined;
const listeners = new Set<Listener>();

function adopt(announced: number): void {
  if (deadline !== undefined && deadline <= announced) return;
  deadline = announced;
  for (const listener of listeners) listener(announced);
}

function open(): BroadcastChannel {
  if (channel !== undefined) return channel;
  channel = new BroadcastChannel(CHANNEL_NAME);
  // Listening must never keep a worker, or the process, alive.
  channel.unref();
  channel.onmessage = (event: unknown) => {
    const announced = Number((event as { data?: unknown }).data);
    if (Number.isFinite(announced)) adopt(announced);
  };
  return channel;
}

/**
 * The process's one exit deadline, shared by every tracelink transport in it. A process
 * ends its transports one after another (pino's and the winston transport's exit hooks each
 * wait for their worker), so budgets taken one per transport would add up: 20 loggers with a
 * 5 s budget each would hold a container's shutdown for 100 s, past its grace period. The
 * first transport to close sets the deadline and announces it to every other transport
 * worker of the process, which start delivering at once and, when their own end comes, keep
 * to that deadline.
 *
 * @example
 * ```ts
 * const stop = onExitDeadline((deadline) => void pipeline.flushUntil(deadline));
 * const deadline = beginExit(Date.now() + budgetMillis); // at close
 * ```
 */
export function onExitDeadline(listener: Listener): () => void {
  open();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Starts (or joins) the process's exit: returns the earlier of `ownDeadline` and a deadline
 * already announced, and announces it when it is the first.
 */
export function beginExit(ownDeadline: number): number {
  const shared = open();
  if (deadline !== undefined && deadline <= ownDeadline) return deadline;
  adopt(ownDeadline);
  try {
    shared.postMessage(ownDeadline);
  } catch {
    // A closed channel: this transport still keeps to its own deadline.
  }
  return ownDeadline;
}
