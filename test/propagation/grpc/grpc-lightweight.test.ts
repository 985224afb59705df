import { ROOT_CONTEXT, TraceFlags, context, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Metadata } from '@grpc/grpc-js';
import type { sendUnaryData, ServerDuplexStream, ServerUnaryCall } from '@grpc/grpc-js';
import pino from 'pino';
import { InvalidOptionError } from 'tracelink';
import { grpcClientInterceptor, traceGrpcService } from 'tracelink/grpc';
import { createPropagator } from 'tracelink/propagation';
import { pinoMixin } from 'tracelink/pino';
import { CaptureStream } from '../../helpers/capture-stream';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT, withSpanContext } from '../../helpers/tracing';
import { RelayService, callUnary, readAll, relayClient, startRelayServer } from './relay-service';
import type { Message, RelayClient } from './relay-service';

// No tracer provider is registered in this file: lightweight mode.
const logs = new CaptureStream();
const logger = pino({ mixin: pinoMixin() }, logs);
let server: Awaited<ReturnType<typeof startRelayServer>>;
let client: RelayClient;
let received: Metadata | undefined;

const implementation = {
  unary(call: ServerUnaryCall<Message, Message>, respond: sendUnaryData<Message>) {
    received = call.metadata.clone();
    logger.info('unary');
    respond(null, { traceparent: call.metadata.get('traceparent').map(String) });
  },
  chat(call: ServerDuplexStream<Message, Message>) {
    call.on('data', (message: Message) => {
      logger.info('chat data');
      call.write(message);
    });
    call.on('end', () => call.end());
  },
};

beforeAll(async () => {
  propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  server = await startRelayServer(traceGrpcService(RelayService, implementation));
  client = relayClient(server.port, [grpcClientInterceptor()]);
});
afterAll(async () => {
  client.close();
  await server.stop();
  propagation.disable();
  context.disable();
});
beforeEach(() => {
  logs.lines.length = 0;
  received = undefined;
});

/** W3C Trace Context Level 2's random-trace-id flag, set on traces tracelink starts. */
const RANDOM_TRACE_ID = 0x02;

describe('grpcClientInterceptor and traceGrpcService (without a tracing SDK)', () => {
  it('sends the active span context as it is and the server continues its trace with a span id of its own', async () => {
    await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => callUnary(client, { n: 1 }));
    expect(received?.get('traceparent')).toEqual([EXAMPLE_TRACEPARENT]);
    const [line] = logs.lines;
    expect(line?.trace_id).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.span_id).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
  });

  it('carries baggage alone when there is no span, and the server starts a sampled trace', async () => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    await context.with(propagation.setBaggage(ROOT_CONTEXT, baggage), () =>
      callUnary(client, { n: 2 }),
    );
    expect(received?.get('traceparent')).toEqual([]);
    expect(received?.get('baggage')).toEqual(['tenant=acme']);
    expect(logs.lines[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    // Sampled, and the ids are random: W3C Level 2's random-trace-id flag (0x02) too.
    expect(logs.lines[0]?.trace_flags).toBe('03');
  });

  it('leaves a new trace unsampled with sampleNewTraces: false', async () => {
    let flags: number | undefined;
    const untraced = traceGrpcService(
      RelayService,
      {
        unary(_call: ServerUnaryCall<Message, Message>, respond: sendUnaryData<Message>) {
          flags = trace.getActiveSpan()?.spanContext().traceFlags;
          respond(null, {});
        },
      },
      { sampleNewTraces: false },
    );
    const other = await startRelayServer(untraced);
    const otherClient = relayClient(other.port);
    try {
      await callUnary(otherClient, {});
      expect(flags).toBe(TraceFlags.NONE | RANDOM_TRACE_ID);
    } finally {
      otherClient.close();
      await other.stop();
    }
  });

  it('runs listeners on a bidirectional call in the call context', async () => {
    await withSpanContext(EXAMPLE_SPAN_CONTEXT, async () => {
      const stream = client.chat();
      const all = readAll(stream);
      stream.write({ n: 1 });
      stream.write({ n: 2 });
      stream.end();
      await all;
    });
    expect(logs.lines.map((l) => l.trace_id)).toEqual([
      EXAMPLE_SPAN_CONTEXT.traceId,
      EXAMPLE_SPAN_CONTEXT.traceId,
    ]);
    expect(new Set(logs.lines.map((l) => l.span_id)).size).toBe(1);
  });

  it('serves a call whose metadata is hostile, starting a new trace, with a diag report', async () => {
    const warnings: string[] = [];
    diag.setLogger({
      warn: (message: string) => warnings.push(message),
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    });
    try {
      const metadata = new Metadata();
      metadata.set('traceparent', 'x'.repeat(20_000));
      const reply = await new Promise((done, fail) =>
        client.unary({}, metadata, (error, value) => (error ? fail(error) : done(value))),
      );
      expect(reply).toBeDefined();
      expect(logs.lines[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(warnings.some((w) => w.includes('gRPC metadata'))).toBe(true);
    } finally {
      diag.disable();
    }
  });

  describe('invalid options', () => {
    it.each([
      [{ sampleNewTraces: 'yes' }, 'sampleNewTraces'],
      [{ sampleNewTrace: true }, 'sampleNewTrace'],
      [null, 'options'],
    ])('throws InvalidOptionError for %p', (options, option) => {
      expect(() => traceGrpcService(RelayService, implementation, options as never)).toThrow(
        expect.objectContaining({ name: 'InvalidOptionError', option }) as Error,
      );
    });

    it('throws InvalidOptionError for a missing implementation', () => {
      expect(() => traceGrpcService(RelayService, undefined as never)).toThrow(InvalidOptionError);
    });
  });
});
