import { InvalidOptionError } from '../../../src/core/invalid-option-error.js';
import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';

describe('resolveOtlpOptions', () => {
  it('applies the specification defaults', () => {
    expect(resolveOtlpOptions({}, {})).toEqual({
      endpoint: undefined,
      protocol: 'http/protobuf',
      headers: undefined,
      compression: undefined,
      timeoutMillis: undefined,
      serviceName: undefined,
      resource: {},
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      maxExportBatchBytes: 4_000_000,
      scheduledDelayMillis: 1000,
      maxConcurrentExports: 2,
      maxBufferedBytes: 32 * 1024 * 1024,
      whenFull: 'drop',
      exitBudgetMillis: 5000,
      exporter: 'otlp',
      disabled: false,
    });
  });

  it.each<[string, NodeJS.ProcessEnv, Partial<ReturnType<typeof resolveOtlpOptions>>]>([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, { protocol: 'grpc' }],
    [
      'the logs-specific protocol over the general one',
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' },
      { protocol: 'http/json' },
    ],
    [
      'an unknown protocol, ignored',
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' },
      { protocol: 'http/protobuf' },
    ],
    [
      'OTEL_BLRP_MAX_QUEUE_SIZE',
      { OTEL_BLRP_MAX_QUEUE_SIZE: '100' },
      { maxQueueSize: 100, maxExportBatchSize: 100 },
    ],
    [
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
      { OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '50' },
      { maxExportBatchSize: 50 },
    ],
    [
      'OTEL_BLRP_SCHEDULE_DELAY',
      { OTEL_BLRP_SCHEDULE_DELAY: '250' },
      { scheduledDelayMillis: 250 },
    ],
    [
      'an invalid number, ignored',
      { OTEL_BLRP_SCHEDULE_DELAY: 'soon' },
      { scheduledDelayMillis: 1000 },
    ],
    ['OTEL_SDK_DISABLED', { OTEL_SDK_DISABLED: 'TRUE' }, { disabled: true }],
    ['OTEL_SDK_DISABLED other than true', { OTEL_SDK_DISABLED: '1' }, { disabled: false }],
    ['OTEL_LOGS_EXPORTER=console', { OTEL_LOGS_EXPORTER: 'console' }, { exporter: 'console' }],
    ['OTEL_LOGS_EXPORTER=none', { OTEL_LOGS_EXPORTER: 'none' }, { exporter: 'none' }],
    [
      'OTEL_LOGS_EXPORTER list, first known',
      { OTEL_LOGS_EXPORTER: 'zipkin, otlp' },
      { exporter: 'otlp' },
    ],
  ])('reads %s', (_name, env, expected) => {
    expect(resolveOtlpOptions({}, env)).toMatchObject(expected);
  });

  it('prefers options over the environment', () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_BLRP_MAX_QUEUE_SIZE: '5',
      OTEL_SDK_DISABLED: 'true',
    };
    expect(
      resolveOtlpOptions({ protocol: 'http/json', maxQueueSize: 50, disabled: false }, env),
    ).toMatchObject({
      protocol: 'http/json',
      maxQueueSize: 50,
      disabled: false,
    });
  });

  it.each<[string, OtlpExportOptions]>([
    ['protocol', { protocol: 'http' as never }],
    ['maxQueueSize', { maxQueueSize: 0 }],
    ['maxExportBatchBytes', { maxExportBatchBytes: Number.NaN }],
    ['exitBudgetMillis', { exitBudgetMillis: -1 }],
    ['whenFull', { whenFull: 'block' as never }],
    ['endpoint', { endpoint: '' }],
    ['exporter', { exporter: 'zipkin' as never }],
    ['compression', { compression: 'brotli' as never }],
  ])('throws InvalidOptionError for a bad %s', (option, options) => {
    expect(() => resolveOtlpOptions(options, {})).toThrow(InvalidOptionError);
    expect(() => resolveOtlpOptions(options, {})).toThrow(`\`${option}\``);
  });
});
