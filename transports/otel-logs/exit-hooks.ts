/** What runs when the process is about to end. */
export interface ExitHook {
  /** The event loop is empty (a natural end): may start async work, which delays the exit. */
  beforeExit?(): void;
  /** The process exits now (`process.exit()` or the natural end): synchronous work only. */
  exit?(): void;
}

const hooks = new Set<ExitHook>();
let installed = false;

function runBeforeExit(): void {
  for (const hook of [...hooks]) hook.beforeExit?.();
}

function runExit(): void {
  for (const hook of [...hooks]) hook.exit?.();
}

/**
 * Runs `hook` at the process's end until the returned function is called. One pair of
 * `process` listeners serves every hook: an app may make many loggers (and tests many more)
 * without Node's listener-leak warning.
 *
 * @example
 * ```ts
 * const remove = onProcessExit({ exit: () => reportHeld() });
 * ```
 */
export function onProcessExit(hook: ExitHook): () => void {
  if (!installed) {
    installed = true;
    process.on('beforeExit', runBeforeExit);
    process.on('exit', runExit);
  }
  hooks.add(hook);
  return () => void hooks.delete(hook);
}
