import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { setImmediate as tick } from 'node:timers/promises';
import { TraceFlags } from '@opentelemetry/api';
import pino from 'pino';
import winston from 'winston';
import { pinoTraceSampling } from 'tracelink/pino';
import { traceRequests } from 'tracelink/propagation';
import { winstonTraceSampling } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream.js';
import { close, listen, useLightweightMode } from '../helpers/http-server.js';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../helpers/tracing.js';

useLightweightMode();

const UNSAMPLED = { ...EXAMPLE_SPAN_CONTEXT, traceFlags: TraceFlags.NONE };
const SAMPLED = EXAMPLE_SPAN_CONTEXT;

function sampledPino(keepLevel?: string | number) {
  const stream = new CaptureStream();
  const sampling = pinoTraceSampling(keepLevel === undefined ? {} : { keepLevel });
  const logger = pino({ level: 'trace', hooks: { logMethod: sampling.logMethod } }, stream);
  return { logger, sampling, messages: () => stream.lines.map((l) => l.msg) };
}

function sampledWinston(keepLevel?: string) {
  const stream = new CaptureStream();
  const logger = winston.createLogger({
    level: 'silly',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  const sampling = winstonTraceSampling(logger, keepLevel === undefined ? {} : { keepLevel });
  return {
    logger,
    sampling,
    messages: async () => (await tick(), stream.lines.map((l) => l.message)),
  };
}

describe('pinoTraceSampling', () => {
  it('drops the lines below warn of an unsampled trace, counts them, and keeps warn and above', () => {
    const { logger, sampling, messages } = sampledPino();
    withSpanContext(UNSAMPLED, () => {
      logger.trace('t');
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    });
    expect(messages()).toEqual(['w', 'e']);
    expect(sampling.stats()).toEqual({ dropped: 3 });
  });

  it('keeps every line of a sampled trace and every line outside a trace', () => {
    const { logger, sampling, messages } = sampledPino();
    withSpanContext(SAMPLED, () => logger.debug('in sampled'));
    logger.debug('outside');
    expect(messages()).toEqual(['in sampled', 'outside']);
    expect(sampling.stats().dropped).toBe(0);
  });

  it('never serialises a dropped line', () => {
    const { logger } = sampledPino();
    let serialised = 0;
    const payload = { toJSON: () => (serialised++, 'x') };
    withSpanContext(UNSAMPLED, () => logger.info({ payload }, 'dropped'));
    expect(serialised).toBe(0);
  });

  it('takes a level number for custom levels', () => {
    const { logger, messages } = sampledPino(35);
    withSpanContext(UNSAMPLED, () => {
      logger.info('below');
      logger.warn('above');
    });
    expect(messages()).toEqual(['above']);
  });

  it.each([[{ keepLevel: 'loud' }], [{ keepLevel: 0 }], [{ keep: 'warn' }], [null]])(
    'rejects %j with InvalidOptionError',
    (options) => {
      expect(() => pinoTraceSampling(options as never)).toThrow(
        expect.objectContaining({ name: 'InvalidOptionError' }) as Error,
      );
    },
  );
});

describe('winstonTraceSampling', () => {
  it('drops the records below warn of an unsampled trace before any format runs, and counts them', async () => {
    const { logger, sampling, messages } = sampledWinston();
    withSpanContext(UNSAMPLED, () => {
      logger.debug('d');
      logger.info('i');
      logger.child({ part: 'child' }).verbose('v');
      logger.warn('w');
      logger.error('e');
    });
    expect(await messages()).toEqual(['w', 'e']);
    expect(sampling.stats()).toEqual({ dropped: 3 });
  });

  it('keeps every record of a sampled trace and every record outside a trace', async () => {
    const { logger, sampling, messages } = sampledWinston();
    withSpanContext(SAMPLED, () => logger.debug('in sampled'));
    logger.debug('outside');
    expect(await messages()).toEqual(['in sampled', 'outside']);
    expect(sampling.stats().dropped).toBe(0);
  });

  it('uses the logger’s own levels and rejects a level it does not have', () => {
    const logger = winston.createLogger({ levels: winston.config.syslog.levels });
    expect(() => winstonTraceSampling(logger, { keepLevel: 'warn' })).toThrow(
      expect.objectContaining({ option: 'keepLevel' }) as Error,
    );
    expect(winstonTraceSampling(logger, { keepLevel: 'warning' }).stats().dropped).toBe(0);
  });
});

describe('trace-based sampling across a traced request (lightweight mode)', () => {
  let server: Server;
  let base: string;
  const pinoSide = sampledPino();
  const winstonSide = sampledWinston();
  beforeAll(async () => {
    server = createServer(
      traceRequests((req, res) => {
        pinoSide.logger.debug(`pino ${req.url}`);
        winstonSide.logger.info(`winston ${req.url}`);
        res.end();
      }),
    );
    base = await listen(server);
  });
  afterAll(() => close(server));

  it('decides by the caller’s sampled flag, the same way in every service', async () => {
    const traceparent = (flags: string) => `00-${SAMPLED.traceId}-${SAMPLED.spanId}-${flags}`;
    await (
      await fetch(`${base}/unsampled`, { headers: { traceparent: traceparent('00') } })
    ).text();
    await (await fetch(`${base}/sampled`, { headers: { traceparent: traceparent('01') } })).text();
    expect(pinoSide.messages()).toEqual(['pino /sampled']);
    expect(await winstonSide.messages()).toEqual(['winston /sampled']);
    expect(pinoSide.sampling.stats().dropped).toBe(1);
    expect(winstonSide.sampling.stats().dropped).toBe(1);
  });
});

describe('trace-based sampling and hostile records', () => {
  it('winston: a record whose level cannot be read is kept, and nothing is thrown into the log call', async () => {
    const { logger, sampling, messages } = sampledWinston();
    // The first read of a symbol key throws (sampling reads first); winston's own reads work.
    let throwOnce = true;
    const hostile = new Proxy(
      { level: 'info', message: 'hostile', [Symbol.for('level')]: 'info' },
      {
        get(target, key) {
          if (typeof key === 'symbol' && throwOnce) {
            throwOnce = false;
            throw new Error('not now');
          }
          return target[key as keyof typeof target];
        },
      },
    );
    expect(() => withSpanContext(UNSAMPLED, () => logger.write(hostile))).not.toThrow();
    expect(sampling.stats().dropped).toBe(0);
    expect(await messages()).toEqual(['hostile']);
  });
});
