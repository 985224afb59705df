// The OpenTelemetry SDK as each service of the stack sets it up: spans go over OTLP to the
// collector (which forwards them to Jaeger) and, as Zipkin JSON, straight to Zipkin (Zipkin
// takes no OTLP). The endpoints come from OTEL_EXPORTER_OTLP_ENDPOINT and ZIPKIN_SPANS_URL.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// Room for every span of a burst of requests: a span dropped here would be a trace the logs
// point to and no store holds.
const QUEUE = { maxQueueSize: 16_384, maxExportBatchSize: 512, scheduledDelayMillis: 200 };

/** Registers a tracer provider (and the context manager and W3C propagators); returns its shutdown. */
export function startTracing(serviceName: string): () => Promise<void> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter(), QUEUE),
      new BatchSpanProcessor(new ZipkinExporter({ url: process.env.ZIPKIN_SPANS_URL }), QUEUE),
    ],
  });
  provider.register();
  return () => provider.shutdown();
}
