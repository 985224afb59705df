// Real pino and winston loggers with a trace buffer, for the shared scenarios.
import { setImmediate as tick } from 'node:timers/promises';
import pino from 'pino';
import winston from 'winston';
import { pinoTraceBuffer } from 'tracelink/pino';
import type { PinoTraceBufferOptions } from 'tracelink/pino';
import { winstonTraceBuffer } from 'tracelink/winston';
import type { WinstonTraceBufferOptions } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream.js';
import type { BufferedLogger } from './buffer-scenarios.js';

const PINO_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 50: 'error' };

export function bufferedPino(options: PinoTraceBufferOptions = {}): BufferedLogger & {
  raw: string[];
} {
  const stream = new CaptureStream();
  const buffer = pinoTraceBuffer(stream, options);
  const logger = pino({ level: 'trace' }, buffer);
  return {
    raw: stream.raw,
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    error: (m) => logger.error(m),
    written: () =>
      Promise.resolve(
        stream.lines.map((l) => ({
          msg: String(l.msg),
          level: PINO_NAMES[l.level as number] ?? String(l.level),
          time: l.time as number,
        })),
      ),
    stats: () => buffer.stats(),
    close: () => Promise.resolve(buffer.end()),
  };
}

export function bufferedWinston(options: WinstonTraceBufferOptions = {}): BufferedLogger {
  const stream = new CaptureStream();
  const logger = winston.createLogger({
    level: 'silly',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  const buffer = winstonTraceBuffer(logger, options);
  return {
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    error: (m) => logger.error(m),
    written: async () => {
      await tick();
      return stream.lines.map((l) => ({
        msg: String(l.message),
        level: String(l.level),
        time: Date.parse(String(l.timestamp)),
      }));
    },
    stats: () => buffer.stats(),
    close: async () => {
      logger.end();
      await tick();
    },
  };
}
