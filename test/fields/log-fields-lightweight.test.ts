import http from 'node:http';
import pino from 'pino';
import { withLogFields } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
import { traceRequests } from 'tracelink/propagation';
import { captureTraceContext, traceJson } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream.js';
import { close, listen, useLightweightMode } from '../helpers/http-server.js';
import { captureWinston } from '../helpers/winston-capture.js';

// Lightweight mode: a context manager and the W3C propagators, no tracing SDK.
useLightweightMode();

describe('withLogFields in lightweight mode (no SDK)', () => {
  it('stamps header and scope fields beside the lightweight trace ids, in pino and winston', async () => {
    const pinoLines = new CaptureStream();
    const pinoLogger = pino({ mixin: pinoMixin({ markSpanOnError: true }) }, pinoLines);
    const winstonLog = captureWinston(traceJson({ markSpanOnError: true }));
    captureTraceContext(winstonLog.logger);
    const server = http.createServer(
      traceRequests(
        (_req, res) =>
          withLogFields({ orderId: 7 }, () => {
            pinoLogger.info('handling');
            // An error line: marking is a no-op without a recording span; the line is logged.
            pinoLogger.error(new Error('declined'), 'failed');
            winstonLog.logger.info('handling');
            res.end('ok');
          }),
        { logFieldHeaders: { 'x-tenant-id': 'tenant' } },
      ),
    );
    const base = await listen(server);
    try {
      await (await fetch(base, { headers: { 'x-tenant-id': 'acme' } })).text();
    } finally {
      await close(server);
    }
    await winstonLog.finish();
    const lines = [...pinoLines.lines, ...winstonLog.lines];
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatchObject({ tenant: 'acme', orderId: 7 });
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(pinoLines.lines[1]).toMatchObject({ msg: 'failed', level: 50 });
  });
});
