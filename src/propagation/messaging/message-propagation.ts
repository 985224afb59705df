import { context, propagation } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { kafkaGetter, kafkaSetter, mapGetter, mapSetter } from '../carriers.js';
import type { AmqpHeaders, KafkaHeaders, HeaderMap } from '../carriers.js';

/** Message headers: a Kafka record or list, AMQP headers, or a `Map`. */
export type MessageHeaders = KafkaHeaders | AmqpHeaders | HeaderMap;

/**
 * Writes the active (or given) context into message headers with the global propagator. Keys
 * are written exactly as the propagators name them (lower case). Never throws.
 *
 * @example
 * ```ts
 * await producer.send({ topic, messages: [{ value, headers: injectIntoMessage({}) }] });
 * ```
 */
export function injectIntoMessage<T extends MessageHeaders>(
  headers: T,
  ctx: Context = context.active(),
): T {
  try {
    const [, setter] = carrierOf(headers);
    propagation.inject(ctx, headers, setter);
  } catch (error) {
    reportProblem(
      'injecting into message headers',
      'sent the message without trace headers',
      error,
    );
  }
  return headers;
}

/**
 * Reads a context from message headers with the global propagator, on top of the active (or
 * given) context. Lookup is exact (case-sensitive), as Kafka and AMQP header names are. Never
 * throws: unreadable headers give back the context unchanged.
 *
 * @example
 * ```ts
 * const ctx = extractFromMessage(message.headers ?? {});
 * context.with(ctx, () => handle(message));
 * ```
 */
export function extractFromMessage(
  headers: MessageHeaders | null | undefined,
  ctx: Context = context.active(),
): Context {
  if (headers === null || typeof headers !== 'object') return ctx;
  try {
    const [getter] = carrierOf(headers);
    return propagation.extract(ctx, headers, getter);
  } catch (error) {
    reportProblem(
      'extracting from message headers',
      "continued without the sender's context",
      error,
    );
    return ctx;
  }
}

// A Map and a Kafka list need their own access; Kafka records and AMQP tables read alike (own
// keys, string or Buffer values), so one getter serves both.
function carrierOf(headers: MessageHeaders): [TextMapGetter, TextMapSetter] {
  if (headers instanceof Map) return [mapGetter, mapSetter] as [TextMapGetter, TextMapSetter];
  return [kafkaGetter, kafkaSetter] as [TextMapGetter, TextMapSetter];
}
