import { setTimeout as sleep } from 'node:timers/promises';
import winston from 'winston';
import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
import { SlowTransport } from '../helpers/slow-transport.js';
import { useTracing } from '../helpers/tracing.js';

const tracing = useTracing();

const REQUESTS = 100;

/** 100 concurrent requests, each in its own span, logging through one slow transport. */
async function runConcurrentRequests(logger: winston.Logger, transport: SlowTransport) {
  const spanIdOf = new Map<number, string>();
  await Promise.all(
    Array.from({ length: REQUESTS }, (_, req) =>
      tracing.tracer.startActiveSpan(`request ${req}`, async (span) => {
        spanIdOf.set(req, span.spanContext().spanId);
        await sleep(req % 7);
        logger.info('handled', { req });
        span.end();
      }),
    ),
  );
  await transport.received(REQUESTS);
  const ownIds = transport.lines.filter(
    (line) => line.span_id === spanIdOf.get(line.req as number),
  );
  return { total: transport.lines.length, ownIds: ownIds.length };
}

function slowLogger(format: winston.Logform.Format) {
  const transport = new SlowTransport(5);
  const logger = winston.createLogger({ format, transports: [transport] });
  return { logger, transport };
}

describe('captureTraceContext', () => {
  describe('behind a slow transport', () => {
    it.each([
      ['traceFormat + json()', () => winston.format.combine(traceFormat(), winston.format.json())],
      ['traceJson()', () => traceJson()],
    ])('gives 100 of 100 records their own request’s ids (%s)', async (_name, makeFormat) => {
      const { logger, transport } = slowLogger(makeFormat());
      const result = await runConcurrentRequests(captureTraceContext(logger), transport);
      expect(result).toEqual({ total: REQUESTS, ownIds: REQUESTS });
    });

    it('is needed: without it, the format stamps other requests’ ids', async () => {
      // The problem this function solves, reproduced: the test above can fail.
      const { logger, transport } = slowLogger(
        winston.format.combine(traceFormat(), winston.format.json()),
      );
      const result = await runConcurrentRequests(logger, transport);
      expect(result.total).toBe(REQUESTS);
      expect(result.ownIds).toBeLessThan(REQUESTS);
    });
  });

  it('captures for child loggers and every way of logging', async () => {
    const transport = new SlowTransport(2);
    const logger = captureTraceContext(
      winston.createLogger({
        level: 'silly',
        format: winston.format.combine(traceFormat(), winston.format.json()),
        transports: [transport],
      }),
    );
    const child = logger.child({ component: 'db' });
    const expected = tracing.tracer.startActiveSpan('op', (span) => {
      logger.info('level method');
      logger.log('warn', 'log with level');
      logger.log({ level: 'error', message: 'log with info' });
      child.debug('child');
      child.child({ sub: 1 }).silly('grandchild');
      span.end();
      return span.spanContext().spanId;
    });
    // Logged outside any span while the records above are still queued.
    logger.info('outside');
    await transport.received(6);
    expect(transport.lines.map((l) => [l.message, l.span_id])).toEqual([
      ['level method', expected],
      ['log with level', expected],
      ['log with info', expected],
      ['child', expected],
      ['grandchild', expected],
      ['outside', undefined],
    ]);
    expect(transport.lines[3]).toMatchObject({ component: 'db' });
  });

  it('returns the same logger, and wrapping twice is harmless', () => {
    const logger = winston.createLogger({ transports: [new SlowTransport(0)] });
    const writeOf = (target: object): unknown => Reflect.get(target, 'write');
    const write = writeOf(logger);
    expect(captureTraceContext(logger)).toBe(logger);
    const wrapped = writeOf(logger);
    expect(wrapped).not.toBe(write);
    captureTraceContext(logger);
    expect(writeOf(logger)).toBe(wrapped);
    logger.close();
  });
});
