import { once } from 'node:events';
import winston from 'winston';
import type { Logform } from 'winston';
import { CaptureStream } from './capture-stream.js';

/** A winston logger writing to a capture stream through `format`. */
export function captureWinston(format: Logform.Format, options: winston.LoggerOptions = {}) {
  const stream = new CaptureStream();
  const logger = winston.createLogger({
    level: 'silly',
    format,
    transports: [new winston.transports.Stream({ stream })],
    ...options,
  });
  return {
    logger,
    lines: stream.lines,
    raw: stream.raw,
    /** Ends the logger and waits until every record has been written. */
    finish: async () => {
      const finished = once(logger, 'finish');
      logger.end();
      await finished;
    },
  };
}
