import pino from 'pino';
import winston from 'winston';
import Transport from 'winston-transport';
import { CaptureStream } from '../../helpers/capture-stream.js';

/** A real pino logger writing to a capture stream; `lines` are the parsed JSON lines. */
export function capturePino<L extends string = never>(options: pino.LoggerOptions<L> = {}) {
  const stream = new CaptureStream();
  const logger = pino<L>({ level: 'trace', ...options }, stream);
  return { logger, lines: stream.lines };
}

/** A winston transport that keeps every `info` object exactly as winston hands it over. */
export class InfoCapture extends Transport {
  readonly infos: Record<string | symbol, unknown>[] = [];

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.infos.push(info);
    callback();
  }
}

/**
 * A real winston logger with a capturing transport. winston pipes records to the transport
 * synchronously, so `infos` holds a record as soon as the log call returns.
 */
export function captureWinston(options: winston.LoggerOptions = {}) {
  const transport = new InfoCapture();
  const logger = winston.createLogger({ level: 'silly', ...options, transports: [transport] });
  return { logger, infos: transport.infos };
}

/** The error `fn` throws, or `undefined`. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
