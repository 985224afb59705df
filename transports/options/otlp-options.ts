import type { AttributeValue } from '@opentelemetry/api';
import type { TraceFieldOptions } from '../../src/fields/field-profile.js';

/** The OTLP wire protocols, named as `OTEL_EXPORTER_OTLP_PROTOCOL` names them. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** What happens when the bounded buffers are full. */
export type QueueFullPolicy = 'wait' | 'drop';

/**
 * A disk spool: where the transport's worker keeps received records until the collector has
 * them, instead of in memory. See {@link OtlpExportOptions.spool}.
 *
 * @example
 * ```ts
 * const spool: SpoolOptions = { directory: '/var/lib/my-app/log-spool', maxBytes: 512 * 1024 * 1024 };
 * ```
 */
export interface SpoolOptions {
  /** The directory (created if missing); processes may share it: each keeps its own folder in it. */
  readonly directory: string;
  /**
   * Bytes on disk, at most; past it the oldest records are dropped, counted as `spool-full`.
   * @default 268435456 (256 MiB)
   */
  readonly maxBytes?: number;
}

/**
 * Options of both OTLP transports. Every option falls back to the standard OpenTelemetry
 * environment variable, then to the specification's default. Each option's validation,
 * environment variables and default are defined once, in `OTLP_OPTIONS`
 * (otlp-option-table.ts): an option added here without a row there does not compile.
 *
 * @example
 * ```ts
 * const options: OtlpExportOptions = { endpoint: 'http://localhost:4318/v1/logs', serviceName: 'api' };
 * ```
 */
export interface OtlpExportOptions {
  /**
   * Where logs go. For http, the full URL of the logs endpoint (`http://` or `https://`); for
   * grpc, such a URL, `host:port` (TLS) or `unix://` — checked when the transport is created.
   * @default OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/logs',
   * else http://localhost:4318/v1/logs (grpc: http://localhost:4317)
   */
  readonly endpoint?: string;
  /** @default OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else 'http/protobuf' */
  readonly protocol?: OtlpProtocol;
  /** Extra request headers (grpc: metadata). @default OTEL_EXPORTER_OTLP_[LOGS_]HEADERS */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default OTEL_EXPORTER_OTLP_[LOGS_]COMPRESSION, else 'none' */
  readonly compression?: 'gzip' | 'none';
  /** One export request's time limit, retries included. @default OTEL_EXPORTER_OTLP_[LOGS_]TIMEOUT, else 10000 */
  readonly timeoutMillis?: number;
  /** `service.name` of the resource. @default OTEL_SERVICE_NAME, else 'unknown_service:node' */
  readonly serviceName?: string;
  /** More resource attributes, over OTEL_RESOURCE_ATTRIBUTES. @default {} */
  readonly resource?: Readonly<Record<string, AttributeValue>>;
  /** Records waiting for export, at most. @default OTEL_BLRP_MAX_QUEUE_SIZE, else 2048 */
  readonly maxQueueSize?: number;
  /** Records in one export request, at most. @default OTEL_BLRP_MAX_EXPORT_BATCH_SIZE, else 512 */
  readonly maxExportBatchSize?: number;
  /**
   * Bytes in one export request, at most, as estimated from each record's size (exact for
   * records encoded on the logging thread; up to 3 bytes per character of a received line
   * otherwise). A record larger than this goes in a request of its own. The default stays
   * below the collector's default limits: 4 MiB for an OTLP/gRPC message, 20 MiB for an
   * OTLP/HTTP body. @default 4000000
   */
  readonly maxExportBatchBytes?: number;
  /** How long a partial batch waits before it is sent. @default OTEL_BLRP_SCHEDULE_DELAY, else 1000 */
  readonly scheduledDelayMillis?: number;
  /** Export requests in flight at once. @default 2 */
  readonly maxConcurrentExports?: number;
  /**
   * Bytes of received records held while the export queue is full or the collector is down
   * (the pino worker, the winston transport). @default 33554432 (32 MiB)
   */
  readonly maxBufferedBytes?: number;
  /**
   * When every buffer is full — the collector is slow or down: `'drop'` drops the newest
   * records at once, so a log call never waits on the collector; `'wait'` applies backpressure
   * to the logging thread: a winston log call (or a pino one with `sync: true`) blocks, and
   * pino's own buffer on the app's thread grows, until the collector takes records, for at
   * most `exitBudgetMillis` (and no more than 5 s) at a time; past that, what does not fit is
   * dropped until the buffer has half emptied. Either way drops are counted and reported,
   * never silent.
   * @default 'drop'
   */
  readonly whenFull?: QueueFullPolicy;
  /**
   * At exit, how long the transport may take to deliver what it holds; what is still
   * undelivered then is counted and reported on stderr and through `diag`.
   * @default 5000
   */
  readonly exitBudgetMillis?: number;
  /**
   * Keep received records on disk until the collector has acknowledged them, instead of in
   * memory (`maxBufferedBytes`): an outage as long as `maxBytes` of records lasts, an exit
   * while the collector is away, or a `kill -9` loses none of the records that reached the
   * spool — the next start of the app (any process using the directory) sends them. Delivery
   * is at least once: records in a request the collector had not answered when the process
   * died are sent again. If the directory cannot be written, records are held in memory
   * instead, said once on stderr.
   * @default undefined (no spool: records are held in memory)
   */
  readonly spool?: SpoolOptions;
  /** `otlp`, `console` (prints records) or `none`. @default OTEL_LOGS_EXPORTER, else 'otlp' */
  readonly exporter?: 'otlp' | 'console' | 'none';
  /** Turns the transport into a no-op. @default OTEL_SDK_DISABLED === 'true' */
  readonly disabled?: boolean;
  /**
   * The trace fields the application writes, as given to `pinoMixin`, `traceFormat` or
   * `traceJson` (`fields`): a built-in profile name, or custom names `{ traceId, spanId,
   * traceFlags }`. The fields of every built-in profile (but Datadog's, whose decimal ids
   * cannot be read back) always become the record's trace id, span id and flags; custom names
   * are read too — before the built-in ones — and, like them, removed from the attributes.
   * Custom names are read back when they include both `traceId` and `spanId`.
   * @default 'otel'
   */
  readonly fields?: TraceFieldOptions['fields'];
}
