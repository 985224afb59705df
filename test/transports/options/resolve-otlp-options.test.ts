import { InvalidOptionError } from '../../../src/core/invalid-option-error.js';
import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';
import { OTLP_OPTION_NAMES, OTLP_OPTIONS } from '../../../transports/options/otlp-option-table.js';
import type { OptionSpec } from '../../../transports/options/otlp-option-table.js';

type Resolved = ReturnType<typeof resolveOtlpOptions>;
const specOf = (name: keyof OtlpExportOptions): OptionSpec<unknown> => OTLP_OPTIONS[name];

// For each option the resolver reads from the environment: a valid value of its variables,
// and what it resolves to. An option whose row gains a variable needs a line here.
const ENV_SAMPLES: Partial<Record<keyof OtlpExportOptions, [string, unknown]>> = {
  protocol: ['http/json', 'http/json'],
  maxQueueSize: ['100', 100],
  maxExportBatchSize: ['50', 50],
  scheduledDelayMillis: ['250', 250],
  exporter: ['console', 'console'],
  disabled: ['true', true],
};

// Every variable of every row the resolver reads, with the option it stands in for.
const ENV_FALLBACKS = OTLP_OPTION_NAMES.flatMap((name) =>
  (specOf(name).env?.names ?? []).map((variable) => [name, variable] as const),
);

// Every variable the exporter or the SDK's resource reads itself.
const EXPORTER_VARIABLES = OTLP_OPTION_NAMES.flatMap((name) =>
  (specOf(name).exporterEnv ?? []).map((variable) => [name, variable] as const),
);

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

  describe('with an endpoint', () => {
    // The form the exporter of the protocol can send to; `localhost:4318/v1/logs` parses as a
    // URL of scheme `localhost:`, which the exporter takes and fails on at every export.
    it.each<[string, string, OtlpExportOptions['protocol']]>([
      ['an http URL', 'http://collector:4318/v1/logs', 'http/protobuf'],
      ['an https URL', 'https://collector.example/v1/logs', 'http/json'],
      ['a URL with spaces around it', ' http://collector:4318/v1/logs ', 'http/protobuf'],
      ['grpc: an http URL', 'http://collector:4317', 'grpc'],
      ['grpc: an https URL', 'https://collector:4317', 'grpc'],
      ['grpc: host:port (TLS)', 'collector:4317', 'grpc'],
      ['grpc: a unix socket', 'unix:///run/otel.sock', 'grpc'],
    ])('accepts %s', (_case, endpoint, protocol) => {
      expect(resolveOtlpOptions({ endpoint, protocol }, {}).endpoint).toBe(endpoint);
    });

    it.each<[string, string, OtlpExportOptions['protocol'], string]>([
      [
        'no scheme',
        '127.0.0.1:4318/v1/logs',
        'http/protobuf',
        'expected an http:// or https:// URL (did you mean `http://127.0.0.1:4318/v1/logs`?), received "127.0.0.1:4318/v1/logs"',
      ],
      [
        'a host taken for a scheme',
        'localhost:4318/v1/logs',
        'http/json',
        'expected an http:// or https:// URL (did you mean `http://localhost:4318/v1/logs`?)',
      ],
      ['another scheme', 'ftp://collector/v1/logs', 'http/protobuf', 'received "ftp://collector'],
      ['no host', 'http://', 'http/protobuf', 'expected an http:// or https:// URL, received'],
      [
        'grpc: a scheme the exporter drops the host of',
        'dns:///collector:4317',
        'grpc',
        'expected an http://, https:// or unix:// URL, or host:port, received',
      ],
    ])('throws InvalidOptionError for %s', (_case, endpoint, protocol, message) => {
      const options = { endpoint, protocol };
      expect(() => resolveOtlpOptions(options, {})).toThrow(InvalidOptionError);
      expect(() => resolveOtlpOptions(options, {})).toThrow(`invalid option \`endpoint\`: `);
      expect(() => resolveOtlpOptions(options, {})).toThrow(message);
    });

    it('checks it for the protocol the environment names', () => {
      const env = { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' };
      expect(resolveOtlpOptions({ endpoint: 'collector:4317' }, env).protocol).toBe('grpc');
      expect(() => resolveOtlpOptions({ endpoint: 'collector:4317' }, {})).toThrow(
        InvalidOptionError,
      );
    });
  });

  describe('with the environment variables of the option table', () => {
    it.each(ENV_FALLBACKS)('resolves %s from %s', (name, variable) => {
      const sample = ENV_SAMPLES[name];
      expect(sample).toBeDefined();
      const [value, expected] = sample as [string, unknown];
      expect(resolveOtlpOptions({}, { [variable]: ` ${value} ` })[name]).toEqual(expected);
    });

    it.each(ENV_FALLBACKS)('prefers the %s option to %s', (name, variable) => {
      const [value] = ENV_SAMPLES[name] as [string, unknown];
      const given = specOf(name).default;
      const resolved = resolveOtlpOptions({ [name]: given }, { [variable]: value });
      expect(resolved[name]).toEqual(given);
    });

    it.each(EXPORTER_VARIABLES)(
      'leaves %s to the exporter or the resource when %s is set',
      (name, variable) => {
        const resolved = resolveOtlpOptions({}, { [variable]: 'x=1' });
        expect(resolved[name]).toEqual(specOf(name).default);
      },
    );
  });

  describe('with an unknown option name', () => {
    it('throws InvalidOptionError naming it, with the option it likely misspells', () => {
      const options = { endpiont: 'http://c:4318/v1/logs' } as OtlpExportOptions;
      expect(() => resolveOtlpOptions(options, {})).toThrow(InvalidOptionError);
      expect(() => resolveOtlpOptions(options, {})).toThrow(
        'invalid option `endpiont`: expected a known option name (did you mean `endpoint`?), received "http://c:4318/v1/logs"',
      );
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a different case', { ServiceName: 'api' }, 'serviceName'],
      ['one letter off', { maxQueueSise: 10 }, 'maxQueueSize'],
    ])('suggests the option for %s', (_case, options, known) => {
      expect(() => resolveOtlpOptions(options as OtlpExportOptions, {})).toThrow(
        `did you mean \`${known}\`?`,
      );
    });

    it('throws for a name like no option, even with an undefined value', () => {
      const options = { level: undefined } as OtlpExportOptions;
      expect(() => resolveOtlpOptions(options, {})).toThrow(
        'invalid option `level`: expected a known option name, received undefined',
      );
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['headers that are a string', { headers: 'authorization=x' }, 'headers'],
    ['a header value that is a number', { headers: { 'x-n': 1 } }, 'headers.x-n'],
    ['a resource that is a string', { resource: 'x' }, 'resource'],
    ['disabled as a string', { disabled: 'true' }, 'disabled'],
    ['fields naming no profile', { fields: 'splunk' }, 'fields'],
    ['fields with an empty custom name', { fields: { traceId: '' } }, 'fields.traceId'],
    ['options that are not an object', null as never, 'options'],
  ])('throws InvalidOptionError for %s', (_case, options, option) => {
    let thrown: unknown;
    try {
      resolveOtlpOptions(options, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect(thrown).toMatchObject({ option });
  });

  it('keeps the fields the application writes, for the record mapping', () => {
    const fields = { traceId: 'tid', spanId: 'sid' };
    const resolved: Resolved = resolveOtlpOptions({ fields }, {});
    expect(resolved.fields).toBe(fields);
  });
});
