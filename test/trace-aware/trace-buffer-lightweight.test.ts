import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { pinoTraceBuffer } from 'tracelink/pino';
import { withConsumerSpan } from 'tracelink/propagation';
import { winstonTraceBuffer } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream.js';
import { captureDiag, useLightweightMode } from '../helpers/http-server.js';
import { describeBufferScenarios } from './buffer-scenarios.js';
import { bufferedPino, bufferedWinston } from './loggers.js';

useLightweightMode();
const diagMessages = captureDiag();

describe('pinoTraceBuffer in lightweight mode (no tracing SDK)', () => {
  describeBufferScenarios(() => bufferedPino());
});

describe('winstonTraceBuffer in lightweight mode (no tracing SDK)', () => {
  describeBufferScenarios(() => bufferedWinston());
});

const consume = <T>(fn: () => T): T =>
  withConsumerSpan({ system: 'kafka', destination: 'orders' }, {}, fn);

describe('pinoTraceBuffer bounds', () => {
  it('drops a trace’s oldest held lines past maxTraceBytes, counts them and keeps the newest', () => {
    const logger = bufferedPino({ maxTraceBytes: 1000 });
    const lengths: number[] = [];
    expect(() =>
      consume(() => {
        for (let i = 0; i < 20; i++) logger.debug(`line ${i} ${'x'.repeat(50)}`);
        lengths.push(logger.stats().heldBytes);
        throw new Error('fail');
      }),
    ).toThrow('fail');
    const kept = logger.raw.map((l) => (JSON.parse(l) as { msg: string }).msg.split(' ')[1]);
    const stats = logger.stats();
    expect(lengths[0]).toBeLessThanOrEqual(1000);
    expect(stats.droppedTraceLimit).toBe(20 - kept.length);
    expect(stats.droppedTraceLimit).toBeGreaterThan(0);
    // The newest survive, in order.
    expect(kept).toEqual(
      Array.from({ length: kept.length }, (_, i) => String(20 - kept.length + i)),
    );
    expect(diagMessages.some((m) => m.includes('maxTraceBytes'))).toBe(true);
  });

  it('drops a single line larger than maxTraceBytes, counted', () => {
    const logger = bufferedPino({ maxTraceBytes: 100 });
    consume(() => logger.debug('y'.repeat(200)));
    expect(logger.stats()).toMatchObject({ droppedTraceLimit: 1, held: 0, discarded: 0 });
    expect(logger.raw).toEqual([]);
  });

  it('drops the oldest trace’s held lines first past maxBytes', async () => {
    const logger = bufferedPino({ maxTraceBytes: 4000, maxBytes: 4000 });
    let releaseOld!: () => void;
    const old = consume(async () => {
      for (let i = 0; i < 10; i++) logger.debug(`old ${i} ${'o'.repeat(200)}`);
      await new Promise<void>((resolve) => (releaseOld = resolve));
      throw new Error('old failed');
    });
    const young = consume(async () => {
      for (let i = 0; i < 10; i++) logger.debug(`young ${i} ${'y'.repeat(200)}`);
      await sleep(1);
      throw new Error('young failed');
    });
    await expect(young).rejects.toThrow('young failed');
    releaseOld();
    await expect(old).rejects.toThrow('old failed');
    const messages = logger.raw.map((l) => (JSON.parse(l) as { msg: string }).msg);
    const stats = logger.stats();
    expect(messages.filter((m) => m.startsWith('young'))).toHaveLength(10);
    expect(stats.droppedTotalLimit).toBe(10 - messages.filter((m) => m.startsWith('old')).length);
    expect(stats.droppedTotalLimit).toBeGreaterThan(0);
    expect(messages.filter((m) => m.startsWith('old'))[0]).not.toMatch(/^old 0 /);
  });

  it('drops the held lines of a request open longer than maxAgeMs, and writes its later lines at once', async () => {
    const logger = bufferedPino({ maxAgeMs: 200 });
    await consume(async () => {
      logger.debug('early');
      // The sweep runs every maxAgeMs / 4: by maxAgeMs * 1.25 the lines are gone.
      await sleep(200 * 1.25 + 60);
      expect(logger.stats()).toMatchObject({ expired: 1, held: 0, openTraces: 0 });
      logger.debug('late');
    });
    expect(logger.raw.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['late']);
  });

  it('holds nothing once ended: the destination ends too, and held lines are counted as discarded', async () => {
    const stream = new CaptureStream();
    const buffer = pinoTraceBuffer(stream);
    const logger = pino({ level: 'debug' }, buffer);
    await consume(async () => {
      logger.debug('held');
      buffer.end();
      await sleep(1);
    });
    expect(buffer.stats()).toMatchObject({ discarded: 1, held: 0, openTraces: 0 });
    expect(stream.writableEnded).toBe(true);
  });

  it('passes pino’s level metadata on to a multistream, for held lines too', () => {
    const debugStream = new CaptureStream();
    const errorStream = new CaptureStream();
    const logger = pino(
      { level: 'debug' },
      pinoTraceBuffer(
        pino.multistream([
          { level: 'debug', stream: debugStream },
          { level: 'error', stream: errorStream },
        ]),
      ),
    );
    expect(() =>
      consume(() => {
        logger.debug('detail');
        logger.error('boom');
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(debugStream.lines.map((l) => l.msg)).toEqual(['detail', 'boom']);
    expect(errorStream.lines.map((l) => l.msg)).toEqual(['boom']);
  });
});

describe('trace buffer options', () => {
  const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
  afterAll(() => logger.close());

  it.each([
    [{ holdLevel: 'verbose-ish' }, 'holdLevel'],
    [{ flushLevel: 'debug' }, 'flushLevel'],
    [{ maxTraceBytes: 0 }, 'maxTraceBytes'],
    [{ maxBytes: 10, maxTraceBytes: 100 }, 'maxBytes'],
    [{ maxAgeMs: 1.5 }, 'maxAgeMs'],
    [{ maxage: 10 }, 'maxage'],
  ])('pinoTraceBuffer rejects %j naming %s', (options, option) => {
    expect(() => pinoTraceBuffer(new CaptureStream(), options as never)).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option }) as Error,
    );
  });

  it('pinoTraceBuffer rejects a destination without write', () => {
    expect(() => pinoTraceBuffer({} as never)).toThrow(InvalidOptionError);
  });

  it('winstonTraceBuffer takes the logger’s own level names and rejects others', () => {
    expect(() => winstonTraceBuffer(logger, { holdLevel: 'trace' })).toThrow(
      expect.objectContaining({ option: 'holdLevel' }) as Error,
    );
    expect(winstonTraceBuffer(logger, { holdLevel: 'verbose' }).stats().held).toBe(0);
    expect(() => winstonTraceBuffer({} as never)).toThrow(
      expect.objectContaining({ option: 'logger' }) as Error,
    );
  });
});
