import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';
import type { OtlpTransportOptions } from '../../../transports/options/otlp-options.js';
import { recordLineFormatFor } from '../../../transports/winston/record-line.js';

describe('recordLineFormatFor', () => {
  it.each<[string, OtlpTransportOptions, NodeJS.ProcessEnv, 'json' | 'protobuf']>([
    ['the default (OTLP/HTTP protobuf)', {}, {}, 'protobuf'],
    ['http/protobuf given', { protocol: 'http/protobuf' }, {}, 'protobuf'],
    ['http/json', { protocol: 'http/json' }, {}, 'json'],
    ['grpc', { protocol: 'grpc' }, {}, 'protobuf'],
    ['grpc from the environment', {}, { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' }, 'protobuf'],
    ['http/json from the environment', {}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'json'],
    ['the console exporter', {}, { OTEL_LOGS_EXPORTER: 'console' }, 'json'],
    ['the none exporter', { exporter: 'none' }, {}, 'json'],
    ['OTEL_SDK_DISABLED', {}, { OTEL_SDK_DISABLED: 'true' }, 'json'],
  ])('%s → %s lines', (_name, options, env, expected) => {
    expect(recordLineFormatFor(resolveOtlpOptions(options, env))).toBe(expected);
  });
});
