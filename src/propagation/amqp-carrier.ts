import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';
import { readKeys, readOwn, toHeaderValue, writeOwn } from './header-value.js';

/** AMQP 0-9-1 message headers (amqplib's `properties.headers`): a field table of any values. */
export type AmqpHeaders = Record<string, unknown>;

const WHERE = 'reading propagation headers from AMQP headers';

/**
 * Reads AMQP headers. Lookup is exact (case-sensitive): field-table names are `shortstr`s
 * compared as given (AMQP 0-9-1 §4.2.5.5). String and Buffer values are read; other field types
 * (numbers, booleans, nested tables) are not propagation headers and are ignored.
 *
 * @example
 * ```ts
 * const ctx = propagation.extract(context.active(), msg.properties.headers ?? {}, amqpGetter);
 * ```
 */
export const amqpGetter: TextMapGetter<AmqpHeaders> = {
  keys: (carrier) => readKeys(carrier, WHERE),
  get(carrier, key) {
    try {
      return toHeaderValue(readOwn(carrier, key), WHERE);
    } catch (error) {
      reportProblem(WHERE, 'treated the header as absent', error);
      return undefined;
    }
  },
};

/**
 * Writes AMQP headers as string values (`longstr`).
 *
 * @example
 * ```ts
 * const headers: AmqpHeaders = {};
 * propagation.inject(context.active(), headers, amqpSetter);
 * channel.publish(exchange, routingKey, body, { headers });
 * ```
 */
export const amqpSetter: TextMapSetter<AmqpHeaders> = {
  set(carrier, key, value) {
    try {
      writeOwn(carrier, key, value);
    } catch (error) {
      reportProblem('writing propagation headers to AMQP headers', 'left the header unset', error);
    }
  },
};
