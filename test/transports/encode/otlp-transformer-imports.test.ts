import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as transformer from '@opentelemetry/otlp-transformer';
import {
  JsonLogsSerializer,
  LogsExporterMetricsHelper,
  ProtobufLogsSerializer,
} from '../../../transports/encode/logs-serializers.js';

// The transports take otlp-transformer's logs half from its own files, so that a worker never
// loads the metrics half and @opentelemetry/sdk-metrics with it.
describe('otlp-transformer-logs', () => {
  // Every path into the package's build that transports/ imports, and what it takes from it.
  const DEEP_IMPORTS: [string, string][] = [
    ['@opentelemetry/otlp-transformer/build/src/logs/index.js', 'LogsExporterMetricsHelper'],
    ['@opentelemetry/otlp-transformer/build/src/logs/protobuf/index.js', 'ProtobufLogsSerializer'],
    ['@opentelemetry/otlp-transformer/build/src/logs/json/index.js', 'JsonLogsSerializer'],
    [
      '@opentelemetry/otlp-transformer/build/src/logs/internal.js',
      'createExportLogsServiceRequest',
    ],
    ['@opentelemetry/otlp-transformer/build/src/common/utils.js', 'JSON_ENCODER'],
  ];

  it('lists every deep path transports/ imports', () => {
    const dir = join(__dirname, '../../../transports');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(join(dir, file), 'utf8'));
    const used = new Set(
      sources.flatMap((source) =>
        [...source.matchAll(/'(@opentelemetry\/otlp-transformer\/build\/[^']+)'/g)].map(
          (m) => m[1],
        ),
      ),
    );
    expect([...used].sort()).toEqual(DEEP_IMPORTS.map(([path]) => path).sort());
  });

  it.each(DEEP_IMPORTS)('%s still exports %s', (path, name) => {
    expect(jest.requireActual<Record<string, unknown>>(path)[name]).toBeDefined();
  });

  it('hands out the very objects the package index exports', () => {
    expect(ProtobufLogsSerializer).toBe(transformer.ProtobufLogsSerializer);
    expect(JsonLogsSerializer).toBe(transformer.JsonLogsSerializer);
    expect(LogsExporterMetricsHelper).toBe(transformer.LogsExporterMetricsHelper);
  });

  // Loading sdk-metrics is observed through a mock that records it; the package index is the
  // control, so the test can tell the two apart.
  it.each([
    {
      name: 'the logs files',
      path: '../../../transports/encode/logs-serializers',
      expected: false,
    },
    {
      name: 'the package index (control)',
      path: '@opentelemetry/otlp-transformer',
      expected: true,
    },
  ])('loading $name loads sdk-metrics: $expected', ({ path, expected }) => {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/sdk-metrics', () => {
        loaded = true;
        return jest.requireActual<object>('@opentelemetry/sdk-metrics');
      });
      jest.requireActual<object>(path);
    });
    expect(loaded).toBe(expected);
  });
});
