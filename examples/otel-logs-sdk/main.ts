// An app that already runs the OpenTelemetry SDK sends its pino and winston logs through it:
// one pipeline (NodeSDK's logRecordProcessors) for everything, tracelink's mapping for the logs.
// The console exporters stand in for the OTLP ones so the example runs without a collector.
//
//   node --import tsx examples/otel-logs-sdk/main.ts
import { trace } from '@opentelemetry/api';
import { ConsoleLogRecordExporter } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import winston from 'winston';
import { pinoMixin } from 'tracelink/pino';
import {
  pinoOtelLogsDestination,
  QueuedLogRecordProcessor,
  WinstonOtelLogsTransport,
} from 'tracelink/otel-logs';

const pinoLogger = pino({ mixin: pinoMixin() }, pinoOtelLogsDestination());
const winstonLogger = winston.createLogger({ transports: [new WinstonOtelLogsTransport()] });

// Logged before the SDK starts: held, and emitted once it has.
pinoLogger.info({ port: 8080 }, 'configuring');

// tracelink's queue in place of the SDK's BatchLogRecordProcessor: nothing dropped silently.
const processor = new QueuedLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() });
const sdk = new NodeSDK({
  serviceName: 'orders',
  logRecordProcessors: [processor],
  traceExporter: new ConsoleSpanExporter(),
  metricReaders: [],
});
sdk.start();

trace.getTracer('orders').startActiveSpan('place order', (span) => {
  pinoLogger.info({ orderId: 7 }, 'order placed');
  winstonLogger.warn('stock low', { sku: 'A1' });
  pinoLogger.error({ err: new Error('card declined') }, 'payment failed');
  console.log(`trace ${span.spanContext().traceId}`);
  span.end();
});

void sdk.shutdown().then(() => console.log(`delivered ${processor.stats().delivered} records`));
