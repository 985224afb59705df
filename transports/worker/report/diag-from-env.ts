import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { envString } from '../../options/resolve-otlp-options.js';
import { writeStderrLine } from '../../stderr.js';

const LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

function line(level: string): (message: string, ...args: unknown[]) => void {
  return (message, ...args) =>
    writeStderrLine(`${level} ${message}${args.length ? ` ${args.map(String).join(' ')}` : ''}`);
}

const STDERR_DIAG_LOGGER: DiagLogger = {
  error: line('[otel error]'),
  warn: line('[otel warn]'),
  info: line('[otel info]'),
  debug: line('[otel debug]'),
  verbose: line('[otel verbose]'),
};

/**
 * Honours `OTEL_LOG_LEVEL` where no application code can: inside pino's worker thread. Sets a
 * `diag` logger writing synchronously to stderr at that level; does nothing when unset.
 */
export function configureDiagFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  const level = LEVELS[envString(env, 'OTEL_LOG_LEVEL')?.toUpperCase() ?? ''];
  if (level === undefined) return;
  diag.setLogger(STDERR_DIAG_LOGGER, { logLevel: level, suppressOverrideMessage: true });
}
