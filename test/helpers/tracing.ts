import { context, propagation, trace } from '@opentelemetry/api';
import type { Span, SpanContext, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Real SDK tracers behind the global API, with the AsyncLocalStorage context manager. */
export interface TestTracing {
  /** A tracer that samples every span. */
  readonly tracer: Tracer;
  /** A tracer that samples none (spans are valid but unsampled: trace_flags "00"). */
  readonly unsampledTracer: Tracer;
  readonly exporter: InMemorySpanExporter;
  shutdown(): Promise<void>;
}

/** Registers the SDK globally for one test file; call `shutdown()` in `afterAll`. */
export function setUpTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const unsampledProvider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CBaggagePropagator());
  return {
    tracer: provider.getTracer('tracelink-test'),
    unsampledTracer: unsampledProvider.getTracer('tracelink-test'),
    exporter,
    async shutdown() {
      await provider.shutdown();
      await unsampledProvider.shutdown();
      contextManager.disable();
      context.disable();
      trace.disable();
      propagation.disable();
    },
  };
}

/** The otel-profile fields a span should produce. */
export function otelFieldsOf(span: Span): Record<string, string> {
  const sc: SpanContext = span.spanContext();
  return {
    trace_id: sc.traceId,
    span_id: sc.spanId,
    trace_flags: sc.traceFlags.toString(16).padStart(2, '0'),
  };
}

/** The spec example ids used across the tests (W3C Trace Context). */
export const EXAMPLE_SPAN_CONTEXT: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  isRemote: true,
};

/** {@link EXAMPLE_SPAN_CONTEXT} as a `traceparent` header value. */
export const EXAMPLE_TRACEPARENT = `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${EXAMPLE_SPAN_CONTEXT.spanId}-01`;

/** Runs `fn` inside a context whose span is the given (remote) span context. */
export function withSpanContext<T>(spanContext: SpanContext, fn: () => T): T {
  return context.with(trace.setSpanContext(context.active(), spanContext), fn);
}

/** {@link setUpTracing} for a whole test file, shut down after its last test. */
export function useTracing(): TestTracing {
  const tracing = setUpTracing();
  afterAll(() => tracing.shutdown());
  return tracing;
}
