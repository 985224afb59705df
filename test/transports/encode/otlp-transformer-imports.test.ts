import * as transformer from '@opentelemetry/otlp-transformer';
import {
  JsonLogsSerializer,
  LogsExporterMetricsHelper,
  ProtobufLogsSerializer,
} from '../../../transports/encode/logs-serializers.js';

// The transports take otlp-transformer's logs half from its own files, so that a worker never
// loads the metrics half and @opentelemetry/sdk-metrics with it.
describe('otlp-transformer-logs', () => {
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
