import { createResource } from '../../../transports/worker/log-pipeline.js';
import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';

describe('createResource', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('layers SDK defaults < record facts < OTEL_RESOURCE_ATTRIBUTES/OTEL_SERVICE_NAME < options', () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment=prod,host.name=from-env';
    process.env.OTEL_SERVICE_NAME = 'env-service';
    const fromRecords = { 'host.name': 'from-record', 'process.pid': 42 };
    const attributes = createResource(resolveOtlpOptions({}, {}), fromRecords).attributes;
    expect(attributes).toMatchObject({
      'service.name': 'env-service',
      'deployment.environment': 'prod',
      'host.name': 'from-env',
      'process.pid': 42,
      'telemetry.sdk.language': 'nodejs',
    });
    const withOptions = createResource(
      resolveOtlpOptions(
        { serviceName: 'opt-service', resource: { 'deployment.environment': 'staging' } },
        {},
      ),
      fromRecords,
    ).attributes;
    expect(withOptions).toMatchObject({
      'service.name': 'opt-service',
      'deployment.environment': 'staging',
    });
  });

  it('keeps only scalar record facts', () => {
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    const attributes = createResource(resolveOtlpOptions({}, {}), {
      'host.name': 'h',
      nested: { a: 1 },
    }).attributes;
    expect(attributes['host.name']).toBe('h');
    expect(attributes).not.toHaveProperty(['nested']);
  });
});
