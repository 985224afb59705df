import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { SpanContext, TextMapPropagator } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_HEADER,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import pino from 'pino';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { readRequestId } from '../../../src/core/context-values.js';
import { pinoMixin } from 'tracelink/pino';
import { traceRequests } from 'tracelink/propagation';
import { traceFormat } from 'tracelink/winston';
import { CaptureStream } from '../../helpers/capture-stream.js';
import {
  EXAMPLE_TRACEPARENT,
  captureDiag,
  close,
  finishedSpans,
  listen,
  useW3CPropagators,
} from '../../helpers/http-server.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../../helpers/tracing.js';
import { captureWinston } from '../../helpers/winston-capture.js';

const tracing = useTracing();
useW3CPropagators();
const diagMessages = captureDiag();

/** What the handler saw while it ran. */
interface Seen {
  spanContext?: SpanContext;
  requestId?: string;
  baggage?: string;
}

let seen: Seen = {};
let respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok');
const pinoLines = new CaptureStream();
const pinoLogger = pino({ mixin: pinoMixin({ requestId: true }) }, pinoLines);
const winstonLog = captureWinston(
  winston.format.combine(traceFormat({ requestId: true }), winston.format.json()),
);

function handler(req: IncomingMessage, res: ServerResponse): void {
  seen = {
    spanContext: trace.getSpanContext(context.active()),
    requestId: readRequestId(),
    baggage: propagation.getBaggage(context.active())?.getEntry('tenant')?.value,
  };
  pinoLogger.info('handling');
  winstonLog.logger.info('handling');
  respond(req, res);
}

const server = http.createServer(traceRequests(handler));
const tracedWithResponse = http.createServer(traceRequests(handler, { traceResponse: true }));
let base = '';
let baseWithResponse = '';

beforeAll(async () => {
  base = await listen(server);
  baseWithResponse = await listen(tracedWithResponse);
});
afterAll(async () => {
  await close(server);
  await close(tracedWithResponse);
  await winstonLog.finish();
});
beforeEach(() => {
  tracing.exporter.reset();
  seen = {};
  respond = (_req, res) => res.end('ok');
});

async function lastServerSpan() {
  const [span] = await finishedSpans(tracing.exporter);
  return span;
}

describe('traceRequests', () => {
  describe('with a traceparent and a tracing SDK', () => {
    it('runs the handler in a child of the caller: same trace id, new span id', async () => {
      await fetch(`${base}/users?id=7`, { headers: { traceparent: EXAMPLE_TRACEPARENT } });
      expect(seen.spanContext?.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(seen.spanContext?.spanId).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(seen.spanContext?.isRemote).not.toBe(true);
    });

    it('records one SERVER span, child of the caller, with the HTTP attributes', async () => {
      await fetch(`${base}/users?id=7&sig=secret`, {
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'user-agent': 'test-agent/1' },
      });
      const span = await lastServerSpan();
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.name).toBe('GET');
      expect(span.spanContext().spanId).toBe(seen.spanContext?.spanId);
      expect(span.parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toMatchObject({
        [ATTR_HTTP_REQUEST_METHOD]: 'GET',
        [ATTR_URL_PATH]: '/users',
        [ATTR_URL_QUERY]: 'id=7&sig=REDACTED',
        [ATTR_URL_SCHEME]: 'http',
        [ATTR_SERVER_ADDRESS]: '127.0.0.1',
        [ATTR_SERVER_PORT]: Number(new URL(base).port),
        [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
        [ATTR_CLIENT_ADDRESS]: '127.0.0.1',
        [ATTR_USER_AGENT_ORIGINAL]: 'test-agent/1',
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      });
    });

    it('stamps pino and winston lines with the trace id and the server span id', async () => {
      pinoLines.lines.length = 0;
      winstonLog.lines.length = 0;
      await fetch(base, {
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'x-request-id': 'req-42' },
      });
      const expected = {
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
        span_id: seen.spanContext?.spanId,
        trace_flags: '01',
        request_id: 'req-42',
      };
      expect(pinoLines.lines[0]).toMatchObject({ msg: 'handling', ...expected });
      await new Promise((resolve) => setImmediate(resolve));
      expect(winstonLog.lines[0]).toMatchObject({ message: 'handling', ...expected });
    });

    it('passes baggage through into the context', async () => {
      await fetch(base, { headers: { traceparent: EXAMPLE_TRACEPARENT, baggage: 'tenant=acme' } });
      expect(seen.baggage).toBe('acme');
    });

    it('keeps a valid traceparent when the tracestate is invalid', async () => {
      await fetch(base, {
        headers: { traceparent: EXAMPLE_TRACEPARENT, tracestate: '=,,bad key=value\t' },
      });
      expect(seen.spanContext?.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect((await lastServerSpan()).parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
    });
  });

  describe('without a usable trace context', () => {
    it.each([
      ['no traceparent', {}],
      ['a malformed traceparent', { traceparent: '00-xyz-00f067aa0ba902b7-01' }],
      ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }],
      ['an unknown version ff', { traceparent: `ff-${EXAMPLE_TRACEPARENT.slice(3)}` }],
    ])('starts a new trace with %s', async (_, headers: Record<string, string>) => {
      await fetch(base, { headers });
      const span = await lastServerSpan();
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(seen.spanContext?.traceId).toBe(span.spanContext().traceId);
    });
  });

  describe('span name and status', () => {
    it.each([
      [200, SpanStatusCode.UNSET, undefined],
      [404, SpanStatusCode.UNSET, undefined],
      [500, SpanStatusCode.ERROR, '500'],
      [503, SpanStatusCode.ERROR, '503'],
    ])('status %i gives span status %i and error.type %s', async (status, code, errorType) => {
      respond = (_req, res) => {
        res.statusCode = status;
        res.end();
      };
      await fetch(base);
      const span = await lastServerSpan();
      expect(span.status.code).toBe(code);
      expect(span.attributes[ATTR_ERROR_TYPE]).toBe(errorType);
      expect(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(status);
    });

    it('names an unknown method HTTP and records it as _OTHER', async () => {
      await fetch(base, { method: 'PURGE' });
      const span = await lastServerSpan();
      expect(span.name).toBe('HTTP');
      expect(span.attributes[ATTR_HTTP_REQUEST_METHOD]).toBe('_OTHER');
      expect(span.attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL]).toBe('PURGE');
    });
  });

  describe('traceResponse', () => {
    it('answers with the server span in traceresponse', async () => {
      const response = await fetch(baseWithResponse, {
        headers: { traceparent: EXAMPLE_TRACEPARENT },
      });
      const span = await lastServerSpan();
      expect(response.headers.get('traceresponse')).toBe(
        `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${span.spanContext().spanId}-01`,
      );
    });

    it('is off by default', async () => {
      const response = await fetch(base, { headers: { traceparent: EXAMPLE_TRACEPARENT } });
      expect(response.headers.has('traceresponse')).toBe(false);
    });
  });

  describe('request ids', () => {
    it.each([
      ['x-request-id', { 'x-request-id': 'abc-123' }, 'abc-123'],
      ['x-correlation-id', { 'x-correlation-id': 'corr-9' }, 'corr-9'],
      ['the first header', { 'x-request-id': 'first', 'x-correlation-id': 'second' }, 'first'],
      ['trimmed', { 'x-request-id': '  padded  ' }, 'padded'],
      ['128 characters', { 'x-request-id': 'a'.repeat(128) }, 'a'.repeat(128)],
      ['none', {}, undefined],
      ['129 characters: ignored', { 'x-request-id': 'a'.repeat(129) }, undefined],
      ['a huge value: ignored', { 'x-request-id': 'a'.repeat(8000) }, undefined],
      [
        'non-ASCII: ignored',
        { 'x-request-id': Buffer.from('caf\u00e9').toString('latin1') },
        undefined,
      ],
      // Node's parser refuses other control characters in a header value; a tab gets through.
      ['a control character: ignored', { 'x-request-id': 'a\tb' }, undefined],
      [
        'a bad first header: the next one',
        { 'x-request-id': 'a\tb', 'x-correlation-id': 'ok' },
        'ok',
      ],
    ])('%s', async (_, headers: Record<string, string>, expected) => {
      await fetch(base, { headers });
      expect(seen.requestId).toBe(expected);
      const span = await lastServerSpan();
      const attribute = span.attributes[ATTR_HTTP_REQUEST_HEADER('x-request-id')];
      const fallback = span.attributes[ATTR_HTTP_REQUEST_HEADER('x-correlation-id')];
      expect(attribute ?? fallback).toEqual(expected === undefined ? undefined : [expected]);
    });

    it('reports a rejected value through diag', async () => {
      await fetch(base, { headers: { 'x-request-id': 'x'.repeat(200) } });
      expect(diagMessages.some((m) => m.includes('request-id header'))).toBe(true);
    });

    it('reads no header with requestIdHeaders: []', async () => {
      const off = http.createServer(traceRequests(handler, { requestIdHeaders: [] }));
      const url = await listen(off);
      await fetch(url, { headers: { 'x-request-id': 'abc' } });
      await close(off);
      expect(seen.requestId).toBeUndefined();
    });
  });

  describe('when the handler fails', () => {
    it('ends the span with status ERROR and the exception, and rethrows', async () => {
      const failing = traceRequests(() => {
        throw new TypeError('boom');
      });
      let rethrown: unknown;
      const outer = http.createServer((req, res) => {
        try {
          failing(req, res);
        } catch (error) {
          rethrown = error;
          res.statusCode = 500;
          res.end();
        }
      });
      const url = await listen(outer);
      await fetch(url);
      await close(outer);
      const span = await lastServerSpan();
      expect((rethrown as Error).message).toBe('boom');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    });

    it('ends the span when the client aborts before the response', async () => {
      let arrived: () => void = () => undefined;
      const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
      respond = () => arrived(); // never answers
      const aborted = new AbortController();
      const request = fetch(base, { signal: aborted.signal }).catch(() => undefined);
      await requestArrived;
      aborted.abort();
      await request;
      const span = await lastServerSpan();
      expect(span.attributes[ATTR_ERROR_TYPE]).toBe('aborted');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  describe('with a throwing propagator', () => {
    it('serves the request in a new trace and reports through diag', async () => {
      const throwing: TextMapPropagator = {
        inject: () => undefined,
        extract: () => {
          throw new Error('broken propagator');
        },
        fields: () => [],
      };
      propagation.disable();
      propagation.setGlobalPropagator(throwing);
      try {
        const response = await fetch(base, { headers: { traceparent: EXAMPLE_TRACEPARENT } });
        expect(await response.text()).toBe('ok');
      } finally {
        useW3CPropagators();
      }
      expect(seen.spanContext?.traceId).not.toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(diagMessages.some((m) => m.includes('extracting the incoming trace context'))).toBe(
        true,
      );
    });
  });

  describe('options', () => {
    it.each([
      ['traceResponse', { traceResponse: 'yes' }],
      ['requestIdHeaders', { requestIdHeaders: 'x-request-id' }],
      ['requestIdHeaders', { requestIdHeaders: ['bad header'] }],
      ['sampleNewTraces', { sampleNewTraces: 1 }],
    ])('rejects an invalid %s at creation', (option, options) => {
      const make = () => traceRequests(handler, options as never);
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(expect.objectContaining({ option }) as Error);
    });

    it('rejects a listener that is not a function', () => {
      expect(() => traceRequests('nope' as never)).toThrow(InvalidOptionError);
    });
  });

  describe('the listener', () => {
    it('is called with the server as `this` and with the request and response', async () => {
      let self: unknown;
      let spanContext: SpanContext | undefined;
      const own = http.createServer(
        traceRequests(function (this: unknown, _req, res) {
          // eslint-disable-next-line @typescript-eslint/no-this-alias -- what the test checks
          self = this;
          spanContext = trace.getSpanContext(context.active());
          res.end('ok');
        }),
      );
      const url = await listen(own);
      try {
        await fetch(url, { headers: { traceparent: EXAMPLE_TRACEPARENT } });
      } finally {
        await close(own);
      }
      expect(self).toBe(own);
      expect(spanContext?.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    });
  });
});
