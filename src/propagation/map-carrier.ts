import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';
import { toHeaderValue } from './header-value.js';

/** A `Map` of header values, e.g. a message's metadata; values may be strings or Buffers. */
export type HeaderMap = Map<string, unknown>;

const WHERE = 'reading propagation headers from a Map';

/**
 * Reads a `Map` carrier. Lookup is exact (case-sensitive), as `Map` keys are.
 *
 * @example
 * ```ts
 * const ctx = propagation.extract(context.active(), new Map([['traceparent', tp]]), mapGetter);
 * ```
 */
export const mapGetter: TextMapGetter<HeaderMap> = {
  keys(carrier) {
    try {
      return [...carrier.keys()].filter((key): key is string => typeof key === 'string');
    } catch (error) {
      reportProblem(WHERE, 'treated the headers as empty', error);
      return [];
    }
  },
  get(carrier, key) {
    try {
      return toHeaderValue(carrier.get(key), WHERE);
    } catch (error) {
      reportProblem(WHERE, 'treated the header as absent', error);
      return undefined;
    }
  },
};

/**
 * Writes a `Map` carrier (string values).
 *
 * @example
 * ```ts
 * const headers = new Map<string, string>();
 * propagation.inject(context.active(), headers, mapSetter);
 * ```
 */
export const mapSetter: TextMapSetter<HeaderMap> = {
  set(carrier, key, value) {
    try {
      carrier.set(key, value);
    } catch (error) {
      reportProblem('writing propagation headers to a Map', 'left the header unset', error);
    }
  },
};
