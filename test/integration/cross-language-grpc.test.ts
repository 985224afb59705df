import { resolve } from 'node:path';
import { Metadata, credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { pythonWithOpenTelemetry, startJsonLineProcess } from './cross-language/json-line-process';
import type { JsonLineProcess } from './cross-language/json-line-process';

// A tracelink-instrumented Node gRPC service calls a Python grpcio service traced by the real
// OpenTelemetry Python SDK and its gRPC instrumentation, which calls the Node service back:
//   test → node Start → python Work → node Callback
// Both write JSON logs; the trace must be one across both processes, with correct parents.

const PYTHON_SERVICE = resolve(__dirname, 'cross-language/python_grpc_service.py');
const NODE_SERVICE = resolve(__dirname, 'fixtures/cross-language-grpc-node.cjs');
const INCOMING = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const REQUESTS = 4;

type Line = Record<string, unknown>;
type Span = Record<string, unknown> & { attributes?: Record<string, unknown> };
const isLog = (service: string, msg: string) => (line: Line) =>
  line.service === service && line.msg === msg;
const spanOf = (line: Line) => line.span as Span | undefined;

const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};
const Start = {
  path: '/demo.Relay/Start',
  requestStream: false,
  responseStream: false,
  requestSerialize: json.serialize,
  requestDeserialize: json.deserialize,
  responseSerialize: json.serialize,
  responseDeserialize: json.deserialize,
};
type StartClient = Client & {
  Start(
    request: unknown,
    metadata: Metadata,
    callback: (error: ServiceError | null, answer?: unknown) => void,
  ): void;
};

describe.each(['sdk', 'lightweight'])(
  'Node (tracelink/grpc, %s mode) ⇄ Python (grpcio, OpenTelemetry SDK and gRPC instrumentation)',
  (mode) => {
    let python: JsonLineProcess;
    let node: JsonLineProcess;

    beforeAll(async () => {
      python = await startJsonLineProcess(pythonWithOpenTelemetry('grpc-requirements.txt'), [
        PYTHON_SERVICE,
      ]);
      node = await startJsonLineProcess(process.execPath, [NODE_SERVICE], {
        CROSS_MODE: mode,
        PYTHON_TARGET: `127.0.0.1:${python.port}`,
      });
      const Client = makeGenericClientConstructor({ Start }, 'Relay');
      const client = new Client(
        `127.0.0.1:${node.port}`,
        credentials.createInsecure(),
      ) as unknown as StartClient;
      try {
        for (let i = 0; i < REQUESTS; i += 1) {
          // The first call arrives from a traced caller with baggage; the others start traces.
          const metadata = new Metadata();
          if (i === 0) {
            metadata.set('traceparent', `00-${INCOMING.traceId}-${INCOMING.spanId}-01`);
            metadata.set('baggage', 'tenant=acme');
          }
          await new Promise<void>((done, fail) =>
            client.Start({}, metadata, (error) => (error ? fail(error) : done())),
          );
        }
      } finally {
        client.close();
      }
      // Python prints a span when it ends, just after answering: wait for all of them
      // (a SERVER and a CLIENT span per request).
      await python.waitForLines((line) => spanOf(line) !== undefined, 2 * REQUESTS, 10_000);
      if (mode === 'sdk') {
        await node.waitForLines((line) => spanOf(line) !== undefined, 3 * REQUESTS, 10_000);
      }
    }, 5 * 60_000);

    afterAll(async () => {
      await node?.stop();
      await python?.stop();
    });

    const requests = () =>
      node.lines.filter(isLog('node', 'node handling Start')).map((start) => {
        const traceId = String(start.trace_id);
        const inTrace = (line: Line) => line.trace_id === traceId;
        const pythonSpans = python.lines.map(spanOf).filter((s) => s?.trace_id === traceId);
        return {
          traceId,
          start,
          nodeLogs: node.lines.filter((l) => l.service === 'node' && inTrace(l)),
          pythonLogs: python.lines.filter((l) => l.service === 'python' && inTrace(l)),
          callback: node.lines.find(
            (l) => isLog('node', 'node handling Callback')(l) && inTrace(l),
          ),
          pythonServer: pythonSpans.find((s) => s?.kind === 'SERVER'),
          pythonClient: pythonSpans.find((s) => s?.kind === 'CLIENT'),
        };
      });

    it('serves every call, with nothing on stderr', () => {
      expect(requests()).toHaveLength(REQUESTS);
      expect(python.stderr()).toBe('');
      expect(node.stderr()).toBe('');
    });

    it("gives each call one trace id across both processes' logs", () => {
      const traceIds = new Set<string>();
      for (const request of requests()) {
        traceIds.add(request.traceId);
        expect(request.nodeLogs.map((l) => l.msg).sort()).toEqual([
          "node got python's answer",
          'node handling Callback',
          'node handling Start',
        ]);
        expect(request.pythonLogs.map((l) => l.msg).sort()).toEqual([
          "python got the callback's answer",
          'python handling Work',
        ]);
      }
      expect(traceIds.size).toBe(REQUESTS);
      expect(traceIds.has(INCOMING.traceId)).toBe(true);
    });

    it('makes the Python SERVER span continue the Node call, with RPC attributes', () => {
      const nodeSpans = node.lines.map(spanOf).filter((s) => s !== undefined);
      for (const request of requests()) {
        const { pythonServer } = request;
        expect(pythonServer?.parent_is_remote).toBe(true);
        expect(pythonServer?.attributes).toMatchObject({
          'rpc.system': 'grpc',
          'rpc.service': 'demo.Relay',
          'rpc.method': 'Work',
        });
        const pythonLog = request.pythonLogs.find(isLog('python', 'python handling Work'));
        expect(pythonLog?.span_id).toBe(pythonServer?.span_id);
        if (mode === 'sdk') {
          // Node's CLIENT span for Work, itself the child of the Start call's SERVER span.
          const nodeClient = nodeSpans.find((s) => s.span_id === pythonServer?.parent_span_id);
          expect(nodeClient).toMatchObject({ kind: 2, name: 'demo.Relay/Work' });
          expect(nodeClient?.parent_span_id).toBe(request.start.span_id);
        } else {
          // No CLIENT span without an SDK: the Start call's span context was sent.
          expect(pythonServer?.parent_span_id).toBe(request.start.span_id);
        }
      }
    });

    it("gives the callback a span of its own, a child of Python's CLIENT span", () => {
      const nodeSpans = node.lines.map(spanOf).filter((s) => s !== undefined);
      for (const request of requests()) {
        const { callback, pythonClient } = request;
        expect(callback?.span_id).toMatch(/^[0-9a-f]{16}$/);
        expect(callback?.span_id).not.toBe(request.start.span_id);
        expect(pythonClient?.parent_span_id).toBe(request.pythonServer?.span_id);
        if (mode === 'sdk') {
          const callbackSpan = nodeSpans.find((s) => s.span_id === callback?.span_id);
          expect(callbackSpan).toMatchObject({
            kind: 1,
            name: 'demo.Relay/Callback',
            parent_span_id: pythonClient?.span_id,
          });
          expect(callbackSpan?.attributes).toEqual({
            'rpc.system': 'grpc',
            'rpc.service': 'demo.Relay',
            'rpc.method': 'Callback',
            'rpc.grpc.status_code': 0,
          });
        }
      }
    });

    it('carries baggage from the caller through Node to Python and back', () => {
      const first = requests().find((r) => r.traceId === INCOMING.traceId);
      expect(first?.start.tenant).toBe('acme');
      expect(first?.pythonLogs).toHaveLength(2);
      for (const line of first?.pythonLogs ?? []) expect(line.baggage).toEqual({ tenant: 'acme' });
      expect(first?.callback?.tenant).toBe('acme');
      const others = requests().filter((r) => r.traceId !== INCOMING.traceId);
      for (const line of others.flatMap((r) => r.pythonLogs)) expect(line.baggage).toEqual({});
    });

    if (mode === 'sdk') {
      it("parents the Start call's SERVER span on the caller's", () => {
        const nodeSpans = node.lines.map(spanOf).filter((s) => s !== undefined);
        for (const request of requests()) {
          const startSpan = nodeSpans.find((s) => s.span_id === request.start.span_id);
          expect(startSpan?.kind).toBe(1);
          expect(startSpan?.parent_span_id).toBe(
            request.traceId === INCOMING.traceId ? INCOMING.spanId : null,
          );
        }
      });
    }
  },
);
