import type { LogAttributes, LogRecord } from '@opentelemetry/api-logs';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** The W3C trace-context example ids, sampled. */
export const SAMPLED: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

/** What one emitted record is made from: a log record plus, optionally, its span. */
export interface Emit extends Omit<LogRecord, 'context'> {
  readonly span?: SpanContext;
  readonly logger?: string;
  readonly version?: string;
}

/**
 * Emits records through a real sdk-logs `LoggerProvider` and returns them as the export
 * pipeline sees them (`ReadableLogRecord`s, with the provider's resource and scopes).
 *
 * @example
 * ```ts
 * emitRecords([{ body: 'hi', span: SAMPLED }]);
 * ```
 */
export function emitRecords(
  emits: readonly Emit[],
  resource: Resource = resourceFromAttributes({ 'service.name': 'checkout' }),
): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  const collect: LogRecordProcessor = {
    onEmit: (record) => void records.push(record),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new LoggerProvider({ resource, processors: [collect] });
  for (const { span, logger = 'tracelink', version, ...record } of emits) {
    const context = span ? trace.setSpanContext(ROOT_CONTEXT, span) : undefined;
    provider.getLogger(logger, version).emit({ ...record, ...(context ? { context } : {}) });
  }
  return records;
}

/** A realistic pino-like record, as the worker maps one. */
export function typicalEmit(i: number): Emit {
  const attributes: LogAttributes = {
    i,
    'http.route': '/orders/:id',
    user: { id: 42, name: 'ada' },
  };
  return {
    timestamp: 1_700_000_000_000 + i,
    observedTimestamp: 1_700_000_000_000 + i,
    severityNumber: 9,
    severityText: 'info',
    body: 'hello world request handled',
    attributes,
    span: SAMPLED,
  };
}

/**
 * A record built by hand, for what sdk-logs would never hand over (invalid ids, odd times):
 * the serializers take any `ReadableLogRecord`.
 *
 * @example
 * ```ts
 * handMadeRecord({ spanContext: { traceId: 'xyz', spanId: '', traceFlags: 0 } });
 * ```
 */
export function handMadeRecord(overrides: Partial<ReadableLogRecord>): ReadableLogRecord {
  const [base] = emitRecords([{ body: 'hand-made' }]);
  return {
    hrTime: base.hrTime,
    hrTimeObserved: base.hrTimeObserved,
    resource: base.resource,
    instrumentationScope: base.instrumentationScope,
    attributes: {},
    droppedAttributesCount: 0,
    body: base.body,
    ...overrides,
  };
}
