import type { Context } from '@opentelemetry/api';

/**
 * Where `captureTraceContext` stores the context that was active at the log call, on the
 * record itself. `Symbol.for`, so the ESM and CommonJS builds (and the OTLP transports) agree.
 */
export const CAPTURED_CONTEXT: unique symbol = Symbol.for('tracelink.captured-context') as never;

/** A record that may carry the context captured at its log call. */
export interface ContextCarrier {
  [CAPTURED_CONTEXT]?: Context;
}

/** The context captured for `record` at its log call, if any. */
export function capturedContextOf(record: object): Context | undefined {
  return (record as ContextCarrier)[CAPTURED_CONTEXT];
}

// Past this many links, a lookup walks too far: the chain is copied into the base context.
const MAX_DEPTH = 8;
const DELETED = Symbol('tracelink.deleted');

/**
 * An OpenTelemetry `Context` that records each `setValue`/`deleteValue` as one small link to
 * the context it came from, instead of copying every entry into a new Map as the API's
 * context does. A traced request derives 3–4 contexts in a row (the extracted parent, its
 * baggage, the request's own span, the request id), each read a few times; the API's copies
 * (a Map and three closures each) were the largest item in the CPU profile of a request start
 * (`npm run bench -- http` measures the request start as a whole). Lookups walk at most
 * {@link MAX_DEPTH} links; a longer chain is folded into the base context once. Immutable, as
 * every `Context` is.
 *
 * @example
 * ```ts
 * const base = new LinkedContext(context.active());
 * const ctx = propagation.extract(base, req.rawHeaders, rawHeaderGetter); // links, no copies
 * ```
 */
export class LinkedContext implements Context {
  readonly #parent: Context;
  readonly #key: symbol | undefined;
  readonly #value: unknown;
  readonly #depth: number;

  /** A context with the same values as `base`, whose derived contexts are links. */
  constructor(base: Context);
  constructor(base: Context, key?: symbol, value?: unknown, depth?: number) {
    this.#parent = base;
    this.#key = key;
    this.#value = value;
    this.#depth = depth ?? 0;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain from here
    let link: LinkedContext = this;
    for (;;) {
      if (link.#key === key) return link.#value === DELETED ? undefined : link.#value;
      const parent = link.#parent;
      if (!(parent instanceof LinkedContext)) return parent.getValue(key);
      link = parent;
    }
  }

  setValue(key: symbol, value: unknown): Context {
    return this.#link(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.#link(key, DELETED);
  }

  #link(key: symbol, value: unknown): LinkedContext {
    if (this.#depth < MAX_DEPTH) return new Link(this, key, value, this.#depth + 1);
    return new Link(new LinkedContext(this.#fold()), key, value, 1);
  }

  // The base context with every link applied, oldest first: what the API's contexts would
  // have been.
  #fold(): Context {
    const links: LinkedContext[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain from here
    let base: Context = this;
    while (base instanceof LinkedContext) {
      links.push(base);
      base = base.#parent;
    }
    for (let i = links.length - 1; i >= 0; i--) {
      const key = links[i].#key;
      if (key === undefined) continue;
      const value = links[i].#value;
      base = value === DELETED ? base.deleteValue(key) : base.setValue(key, value);
    }
    return base;
  }
}

// The four-argument constructor, kept off the public signature.
const Link = LinkedContext as unknown as new (
  parent: Context,
  key: symbol,
  value: unknown,
  depth: number,
) => LinkedContext;
