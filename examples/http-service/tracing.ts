// The OpenTelemetry SDK as an application sets it up: a tracer provider, the
// AsyncLocalStorage context manager and the W3C propagators. Spans go to the console
// exporter only when EXAMPLE_PRINT_SPANS=1, so the log lines stay readable.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export function startTracing(): () => Promise<void> {
  const provider = new BasicTracerProvider({
    spanProcessors:
      process.env.EXAMPLE_PRINT_SPANS === '1'
        ? [new SimpleSpanProcessor(new ConsoleSpanExporter())]
        : [],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return () => provider.shutdown();
}
