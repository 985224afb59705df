import { randomBytes } from 'node:crypto';
import {
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import type { Logger } from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { createPropagator } from 'tracelink/propagation';
import { CaptureStream } from '../../helpers/capture-stream';
import type { TestTracing } from '../../helpers/tracing';

// What the broker tests share: two services' loggers, requests that each start a trace with
// baggage, and the checks that a message's trace, logs and baggage made it across.

export const TENANTS = ['acme', 'globex', 'initech'] as const;

export interface Services {
  readonly logs: CaptureStream;
  readonly producer: Logger;
  readonly consumer: Logger;
}

/** The tracecontext + baggage propagator (useTracing installs baggage only) and two loggers. */
export function setUpServices(): Services {
  propagation.disable();
  propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
  const logs = new CaptureStream();
  const mixin = pinoMixin({ baggage: ['tenant'] });
  return {
    logs,
    producer: pino({ name: 'producer', mixin }, logs),
    consumer: pino({ name: 'consumer', mixin }, logs),
  };
}

/** Runs `fn` in a new request span of the producing service, with baggage `tenant`. */
export function inRequest<T>(tracing: TestTracing, tenant: string, fn: () => T): T {
  const request = tracing.tracer.startSpan(`request ${tenant}`, { kind: SpanKind.SERVER });
  const baggage = propagation.createBaggage({ tenant: { value: tenant } });
  const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, request), baggage);
  try {
    return context.with(ctx, fn);
  } finally {
    request.end();
  }
}

/**
 * Checks that each tenant's message made one trace: request → PRODUCER → CONSUMER, the
 * producer's and the consumer's log lines in that trace (each with its own span id) and the
 * tenant's baggage on the consumer side.
 */
export function expectOneTracePerMessage(
  tracing: TestTracing,
  logs: CaptureStream,
  destination: string,
): void {
  const spans = tracing.exporter.getFinishedSpans();
  const traceIds = new Set<string>();
  for (const tenant of TENANTS) {
    const request = spans.find((s) => s.name === `request ${tenant}`) as ReadableSpan;
    const traceId = request.spanContext().traceId;
    traceIds.add(traceId);
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const producerSpan = inTrace.find((s) => s.kind === SpanKind.PRODUCER);
    const consumerSpan = inTrace.find((s) => s.kind === SpanKind.CONSUMER);
    expect(producerSpan?.name).toBe(`send ${destination}`);
    expect(producerSpan?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumerSpan?.name).toBe(`process ${destination}`);
    expect(consumerSpan?.parentSpanContext?.spanId).toBe(producerSpan?.spanContext().spanId);
    const lines = logs.lines.filter((l) => l.trace_id === traceId);
    expect(lines.map((l) => l.name).sort()).toEqual(['consumer', 'producer']);
    const produced = lines.find((l) => l.name === 'producer');
    const consumed = lines.find((l) => l.name === 'consumer');
    expect(produced).toMatchObject({ span_id: producerSpan?.spanContext().spanId, tenant });
    expect(consumed).toMatchObject({
      span_id: consumerSpan?.spanContext().spanId,
      tenant,
      body: `order for ${tenant}`,
    });
  }
  expect(traceIds.size).toBe(TENANTS.length);
}

/** Runs `fn` in a remote caller's span context (no SDK span), with baggage `tenant`. */
export function inLightweightRequest<T>(tenant: string, fn: () => T): T {
  const spanContext = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  };
  const baggage = propagation.createBaggage({ tenant: { value: tenant } });
  const ctx = propagation.setBaggage(trace.setSpanContext(ROOT_CONTEXT, spanContext), baggage);
  return context.with(ctx, fn);
}

/**
 * Without an SDK: each tenant's producer and consumer log lines share one trace id, each with
 * a span id of its own, and the consumer sees the tenant's baggage.
 */
export function expectOneTracePerMessageWithoutSdk(logs: CaptureStream): void {
  const traceIds = new Set<string>();
  for (const tenant of TENANTS) {
    const produced = logs.lines.find((l) => l.name === 'producer' && l.tenant === tenant);
    const consumed = logs.lines.find(
      (l) => l.name === 'consumer' && l.body === `order for ${tenant}`,
    );
    expect(produced?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(consumed).toMatchObject({ trace_id: produced?.trace_id, tenant });
    expect(consumed?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(consumed?.span_id).not.toBe(produced?.span_id);
    traceIds.add(String(consumed?.trace_id));
  }
  expect(traceIds.size).toBe(TENANTS.length);
}
