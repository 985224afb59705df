import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Metadata, status } from '@grpc/grpc-js';
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
} from '@grpc/grpc-js';
import pino from 'pino';
import { grpcClientInterceptor, traceGrpcService } from 'tracelink/grpc';
import { createPropagator } from 'tracelink/propagation';
import { pinoMixin } from 'tracelink/pino';
import { CaptureStream } from '../../helpers/capture-stream';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../../helpers/tracing';
import { RelayService, callUnary, readAll, relayClient, startRelayServer } from './relay-service';
import type { Message, RelayClient } from './relay-service';

const tracing = useTracing();
propagation.disable();
propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));

const logs = new CaptureStream();
const logger = pino({ mixin: pinoMixin() }, logs);
let server: Awaited<ReturnType<typeof startRelayServer>>;
let client: RelayClient;
let seenBaggage: string | undefined;

const implementation = {
  unary(call: ServerUnaryCall<Message, Message>, respond: sendUnaryData<Message>) {
    seenBaggage = propagation.getActiveBaggage()?.getEntry('tenant')?.value;
    logger.info({ side: 'server' }, 'unary');
    const fail = call.request.fail;
    if (fail === 'throw') throw new Error('handler broke');
    if (typeof fail === 'number') return respond({ code: fail, details: `failed with ${fail}` });
    setTimeout(() => respond(null, { echo: call.request.n }), 5);
  },
  collect(call: ServerReadableStream<Message, Message>, respond: sendUnaryData<Message>) {
    let count = 0;
    call.on('data', () => {
      count += 1;
      logger.info({ side: 'server' }, 'collect data');
    });
    call.on('end', () => respond(null, { count }));
  },
  fanOut(call: ServerWritableStream<Message, Message>) {
    logger.info({ side: 'server' }, 'fanOut');
    if (call.request.fail === true) {
      call.emit('error', { code: status.UNAVAILABLE, details: 'no more' });
      return;
    }
    for (let i = 0; i < 3; i += 1) call.write({ i });
    call.end();
  },
  chat(call: ServerDuplexStream<Message, Message>) {
    call.on('data', (message: Message) => {
      logger.info({ side: 'server' }, 'chat data');
      call.write({ echo: message.n });
    });
    call.on('end', () => call.end());
  },
};

beforeAll(async () => {
  server = await startRelayServer(traceGrpcService(RelayService, implementation));
  client = relayClient(server.port, [grpcClientInterceptor()]);
});
afterAll(async () => {
  client.close();
  await server.stop();
});
beforeEach(() => {
  tracing.exporter.reset();
  logs.lines.length = 0;
  seenBaggage = undefined;
});

function spansNamed(name: string, kind: SpanKind): ReadableSpan[] {
  return tracing.exporter.getFinishedSpans().filter((s) => s.name === name && s.kind === kind);
}

/** Waits until the server span of `name` ended (the server ends it after the client may have its answer). */
async function serverSpan(name: string): Promise<ReadableSpan> {
  for (let i = 0; i < 200; i += 1) {
    const span = spansNamed(name, SpanKind.SERVER)[0];
    if (span !== undefined) return span;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error(`no SERVER span ${name}`);
}

function clientSpan(name: string): ReadableSpan {
  const span = spansNamed(name, SpanKind.CLIENT)[0];
  if (span === undefined) throw new Error(`no CLIENT span ${name}`);
  return span;
}

/** Runs `fn` in a caller span (with baggage), ends it, returns the span. */
async function inCaller(fn: () => Promise<unknown>): Promise<ReadableSpan> {
  const caller = tracing.tracer.startSpan('caller');
  const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
  const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, caller), baggage);
  await context.with(ctx, fn);
  caller.end();
  return tracing.exporter.getFinishedSpans().find((s) => s.name === 'caller') as ReadableSpan;
}

describe('grpcClientInterceptor and traceGrpcService (with a tracing SDK)', () => {
  describe('a unary call', () => {
    it('makes one trace: caller → CLIENT → SERVER, with RPC attributes and status OK', async () => {
      const caller = await inCaller(() => callUnary(client, { n: 1 }));
      const clientSide = clientSpan('demo.Relay/Unary');
      const serverSide = await serverSpan('demo.Relay/Unary');
      expect(clientSide.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
      expect(serverSide.parentSpanContext?.spanId).toBe(clientSide.spanContext().spanId);
      expect(serverSide.parentSpanContext?.isRemote).toBe(true);
      expect(
        new Set([caller, clientSide, serverSide].map((s) => s.spanContext().traceId)).size,
      ).toBe(1);
      for (const span of [clientSide, serverSide]) {
        expect(span.attributes).toEqual({
          'rpc.system': 'grpc',
          'rpc.service': 'demo.Relay',
          'rpc.method': 'Unary',
          'rpc.grpc.status_code': 0,
        });
        expect(span.status.code).toBe(SpanStatusCode.UNSET);
      }
    });

    it("runs the handler in the server span: its log lines carry it, the caller's baggage arrives", async () => {
      await inCaller(() => callUnary(client, { n: 2 }));
      const serverSide = await serverSpan('demo.Relay/Unary');
      expect(logs.lines).toEqual([
        expect.objectContaining({
          msg: 'unary',
          trace_id: serverSide.spanContext().traceId,
          span_id: serverSide.spanContext().spanId,
        }),
      ]);
      expect(seenBaggage).toBe('acme');
    });

    it('runs the response callback in the caller context', async () => {
      let inCallback: string | undefined;
      const caller = await inCaller(
        () =>
          new Promise<void>((done) =>
            client.unary({ n: 3 }, () => {
              inCallback = trace.getActiveSpan()?.spanContext().spanId;
              done();
            }),
          ),
      );
      expect(inCallback).toBe(caller.spanContext().spanId);
    });

    it('continues a remote caller: the client sends the active trace', async () => {
      const remote = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
      await context.with(remote, () => callUnary(client, { n: 4 }));
      const serverSide = await serverSpan('demo.Relay/Unary');
      expect(clientSpan('demo.Relay/Unary').parentSpanContext?.spanId).toBe(
        EXAMPLE_SPAN_CONTEXT.spanId,
      );
      expect(serverSide.spanContext().traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    });

    it('keeps trace metadata the caller set: no CLIENT span, the metadata sent as given', async () => {
      const metadata = new Metadata();
      metadata.set(
        'traceparent',
        `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${EXAMPLE_SPAN_CONTEXT.spanId}-01`,
      );
      await inCaller(() => new Promise((done) => client.unary({ n: 5 }, metadata, done)));
      const serverSide = await serverSpan('demo.Relay/Unary');
      expect(spansNamed('demo.Relay/Unary', SpanKind.CLIENT)).toHaveLength(0);
      expect(serverSide.parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
    });

    it.each([
      [status.INTERNAL, SpanStatusCode.ERROR],
      [status.UNAVAILABLE, SpanStatusCode.ERROR],
      [status.NOT_FOUND, SpanStatusCode.UNSET],
      [status.INVALID_ARGUMENT, SpanStatusCode.UNSET],
    ])(
      'records status %i: server span status %i, client span ERROR',
      async (code, serverStatus) => {
        await inCaller(() => callUnary(client, { fail: code }).catch(() => undefined));
        const serverSide = await serverSpan('demo.Relay/Unary');
        const clientSide = clientSpan('demo.Relay/Unary');
        expect(serverSide.attributes['rpc.grpc.status_code']).toBe(code);
        expect(serverSide.status.code).toBe(serverStatus);
        expect(clientSide.attributes['rpc.grpc.status_code']).toBe(code);
        expect(clientSide.status).toEqual({
          code: SpanStatusCode.ERROR,
          message: `failed with ${code}`,
        });
        expect(clientSide.attributes['error.type']).toBe(String(code));
      },
    );

    it('ends the server span CANCELLED when the client cancels before the answer', async () => {
      let answer: (() => void) | undefined;
      const slow = traceGrpcService(RelayService, {
        ...implementation,
        unary(_call: ServerUnaryCall<Message, Message>, respond: sendUnaryData<Message>) {
          answer = () => respond(null, {});
        },
      });
      const other = await startRelayServer(slow);
      const otherClient = relayClient(other.port, [grpcClientInterceptor()]);
      try {
        await inCaller(async () => {
          const call = otherClient.unary({}, () => undefined);
          await new Promise((done) => setTimeout(done, 50));
          call.cancel();
        });
        const serverSide = await serverSpan('demo.Relay/Unary');
        expect(serverSide.attributes['rpc.grpc.status_code']).toBe(status.CANCELLED);
        expect(clientSpan('demo.Relay/Unary').attributes['rpc.grpc.status_code']).toBe(
          status.CANCELLED,
        );
      } finally {
        answer?.();
        otherClient.close();
        await other.stop();
      }
    });

    it('records a throwing handler as UNKNOWN, and grpc-js still answers', async () => {
      const error = await inCaller(() =>
        callUnary(client, { fail: 'throw' }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ).then(() => clientSpan('demo.Relay/Unary'));
      const serverSide = await serverSpan('demo.Relay/Unary');
      expect(serverSide.attributes['rpc.grpc.status_code']).toBe(status.UNKNOWN);
      expect(serverSide.status.code).toBe(SpanStatusCode.ERROR);
      expect(error.attributes['rpc.grpc.status_code']).toBe(status.UNKNOWN);
    });
  });

  describe('streaming calls', () => {
    it('client streaming: listeners on the call run in the server span; the span ends with the answer', async () => {
      await inCaller(
        () =>
          new Promise((done) => {
            const stream = client.collect(done);
            stream.write({ n: 1 });
            stream.write({ n: 2 });
            stream.end();
          }),
      );
      const serverSide = await serverSpan('demo.Relay/Collect');
      expect(serverSide.parentSpanContext?.spanId).toBe(
        clientSpan('demo.Relay/Collect').spanContext().spanId,
      );
      expect(serverSide.attributes['rpc.grpc.status_code']).toBe(0);
      expect(logs.lines.map((l) => [l.msg, l.span_id])).toEqual([
        ['collect data', serverSide.spanContext().spanId],
        ['collect data', serverSide.spanContext().spanId],
      ]);
    });

    it('server streaming: one trace, the server span ends OK when the handler ends the stream', async () => {
      let received: Message[] = [];
      await inCaller(async () => {
        received = await readAll(client.fanOut({}));
      });
      expect(received).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
      const serverSide = await serverSpan('demo.Relay/FanOut');
      const clientSide = clientSpan('demo.Relay/FanOut');
      expect(serverSide.parentSpanContext?.spanId).toBe(clientSide.spanContext().spanId);
      expect(serverSide.attributes['rpc.grpc.status_code']).toBe(0);
      expect(clientSide.attributes['rpc.grpc.status_code']).toBe(0);
      expect(logs.lines[0]?.span_id).toBe(serverSide.spanContext().spanId);
    });

    it('server streaming: an error the handler emits is the status of both spans', async () => {
      await inCaller(() => readAll(client.fanOut({ fail: true })).catch(() => undefined));
      const serverSide = await serverSpan('demo.Relay/FanOut');
      expect(serverSide.attributes['rpc.grpc.status_code']).toBe(status.UNAVAILABLE);
      expect(serverSide.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no more' });
      expect(clientSpan('demo.Relay/FanOut').attributes['rpc.grpc.status_code']).toBe(
        status.UNAVAILABLE,
      );
    });

    it("bidirectional: each message's listener runs in the server span, one trace with the caller", async () => {
      let received: Message[] = [];
      const caller = await inCaller(async () => {
        const stream = client.chat();
        const all = readAll(stream);
        stream.write({ n: 1 });
        stream.write({ n: 2 });
        stream.end();
        received = await all;
      });
      expect(received).toEqual([{ echo: 1 }, { echo: 2 }]);
      const serverSide = await serverSpan('demo.Relay/Chat');
      expect(serverSide.spanContext().traceId).toBe(caller.spanContext().traceId);
      expect(logs.lines.map((l) => l.span_id)).toEqual([
        serverSide.spanContext().spanId,
        serverSide.spanContext().spanId,
      ]);
      expect(serverSide.attributes['rpc.grpc.status_code']).toBe(0);
    });

    it('a call cancelled by the client ends the server span CANCELLED', async () => {
      const tracedChat = traceGrpcService(RelayService, {
        ...implementation,
        chat(call: ServerDuplexStream<Message, Message>) {
          call.on('data', () => undefined);
        },
      });
      const other = await startRelayServer(tracedChat);
      const otherClient = relayClient(other.port, [grpcClientInterceptor()]);
      try {
        await inCaller(async () => {
          const stream = otherClient.chat();
          stream.on('error', () => undefined);
          stream.write({ n: 1 });
          await new Promise((done) => setTimeout(done, 50));
          stream.cancel();
        });
        const serverSide = await serverSpan('demo.Relay/Chat');
        expect(serverSide.attributes['rpc.grpc.status_code']).toBe(status.CANCELLED);
        expect(serverSide.status.code).toBe(SpanStatusCode.UNSET);
      } finally {
        otherClient.close();
        await other.stop();
      }
    });
  });
});
