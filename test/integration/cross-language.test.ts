import { resolve } from 'node:path';
import { pythonWithOpenTelemetry, startJsonLineProcess } from './cross-language/json-line-process';
import type { JsonLineProcess } from './cross-language/json-line-process';

// A tracelink-instrumented Node service calls a Python service traced by the real
// OpenTelemetry Python SDK, which calls the Node service back:
//   test → node /start → python /work → node /callback
// Both write JSON logs; the trace must be one across both processes, with correct parents.

const PYTHON_SERVICE = resolve(__dirname, 'cross-language/python_service.py');
const NODE_SERVICE = resolve(__dirname, 'fixtures/cross-language-node.cjs');
const INCOMING = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const REQUESTS = 5;

type Line = Record<string, unknown>;
const isLog = (service: string, msg: string) => (line: Line) =>
  line.service === service && line.msg === msg;
const spanOf = (line: Line) => line.span as Record<string, unknown> | undefined;

describe.each(['sdk', 'lightweight'])(
  'Node (tracelink, %s mode) ⇄ Python (OpenTelemetry SDK)',
  (mode) => {
    let python: JsonLineProcess;
    let node: JsonLineProcess;

    beforeAll(async () => {
      python = await startJsonLineProcess(pythonWithOpenTelemetry(), [PYTHON_SERVICE]);
      node = await startJsonLineProcess(process.execPath, [NODE_SERVICE], {
        CROSS_MODE: mode,
        PYTHON_URL: `http://127.0.0.1:${python.port}`,
      });
      for (let i = 0; i < REQUESTS; i += 1) {
        // The first request arrives from a traced caller with baggage; the others start traces.
        const headers: Record<string, string> =
          i === 0
            ? {
                traceparent: `00-${INCOMING.traceId}-${INCOMING.spanId}-01`,
                baggage: 'tenant=acme',
              }
            : {};
        const answer = await fetch(`http://127.0.0.1:${node.port}/start`, { headers });
        expect(answer.status).toBe(200);
        await answer.text();
      }
      // Python prints a span when it ends, just after answering: wait for all of them.
      await python.waitForLines((line) => spanOf(line) !== undefined, REQUESTS, 10_000);
      if (mode === 'sdk') {
        // Per request: the /start and /callback SERVER spans and tracedFetch's CLIENT span.
        await node.waitForLines((line) => spanOf(line) !== undefined, 3 * REQUESTS, 10_000);
      }
    }, 5 * 60_000);

    afterAll(async () => {
      await node?.stop();
      await python?.stop();
    });

    const requests = () =>
      node.lines.filter(isLog('node', 'node handling /start')).map((start) => {
        const traceId = String(start.trace_id);
        const inTrace = (line: Line) => line.trace_id === traceId;
        return {
          traceId,
          start,
          nodeLogs: node.lines.filter((l) => l.service === 'node' && inTrace(l)),
          pythonLogs: python.lines.filter((l) => l.service === 'python' && inTrace(l)),
          callback: node.lines.find(
            (l) => isLog('node', 'node handling /callback')(l) && inTrace(l),
          ),
          pythonSpan: python.lines.map(spanOf).find((s) => s?.trace_id === traceId),
        };
      });

    it('serves every request, with nothing on stderr', () => {
      expect(requests()).toHaveLength(REQUESTS);
      expect(python.stderr()).toBe('');
      expect(node.stderr()).toBe('');
    });

    it("gives each request one trace id across both processes' logs", () => {
      const traceIds = new Set<string>();
      for (const request of requests()) {
        traceIds.add(request.traceId);
        expect(request.nodeLogs.map((l) => l.msg).sort()).toEqual([
          "node got python's answer",
          'node handling /callback',
          'node handling /start',
        ]);
        expect(request.pythonLogs.map((l) => l.msg).sort()).toEqual([
          "python got the callback's answer",
          'python handling /work',
        ]);
      }
      expect(traceIds.size).toBe(REQUESTS);
      expect(traceIds.has(INCOMING.traceId)).toBe(true);
    });

    // The parent-id sent is the outgoing call's own (W3C Trace Context §3.2.2.4): with the SDK
    // the CLIENT span tracedFetch made, a child of the request's SERVER span; in lightweight
    // mode a fresh span id, never the request's.
    it("makes the Python span a child of the Node request's outgoing call", () => {
      const nodeSpans = node.lines.map(spanOf).filter((s) => s !== undefined);
      for (const request of requests()) {
        const parent = request.pythonSpan?.parent_span_id;
        expect(request.pythonSpan?.parent_is_remote).toBe(true);
        const pythonLog = request.pythonLogs.find(isLog('python', 'python handling /work'));
        expect(pythonLog?.parent_span_id).toBe(parent);
        if (mode === 'sdk') {
          const client = nodeSpans.find((s) => s.span_id === parent);
          expect(client?.kind).toBe(2); // SpanKind.CLIENT
          expect(client?.parent_span_id).toBe(request.start.span_id);
        } else {
          expect(parent).toMatch(/^[0-9a-f]{16}$/);
          expect(parent).not.toBe(request.start.span_id);
        }
      }
    });

    it("gives the callback a span of its own, not the Node request's or Python's", () => {
      for (const request of requests()) {
        expect(request.callback?.span_id).toMatch(/^[0-9a-f]{16}$/);
        expect(request.callback?.span_id).not.toBe(request.start.span_id);
        expect(request.callback?.span_id).not.toBe(request.pythonSpan?.span_id);
      }
    });

    it('carries baggage from the caller through Node to Python and back', () => {
      const first = requests().find((r) => r.traceId === INCOMING.traceId);
      expect(first?.start['baggage.tenant'] ?? first?.start.tenant).toBe('acme');
      for (const line of first?.pythonLogs ?? []) expect(line.baggage).toEqual({ tenant: 'acme' });
      expect(first?.callback?.['baggage.tenant'] ?? first?.callback?.tenant).toBe('acme');
      const others = requests().filter((r) => r.traceId !== INCOMING.traceId);
      for (const line of others.flatMap((r) => r.pythonLogs)) expect(line.baggage).toEqual({});
    });

    if (mode === 'sdk') {
      it("parents the Node request span on the caller's and the callback span on Python's", () => {
        const nodeSpans = node.lines.map(spanOf).filter((s) => s !== undefined);
        for (const request of requests()) {
          const startSpan = nodeSpans.find((s) => s.span_id === request.start.span_id);
          expect(startSpan?.kind).toBe(1); // SpanKind.SERVER
          if (request.traceId === INCOMING.traceId) {
            expect(startSpan?.parent_span_id).toBe(INCOMING.spanId);
          } else {
            expect(startSpan?.parent_span_id).toBeNull();
          }
          const callbackSpan = nodeSpans.find((s) => s.span_id === request.callback?.span_id);
          expect(callbackSpan?.kind).toBe(1);
          expect(callbackSpan?.parent_span_id).toBe(request.pythonSpan?.span_id);
        }
      });
    }
  },
);
