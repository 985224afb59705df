import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
import type { TraceFormatOptions } from 'tracelink/winston';
import { captureWinston } from '../helpers/winston-capture.js';
import { useTracing } from '../helpers/tracing.js';

const tracing = useTracing();
const { combine, errors, json } = winston.format;

/** Logs with `log` inside a fresh SDK span, ends the logger, and returns the span as exported. */
async function inSpan(
  format: winston.Logform.Format,
  log: (logger: winston.Logger) => void,
  options: winston.LoggerOptions = {},
): Promise<{ span: ReadableSpan; lines: Record<string, unknown>[] }> {
  tracing.exporter.reset();
  const { logger, lines, finish } = captureWinston(format, options);
  captureTraceContext(logger);
  const span = tracing.tracer.startActiveSpan('op', (span) => {
    log(logger);
    return span;
  });
  // Ended once the records are formatted: winston formats in its stream pipeline.
  await finish();
  span.end();
  return { span: tracing.exporter.getFinishedSpans()[0], lines };
}

describe.each([
  [
    'traceFormat',
    (o: TraceFormatOptions) => combine(errors({ stack: true }), traceFormat(o), json()),
  ],
  ['traceJson', (o: TraceFormatOptions) => combine(errors({ stack: true }), traceJson(o))],
])('%s({ markSpanOnError })', (_name, makeFormat) => {
  it('records the logged error as an exception event and sets the status to ERROR', async () => {
    const error = new RangeError('out of stock');
    const { span, lines } = await inSpan(makeFormat({ markSpanOnError: true }), (logger) =>
      logger.error(error),
    );
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'out of stock' });
    expect(span.events[0]?.name).toBe('exception');
    expect(span.events[0]?.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'out of stock',
      'exception.stacktrace': error.stack,
    });
    expect(lines[0]).toMatchObject({ level: 'error', span_id: span.spanContext().spanId });
  });

  it('finds an error given in the metadata', async () => {
    const { span } = await inSpan(makeFormat({ markSpanOnError: true }), (logger) =>
      logger.error('failed', { cause: new Error('io') }),
    );
    expect(span.events[0]?.attributes?.['exception.message']).toBe('io');
  });

  it('sets the status alone for an error record without an error', async () => {
    const { span } = await inSpan(makeFormat({ markSpanOnError: true }), (logger) =>
      logger.error('failed'),
    );
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span.events).toHaveLength(0);
  });

  it('leaves other levels alone; a list names the levels that mark', async () => {
    const { span } = await inSpan(makeFormat({ markSpanOnError: true }), (logger) =>
      logger.warn('careful'),
    );
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const listed = await inSpan(makeFormat({ markSpanOnError: ['warn'] }), (logger) =>
      logger.warn('careful'),
    );
    expect(listed.span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('knows the syslog error levels', async () => {
    const { span } = await inSpan(
      makeFormat({ markSpanOnError: true }),
      (logger) => logger.log('crit', 'disk failing'),
      { levels: winston.config.syslog.levels },
    );
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it.each([['yes'], [[1]], [['']], [{}]])('throws InvalidOptionError for %p', (value) => {
    expect(() => makeFormat({ markSpanOnError: value as never })).toThrow(InvalidOptionError);
  });
});
