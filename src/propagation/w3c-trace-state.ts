import type { TraceState } from '@opentelemetry/api';

// W3C Trace Context Level 2 §3.3.1.1: at most 32 list members.
const MAX_MEMBERS = 32;

// §3.3.1.3.1 (Level 2) `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`,
// `keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"`. Level 1 (and OpenTelemetry's
// parser) allowed a digit first only in a tenant id and at most one `@`; Level 2 dropped both.
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
// §3.3.1.3.2 `value = 0*255(chr) nblk-chr`, `chr = %x20 / nblk-chr`,
// `nblk-chr = %x21-2B / %x2D-3C / %x3E-7E` (printable ASCII without `,` and `=`).
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * A `tracestate` with the Level 2 grammar (W3C Trace Context Level 2 §3.3): the API's
 * `TraceState`, immutable, members in order. Parsing follows OpenTelemetry's tolerance where
 * the spec leaves room: an invalid member is dropped and the others kept, a repeated key keeps
 * its first value. More than 32 members is not a valid list: {@link parseTraceState} then
 * returns `undefined` (§3.3.1.1; the test suite's `test_tracestate_member_count_limit`).
 *
 * @example
 * ```ts
 * const state = parseTraceState('rojo=00f067aa0ba902b7,1congo=t61rcWkgMzE');
 * state?.set('tracelink', 'x').serialize(); // 'tracelink=x,rojo=00f067aa0ba902b7,1congo=t61rcWkgMzE'
 * ```
 */
export class W3CTraceState implements TraceState {
  private constructor(private readonly members: ReadonlyMap<string, string>) {}

  /** Parses a (combined) `tracestate` header value; `undefined` for an invalid list. */
  static parse(header: string): W3CTraceState | undefined {
    const members = new Map<string, string>();
    let count = 0;
    for (const raw of header.split(',')) {
      const member = raw.trim();
      if (member === '') continue; // §3.3.1.1: empty list members are allowed
      if (++count > MAX_MEMBERS) return undefined;
      const equals = member.indexOf('=');
      if (equals <= 0) continue;
      const key = member.slice(0, equals);
      const value = member.slice(equals + 1);
      if (!KEY.test(key) || !VALUE.test(value) || members.has(key)) continue;
      members.set(key, value);
    }
    return new W3CTraceState(members);
  }

  get(key: string): string | undefined {
    return this.members.get(key);
  }

  // §3.5 "Mutating the tracestate field": a modified or added key moves to the beginning;
  // the oldest (rightmost) members go first when the list would exceed 32.
  set(key: string, value: string): W3CTraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const members = new Map([[key, value]]);
    for (const [k, v] of this.members) {
      if (k !== key && members.size < MAX_MEMBERS) members.set(k, v);
    }
    return new W3CTraceState(members);
  }

  unset(key: string): W3CTraceState {
    if (!this.members.has(key)) return this;
    const members = new Map(this.members);
    members.delete(key);
    return new W3CTraceState(members);
  }

  serialize(): string {
    let out = '';
    for (const [key, value] of this.members) out += `${out === '' ? '' : ','}${key}=${value}`;
    return out;
  }
}

/**
 * Parses a `tracestate` header (several values combined in order, RFC 9110 §5.3) into a
 * {@link W3CTraceState}; `undefined` when absent or not a valid list. Never throws.
 */
export function parseTraceState(value: string | string[] | undefined): W3CTraceState | undefined {
  const combined = Array.isArray(value) ? value.join(',') : value;
  return typeof combined === 'string' ? W3CTraceState.parse(combined) : undefined;
}
