import { propagation } from '@opentelemetry/api';
import type {
  Baggage,
  BaggageEntry,
  Context,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { reportProblem } from '../core/report-problem.js';

/**
 * The API's own baggage, made from `readEntries` when something first reads it: most requests
 * carry baggage that nothing in the service reads, and reading the entries and making the
 * API's baggage (entries to a Map) measured ~1 µs of a request's tracing start in the
 * server's CPU profile.
 *
 * @example
 * ```ts
 * propagation.setBaggage(ctx, new DeferredBaggage(() => ({ tenant: { value: 'acme' } })));
 * ```
 */
export class DeferredBaggage implements Baggage {
  #readEntries: (() => Record<string, BaggageEntry>) | undefined;
  #baggage: Baggage | undefined;

  constructor(readEntries: () => Record<string, BaggageEntry>) {
    this.#readEntries = readEntries;
  }

  getEntry(key: string): BaggageEntry | undefined {
    return this.#made().getEntry(key);
  }

  getAllEntries(): [string, BaggageEntry][] {
    return this.#made().getAllEntries();
  }

  setEntry(key: string, entry: BaggageEntry): Baggage {
    return this.#made().setEntry(key, entry);
  }

  removeEntry(key: string): Baggage {
    return this.#made().removeEntry(key);
  }

  removeEntries(...keys: string[]): Baggage {
    return this.#made().removeEntries(...keys);
  }

  clear(): Baggage {
    return this.#made().clear();
  }

  #made(): Baggage {
    if (this.#baggage === undefined) {
      this.#baggage = propagation.createBaggage(this.#readEntries?.());
      this.#readEntries = undefined; // made once; what it held can go
    }
    return this.#baggage;
  }
}

const BAGGAGE_HEADER = 'baggage';
// Past these, OpenTelemetry's parser decides (W3C Baggage §3.3.2: 64 members must be
// propagated, 8,192 bytes in all; OpenTelemetry keeps up to 180 members, 4,096 bytes each).
const MAX_MEMBERS = 64;
const MAX_LENGTH = 8192;
const MAX_MEMBER_LENGTH = 4096;

/**
 * The W3C Baggage propagator (`baggage`): OpenTelemetry's `W3CBaggagePropagator`, with a fast
 * path for the common header — `key=value` members of plain token characters — which it reads
 * in one pass, to the same baggage OpenTelemetry's parser makes of it (a property test checks
 * that). Anything else (percent-encoding, properties, whitespace, limits reached) goes to
 * OpenTelemetry's parser unchanged. Measured with `npm run bench -- http` (its extraction table).
 * Injection writes only what the W3C grammar allows: OpenTelemetry writes a member's metadata
 * (`k=v;metadata`) as it was received, so metadata that is not a list of W3C properties (a CR
 * LF, a NUL, non-ASCII) is dropped with a `diag` message, and a member whose key or value is not
 * well-formed UTF-16 is dropped — either would make `fetch` or `http.request` throw.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(new BaggagePropagator());
 * ```
 */
export class BaggagePropagator implements TextMapPropagator {
  readonly #w3c = new W3CBaggagePropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#w3c.inject(withSendableBaggage(context), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, BAGGAGE_HEADER);
    if (header === undefined || header === '') return context;
    if (typeof header === 'string') {
      const members = countPlainMembers(header);
      if (members === 0) return context;
      if (members !== undefined) {
        return propagation.setBaggage(
          context,
          new DeferredBaggage(() => readPlainBaggage(header) ?? {}),
        );
      }
    }
    return this.#w3c.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.#w3c.fields();
  }
}

/**
 * The members of a baggage header made only of token characters, `=` and `,` (nothing to
 * trim, decode or split off as properties); `null` when it has no member; `undefined` when
 * it needs OpenTelemetry's full parser. Skips what that parser skips (empty members, members
 * without a key or value) and lets a repeated key's last value win, as it does.
 *
 * @example
 * ```ts
 * readPlainBaggage('tenant=acme,region=eu'); // { tenant: { value: 'acme' }, region: { value: 'eu' } }
 * ```
 */
export function readPlainBaggage(header: string): Record<string, BaggageEntry> | null | undefined {
  const entries: Record<string, BaggageEntry> = {};
  const count = scanPlainBaggage(header, (key, value) => (entries[key] = { value }));
  return count === undefined ? undefined : count === 0 ? null : entries;
}

/**
 * How many members {@link readPlainBaggage} would read, without reading them (no strings
 * sliced, no entries made): what a request pays when nothing reads its baggage.
 */
function countPlainMembers(header: string): number | undefined {
  return scanPlainBaggage(header);
}

function scanPlainBaggage(
  header: string,
  onMember?: (key: string, value: string) => void,
): number | undefined {
  if (header.length > MAX_LENGTH || !isPlain(header)) return undefined;
  let count = 0;
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(',', start);
    if (end === -1) end = header.length;
    if (end - start > MAX_MEMBER_LENGTH) return undefined;
    const equals = header.indexOf('=', start);
    if (equals > start && equals < end - 1) {
      if (count === MAX_MEMBERS) return undefined;
      // A `__proto__` key would set the prototype of the entries object: left to OpenTelemetry.
      if (equals - start === PROTO.length && header.startsWith(PROTO, start)) return undefined;
      onMember?.(header.slice(start, equals), header.slice(equals + 1, end));
      count++;
    }
    start = end + 1;
  }
  return count;
}

const PROTO = '__proto__';

// RFC 9110 `tchar` (what a baggage key may be), plus `=` and `,`: no `%` (nothing to decode),
// no `;` (no properties), no whitespace (nothing to trim).
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 || PLAIN[code] !== 1) return false;
  }
  return true;
}

const PLAIN = new Uint8Array(128);
for (const char of "!#$&'*+-.^_`|~=,") PLAIN[char.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) PLAIN[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) PLAIN[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) PLAIN[code] = 1;

const WHERE_INJECT = 'injecting baggage';

// `ctx` itself when every member can be written as it is (the common case: nothing copied),
// else `ctx` with a baggage of the members that can, metadata dropped where it is invalid.
function withSendableBaggage(ctx: Context): Context {
  const baggage = propagation.getBaggage(ctx);
  if (baggage === undefined) return ctx;
  const entries = baggage.getAllEntries();
  if (entries.every(isSendable)) return ctx;
  const kept: Record<string, BaggageEntry> = {};
  for (const [key, entry] of entries) {
    if (!isWellFormed(key) || !isWellFormed(entry.value)) {
      reportProblem(WHERE_INJECT, 'dropped a member that is not well-formed UTF-16');
    } else if (entry.metadata !== undefined && !isPropertyList(entry.metadata.toString())) {
      reportProblem(WHERE_INJECT, 'dropped metadata that is not a list of W3C baggage properties');
      kept[key] = { value: entry.value };
    } else {
      kept[key] = entry;
    }
  }
  return propagation.setBaggage(ctx, propagation.createBaggage(kept));
}

function isSendable([key, entry]: [string, BaggageEntry]): boolean {
  return (
    isWellFormed(key) &&
    isWellFormed(entry.value) &&
    (entry.metadata === undefined || isPropertyList(entry.metadata.toString()))
  );
}

// W3C Baggage §3.3.1: `property = key OWS [ "=" OWS value ]`, properties separated by
// `OWS ";" OWS`; key a token, value baggage-octets (printable ASCII but `"` `,` `;` `\\`).
const PROPERTY =
  /^[\t ]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+[\t ]*(?:=[\t ]*[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*[\t ]*)?$/;

function isPropertyList(metadata: string): boolean {
  return metadata.split(';').every((property) => PROPERTY.test(property));
}

// A lone surrogate makes encodeURIComponent throw (String#isWellFormed is ES2024).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Only a string with a surrogate at all needs the regular expression.
    if (code >= 0xd800 && code <= 0xdfff) return !LONE_SURROGATE.test(text);
  }
  return true;
}
