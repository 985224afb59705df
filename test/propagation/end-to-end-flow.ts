import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import pino from 'pino';
import { pinoMixin } from '../../src/pino/pino-mixin';
import { traceRequests } from '../../src/propagation/http-server/trace-requests';
import { tracedFetch } from '../../src/propagation/http-client/fetch';
import { captureTraceContext } from '../../src/winston/capture-trace-context';
import { traceFormat } from '../../src/winston/trace-format';
import { CaptureStream } from '../helpers/capture-stream';
import { close, listen } from '../helpers/http-server';
import { captureWinston } from '../helpers/winston-capture';
import winston from 'winston';

/** What one request through the flow left behind. */
export interface FlowResult {
  readonly pinoLines: Record<string, unknown>[];
  readonly winstonLines: Record<string, unknown>[];
  /** The headers the downstream service received from the outgoing call. */
  readonly downstreamHeaders: IncomingHttpHeaders;
}

/**
 * The flow the propagation issue describes, with real servers, loggers and fetch:
 * caller --(headers)--> service (traceRequests; logs with pino and winston; calls downstream
 * with tracedFetch) --> downstream (records the headers it got).
 */
export async function runFlow(headers: Record<string, string>): Promise<FlowResult> {
  let downstreamHeaders: IncomingHttpHeaders = {};
  const downstream = createServer((req, res) => {
    downstreamHeaders = req.headers;
    res.end('ok');
  });
  const downstreamUrl = await listen(downstream);

  const pinoStream = new CaptureStream();
  const pinoLogger = pino({ mixin: pinoMixin({ baggage: ['tenant'] }) }, pinoStream);
  const winstonCapture = captureWinston(
    winston.format.combine(traceFormat({ baggage: ['tenant'] }), winston.format.json()),
  );
  const winstonLogger = captureTraceContext(winstonCapture.logger);

  const service = createServer(
    traceRequests(async (_req, res) => {
      pinoLogger.info('before the call');
      await tracedFetch(downstreamUrl).then((answer) => answer.text());
      winstonLogger.info('after the call');
      res.end('done');
    }),
  );
  const serviceUrl = await listen(service);
  try {
    const answer = await fetch(serviceUrl, { headers });
    await answer.text();
    await winstonCapture.finish();
    return { pinoLines: pinoStream.lines, winstonLines: winstonCapture.lines, downstreamHeaders };
  } finally {
    await close(service);
    await close(downstream);
  }
}
