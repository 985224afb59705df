import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { withTracedOptions } from './traced-request.js';

/** What {@link instrumentOutgoingHttp} installed. */
export interface OutgoingHttpInstrumentation {
  /** Restores `http`/`https` `request` and `get`. Safe to call more than once. */
  uninstall(): void;
}

type Patchable = Record<'request' | 'get', (...args: unknown[]) => unknown>;

let installed: OutgoingHttpInstrumentation | undefined;

/**
 * **Opt-in global patch.** Replaces `http.request`, `http.get`, `https.request` and `https.get`
 * so every outgoing request made through them carries the active trace context — including
 * requests made by libraries you do not call yourself. Prefer {@link tracedRequest} when you
 * own the call sites. Idempotent: while installed, further calls return the same handle. A
 * header already set (by the caller, or by OpenTelemetry's http instrumentation) is kept, so
 * no request carries two `traceparent`s. ESM named imports (`import { request } from
 * 'node:http'`) see the patch too.
 *
 * @example
 * ```ts
 * const outgoing = instrumentOutgoingHttp();
 * // … on shutdown, or in a test's afterAll:
 * outgoing.uninstall();
 * ```
 */
export function instrumentOutgoingHttp(): OutgoingHttpInstrumentation {
  if (installed !== undefined) return installed;
  const restores = [http, https].flatMap((module) => [
    patch(module as unknown as Patchable, 'request'),
    patch(module as unknown as Patchable, 'get'),
  ]);
  syncBuiltinESMExports();
  const handle: OutgoingHttpInstrumentation = {
    uninstall() {
      if (installed !== handle) return;
      installed = undefined;
      for (const restore of restores) restore();
      syncBuiltinESMExports();
    },
  };
  installed = handle;
  return handle;
}

// Returns the restore function. If someone patched over ours since, putting the original back
// would remove their patch too: ours is left in their chain, switched to a pass-through.
function patch(module: Patchable, name: 'request' | 'get'): () => void {
  const original = module[name];
  let active = true;
  const patched = function (this: unknown, ...args: unknown[]): unknown {
    return original.apply(this, active ? withTracedOptions(args) : args);
  };
  module[name] = patched;
  return () => {
    active = false;
    if (module[name] === patched) module[name] = original;
  };
}
