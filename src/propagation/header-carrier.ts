import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';
import { readKeys, readOwn, toHeaderValue, writeOwn } from './header-value.js';

/** HTTP-like headers: Node's `IncomingHttpHeaders`, `OutgoingHttpHeaders`, fetch-style records. */
export type HeaderRecord = Record<string, string | string[] | undefined>;

const WHERE = 'reading propagation headers';

/**
 * Reads HTTP-like header records. Lookup is ASCII case-insensitive, because HTTP field names are
 * (RFC 9110 §5.1): an exact match is tried first, then any key equal ignoring case. When several
 * keys match (`Traceparent` and `traceparent`), their values are returned together, as repeated
 * header fields would be.
 *
 * @example
 * ```ts
 * const ctx = propagation.extract(context.active(), req.headers, headerGetter);
 * ```
 */
export const headerGetter: TextMapGetter<HeaderRecord> = {
  keys: (carrier) => readKeys(carrier, WHERE),
  get(carrier, key) {
    try {
      const exact = readOwn(carrier, key);
      const lower = key.toLowerCase();
      const matches: unknown[] = exact === undefined ? [] : [exact];
      for (const name of Object.keys(carrier)) {
        if (name !== key && name.toLowerCase() === lower) matches.push(readOwn(carrier, name));
      }
      return toHeaderValue(matches.length === 1 ? matches[0] : matches.flat(), WHERE);
    } catch (error) {
      reportProblem(WHERE, 'treated the header as absent', error);
      return undefined;
    }
  },
};

/**
 * Writes HTTP-like header records. The propagators' lower-case names are written as given, and
 * any other spelling of the same name is removed so a request never carries two copies.
 *
 * @example
 * ```ts
 * propagation.inject(context.active(), outgoingHeaders, headerSetter);
 * ```
 */
export const headerSetter: TextMapSetter<HeaderRecord> = {
  set(carrier, key, value) {
    try {
      const lower = key.toLowerCase();
      for (const name of Object.keys(carrier)) {
        if (name !== key && name.toLowerCase() === lower) delete carrier[name];
      }
      writeOwn(carrier, key, value);
    } catch (error) {
      reportProblem('writing propagation headers', 'left the header unset', error);
    }
  },
};
