import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing.js';

// @opentelemetry/instrumentation-http patches `http` through require-in-the-middle, which
// hooks Node's real `Module.prototype.require`. Jest gives test code a stand-in `module` and
// its own registry, so the hook never sees `http` here (tried: the instrumentation stays
// unpatched). The scenario runs in a plain Node process instead, set up as an application
// is — SDK and instrumentation first, then `http`, Express, Fastify — and reports as JSON.
const FIXTURE = resolve(__dirname, 'fixtures', 'instrumented-server.ts');

interface ReportedSpan {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}
interface ServerReport {
  spans: ReportedSpan[];
  traceresponse: string | null;
  seen: { spanId?: string; requestId?: string };
  log?: Record<string, unknown>;
}

let report: Record<string, ServerReport> = {};

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: resolve(__dirname, '../../..'),
    timeout: 60_000,
  });
  report = JSON.parse(stdout.split('\n')[0] ?? '{}') as Record<string, ServerReport>;
}, 70_000);

describe('with @opentelemetry/instrumentation-http', () => {
  describe.each([
    ['node:http', 'GET'],
    ['express', 'GET /users/:id'],
    ['fastify', 'GET /users/:id'],
  ])('%s', (server, name) => {
    it("keeps the instrumentation's server span: exactly one, none of ours", () => {
      const { spans, seen } = report[server];
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject({
        kind: SpanKind.SERVER,
        scope: '@opentelemetry/instrumentation-http',
        traceId: EXAMPLE_SPAN_CONTEXT.traceId,
        parentSpanId: EXAMPLE_SPAN_CONTEXT.spanId,
      });
      expect(seen.spanId).toBe(spans[0]?.spanId);
    });

    it(`hands it the framework's route: ${name}`, () => {
      expect(report[server].spans[0]?.name).toBe(name);
    });

    it('adds what is missing: traceresponse and the request id', () => {
      const { spans, traceresponse, seen, log } = report[server];
      const spanId = spans[0]?.spanId;
      expect(traceresponse).toBe(`00-${EXAMPLE_SPAN_CONTEXT.traceId}-${spanId}-01`);
      expect(seen.requestId).toBe(`${server}-id`);
      expect(log).toMatchObject({
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
        span_id: spanId,
        request_id: `${server}-id`,
      });
    });
  });
});
