import { withLogFields } from 'tracelink';
import { captureTraceContext } from 'tracelink/winston';
import { resolveWinstonMapping } from '../../../transports/mapping/winston.js';
import { readRecordLine, RecordLineWriter } from '../../../transports/winston/record-line.js';
import { captureWinston } from '../mapping/record-capture.js';
import { useTracing } from '../../helpers/tracing.js';

const tracing = useTracing();
const mapping = resolveWinstonMapping();

/** The records the winston OTLP transport's worker reads for what `log` logs. */
function shipped(log: (logger: ReturnType<typeof captureWinston>['logger']) => void) {
  const { logger, infos } = captureWinston();
  captureTraceContext(logger);
  log(logger);
  const writer = new RecordLineWriter();
  return infos.map((info) => readRecordLine(writer.lineOf(info, mapping), mapping));
}

describe('the winston OTLP transport with log fields', () => {
  it('ships the fields of the log call’s scope as attributes (a plain record)', () => {
    const [record] = shipped((logger) =>
      withLogFields({ tenant: 'acme', orderId: 42, vip: true }, () => logger.info('x', { n: 1 })),
    );
    expect(record?.attributes).toEqual({ n: 1, tenant: 'acme', orderId: 42, vip: true });
  });

  it('ships them for a record mapped on the logging thread (one holding an Error)', () => {
    const [record] = shipped((logger) =>
      withLogFields({ tenant: 'acme' }, () => logger.info('x', { error: new Error('boom') })),
    );
    expect(record?.attributes).toMatchObject({ tenant: 'acme' });
    expect(record?.attributes['exception.message']).toBe('boom');
  });

  it('lets the record’s own fields win', () => {
    const records = shipped((logger) =>
      withLogFields({ tenant: 'acme' }, () => {
        logger.info('plain', { tenant: 'own' });
        logger.info('mapped', { tenant: 'own', error: new Error('boom') });
      }),
    );
    expect(records.map((record) => record.attributes.tenant)).toEqual(['own', 'own']);
  });

  it('keeps the span context and adds nothing outside a scope', () => {
    const [inSpan, outside] = tracing.tracer.startActiveSpan('op', (span) => {
      const records = shipped((logger) => {
        withLogFields({ tenant: 'acme' }, () => logger.info('in'));
        logger.info('out');
      });
      span.end();
      expect(records[0]?.spanContext?.spanId).toBe(span.spanContext().spanId);
      return records;
    });
    expect(inSpan?.attributes).toEqual({ tenant: 'acme' });
    expect(outside?.attributes).toEqual({});
  });
});
