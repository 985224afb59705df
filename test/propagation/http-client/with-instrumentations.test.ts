import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

// @opentelemetry/instrumentation-http patches `http` through require-in-the-middle, which
// jest's sandbox hides from it: the scenario runs in a plain Node process (see the fixture).
const FIXTURE = resolve(__dirname, 'fixtures', 'instrumented-client.ts');

interface ClientReport {
  parentSpanId: string;
  clientSpans: { scope: string; spanId: string; parentSpanId?: string }[];
  traceparents: string[];
}

let report: Record<string, unknown> = {};

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: resolve(__dirname, '../../..'),
    timeout: 60_000,
  });
  report = JSON.parse(stdout.split('\n')[0] ?? '{}') as Record<string, unknown>;
}, 70_000);

describe('with @opentelemetry/instrumentation-http and -undici and the SDK’s own propagator', () => {
  it('setupPropagation wraps the propagator NodeTracerProvider.register() installed', () => {
    expect(report.setup).toMatchObject({ propagator: 'wrapped-existing' });
  });

  it.each([
    ['tracedFetch', '@opentelemetry/instrumentation-undici'],
    ['withTraceHeaders', '@opentelemetry/instrumentation-undici'],
    ['interceptor', '@opentelemetry/instrumentation-undici'],
    ['tracedRequest(http.request)', '@opentelemetry/instrumentation-http'],
    ['tracedRequest(http.get)', '@opentelemetry/instrumentation-http'],
    ['instrumentOutgoingHttp + http.get', '@opentelemetry/instrumentation-http'],
  ])(
    '%s: the instrumentation’s CLIENT span is the only one, its id the only traceparent sent, random-trace-id kept',
    (client, scope) => {
      const { parentSpanId, clientSpans, traceparents } = report[client] as ClientReport;
      expect(clientSpans).toEqual([{ scope, spanId: expect.any(String) as unknown, parentSpanId }]);
      expect(traceparents).toEqual([
        `00-4bf92f3577b34da6a3ce929d0e0e4736-${String(clientSpans[0]?.spanId)}-03`,
      ]);
    },
  );
});
