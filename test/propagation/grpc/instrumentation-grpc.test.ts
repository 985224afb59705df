import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SpanKind } from '@opentelemetry/api';

// @opentelemetry/instrumentation-grpc patches grpc-js through require-in-the-middle, which
// jest's module registry hides (see http-server/instrumentation-http.test.ts): the scenario
// runs in a plain Node process set up as an application is, and reports as JSON.
const FIXTURE = resolve(__dirname, 'fixtures', 'instrumented-grpc.ts');

interface ReportedSpan {
  name: string;
  kind: SpanKind;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}
interface Report {
  spans: ReportedSpan[];
  seen: Record<string, { spanId?: string; traceparent: string[] }[]>;
  caller: string;
}

let report: Report;

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: resolve(__dirname, '../../..'),
    timeout: 60_000,
  });
  report = JSON.parse(stdout.split('\n')[0] ?? '{}') as Report;
}, 70_000);

describe('with @opentelemetry/instrumentation-grpc', () => {
  it.each([
    ['unary', 'grpc.demo.Relay/Unary'],
    ['chat', 'grpc.demo.Relay/Chat'],
  ])(
    "%s: keeps the instrumentation's spans, exactly one CLIENT and one SERVER, none of ours",
    (method, name) => {
      const spans = report.spans.filter((s) => s.name !== 'caller');
      const client = spans.filter((s) => s.kind === SpanKind.CLIENT && s.name === name);
      const server = spans.filter((s) => s.kind === SpanKind.SERVER && s.name === name);
      expect(client).toHaveLength(1);
      expect(server).toHaveLength(1);
      expect(spans.every((s) => s.scope === '@opentelemetry/instrumentation-grpc')).toBe(true);
      expect(client[0]?.parentSpanId).toBe(report.caller);
      expect(server[0]?.parentSpanId).toBe(client[0]?.spanId);
      // The handler ran in the instrumentation's span, and one traceparent reached it.
      for (const call of report.seen[method] ?? []) {
        expect(call.spanId).toBe(server[0]?.spanId);
        expect(call.traceparent).toHaveLength(1);
      }
      expect(report.seen[method]?.length).toBeGreaterThan(0);
    },
  );

  it('makes four spans in all under the caller', () => {
    expect(report.spans.filter((s) => s.name !== 'caller')).toHaveLength(4);
  });
});
