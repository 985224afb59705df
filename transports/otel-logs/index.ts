export { pinoOtelLogsDestination } from './pino-otel-logs-destination.js';
export type { PinoOtelLogsDestination } from './pino-otel-logs-destination.js';
export { WinstonOtelLogsTransport } from './winston-otel-logs-transport.js';
export type { WinstonOtelLogsTransportOptions } from './winston-otel-logs-transport.js';
export type { OtelLogsOptions } from './otel-logs-options.js';
export type { OtelLogsDropReason, OtelLogsStats } from './otel-logs-stats.js';
export { QueuedLogRecordProcessor } from './processor/queued-log-record-processor.js';
export type { QueuedLogRecordProcessorOptions } from './processor/processor-options.js';
export type { DropReason, TransportStats } from '../transport-stats.js';
