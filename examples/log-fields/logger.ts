// The application's loggers: pino with tracelink's mixin, winston with traceJson. Both write the
// trace ids and the request's log fields; error lines mark their span.
import pino from 'pino';
import winston from 'winston';
import { pinoMixin } from 'tracelink/pino';
import { captureTraceContext, traceJson } from 'tracelink/winston';

export const logger = pino({
  base: { logger: 'pino' },
  mixin: pinoMixin({ markSpanOnError: true }),
});

export const auditLog = captureTraceContext(
  winston.createLogger({
    defaultMeta: { logger: 'winston' },
    format: traceJson({ markSpanOnError: true }),
    transports: [new winston.transports.Console()],
  }),
);
