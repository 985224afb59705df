import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';
import { MAX_HEADER_VALUES, readOwn, toHeaderValue, writeOwn } from './header-value.js';

type KafkaValue = Buffer | string;

/** kafkajs message headers: one key, one value or several. */
export type KafkaHeaderRecord = Record<string, KafkaValue | KafkaValue[] | undefined>;

/** node-rdkafka message headers: an ordered list of one-key objects; a key may repeat. */
export type KafkaHeaderList = Array<Record<string, KafkaValue>>;

/** Either shape of Kafka message headers. */
export type KafkaHeaders = KafkaHeaderRecord | KafkaHeaderList;

const WHERE = 'reading propagation headers from Kafka headers';

/**
 * Reads Kafka message headers, kafkajs records or node-rdkafka lists. Lookup is exact
 * (case-sensitive): Kafka header keys are arbitrary strings compared byte for byte (KIP-82).
 * Buffer values are decoded as UTF-8; a key repeated in a list yields all its values.
 *
 * @example
 * ```ts
 * const ctx = propagation.extract(context.active(), message.headers ?? {}, kafkaGetter);
 * ```
 */
export const kafkaGetter: TextMapGetter<KafkaHeaders> = {
  keys(carrier) {
    try {
      if (!Array.isArray(carrier)) return Object.keys(carrier);
      const keys = carrier.slice(0, MAX_HEADER_VALUES).flatMap((entry) => Object.keys(entry));
      return [...new Set(keys)];
    } catch (error) {
      reportProblem(WHERE, 'treated the headers as empty', error);
      return [];
    }
  },
  get(carrier, key) {
    try {
      if (!Array.isArray(carrier)) return toHeaderValue(readOwn(carrier, key), WHERE);
      const values: unknown[] = [];
      for (const entry of carrier) {
        const value: unknown = typeof entry === 'object' && entry !== null && readOwn(entry, key);
        if (value !== false && value !== undefined) values.push(value);
      }
      return toHeaderValue(values.length === 1 ? values[0] : values, WHERE);
    } catch (error) {
      reportProblem(WHERE, 'treated the header as absent', error);
      return undefined;
    }
  },
};

/**
 * Writes Kafka message headers as strings: a kafkajs record gets the key set (replacing any
 * value), a node-rdkafka list gets earlier entries for the key removed and one appended.
 *
 * @example
 * ```ts
 * const headers: KafkaHeaderRecord = {};
 * propagation.inject(context.active(), headers, kafkaSetter);
 * await producer.send({ topic, messages: [{ value, headers }] });
 * ```
 */
export const kafkaSetter: TextMapSetter<KafkaHeaders> = {
  set(carrier, key, value) {
    try {
      if (!Array.isArray(carrier)) return writeOwn(carrier, key, value);
      for (let i = carrier.length - 1; i >= 0; i--) {
        const entry = carrier[i];
        if (entry !== undefined && Object.prototype.hasOwnProperty.call(entry, key)) {
          carrier.splice(i, 1);
        }
      }
      const entry = {};
      writeOwn(entry, key, value);
      carrier.push(entry);
    } catch (error) {
      reportProblem('writing propagation headers to Kafka headers', 'left the header unset', error);
    }
  },
};
