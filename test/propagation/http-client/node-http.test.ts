import http from 'node:http';
import https from 'node:https';
import type { RequestOptions, IncomingMessage } from 'node:http';
import {
  injectIntoRequestOptions,
  tracedRequest,
  instrumentOutgoingHttp,
} from '../../../src/propagation/http-client/node-http';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import {
  CALLER_TRACEPARENT,
  THROWING_PROPAGATOR,
  CHILD_TRACEPARENT,
  exchange,
  useCaptureServer,
  useDiagWarnings,
  useW3CPropagation,
  withPropagator,
} from './capture-server';
import type { SendRequest as Send } from './capture-server';

useW3CPropagation();
const warnings = useDiagWarnings();
const server = useCaptureServer();

const request = tracedRequest(http.request);
const get = tracedRequest(http.get);
const options = (): RequestOptions => ({
  host: '127.0.0.1',
  port: server.port,
  path: '/o',
  headers: { 'x-a': '1' },
});

describe('tracedRequest', () => {
  describe('with an active span context', () => {
    it.each<[string, Send, string | undefined]>([
      ['(url)', (done) => request(server.url).on('response', done), undefined],
      ['(url, cb)', (done) => request(server.url, done), undefined],
      ['(URL, cb)', (done) => request(new URL(server.url), done), undefined],
      ['(url, undefined, cb)', (done) => request(server.url, undefined as never, done), undefined],
      ['(url, options, cb)', (done) => request(server.url, options(), done), '1'],
      ['(options, cb)', (done) => request(options(), done), '1'],
      [
        '(options with a flat header array, cb)',
        (done) => request({ ...options(), headers: ['x-a', '1'] }, done),
        '1',
      ],
      ['get(url, cb)', (done) => get(server.url, done), undefined],
      ['get(options, cb)', (done) => get(options(), done), '1'],
    ])('sends traceparent for %s, with the caller’s headers', async (_, send, xA) => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => exchange(send));
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
      expect(server.last()['x-a']).toBe(xA);
    });

    it.each<[string, RequestOptions['headers']]>([
      ['a record', { Traceparent: CALLER_TRACEPARENT }],
      ['a flat array', ['CHILD_TRACEPARENT', CALLER_TRACEPARENT]],
    ])('keeps the caller’s traceparent in %s, sent once', async (_, headers) => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        exchange((done) => request({ ...options(), headers }, done)),
      );
      expect(server.last().traceparent).toBe(CALLER_TRACEPARENT);
    });

    it('never mutates the caller’s options', async () => {
      const given = options();
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => exchange((done) => request(given, done)));
      expect(given.headers).toEqual({ 'x-a': '1' });
    });
  });

  describe('without an active span context', () => {
    it('sends no traceparent', async () => {
      await exchange((done) => request(options(), done));
      expect(server.last().traceparent).toBeUndefined();
    });
  });

  describe('with a throwing propagator', () => {
    it('still sends the request, without trace headers, and reports through diag', async () => {
      await withPropagator(THROWING_PROPAGATOR, () =>
        withSpanContext(EXAMPLE_SPAN_CONTEXT, () => exchange((done) => request(options(), done))),
      );
      expect(server.last()['x-a']).toBe('1');
      expect(server.last().traceparent).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/injecting into an outgoing request failed/);
    });
  });
});

describe('injectIntoRequestOptions', () => {
  it('adds the headers to a copy and keeps every other option', () => {
    const given = { host: 'api', path: '/users' };
    const out = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => injectIntoRequestOptions(given));
    expect(out).toEqual({
      host: 'api',
      path: '/users',
      headers: { traceparent: CHILD_TRACEPARENT },
    });
    expect(given).toEqual({ host: 'api', path: '/users' });
  });

  it('gives the options back unchanged when there is nothing to add', () => {
    const given = { host: 'api' };
    expect(injectIntoRequestOptions(given)).toBe(given);
  });
});

useW3CPropagation();

const ORIGINALS = {
  httpRequest: http.request,
  httpGet: http.get,
  httpsRequest: https.request,
  httpsGet: https.get,
};

describe('instrumentOutgoingHttp', () => {
  it('patches http and https request/get until uninstalled, then restores them', () => {
    const outgoing = instrumentOutgoingHttp();
    try {
      expect(http.request).not.toBe(ORIGINALS.httpRequest);
      expect(http.get).not.toBe(ORIGINALS.httpGet);
      expect(https.request).not.toBe(ORIGINALS.httpsRequest);
      expect(https.get).not.toBe(ORIGINALS.httpsGet);
    } finally {
      outgoing.uninstall();
    }
    expect({
      httpRequest: http.request,
      httpGet: http.get,
      httpsRequest: https.request,
      httpsGet: https.get,
    }).toEqual(ORIGINALS);
  });

  it.each([
    ['http.request', (done: (res: IncomingMessage) => void) => http.request(server.url, done)],
    ['http.get', (done: (res: IncomingMessage) => void) => http.get(server.url, done)],
  ])('makes %s send traceparent while installed', async (_, send) => {
    const outgoing = instrumentOutgoingHttp();
    try {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => exchange(send));
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
    } finally {
      outgoing.uninstall();
    }
    await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => exchange(send));
    expect(server.last().traceparent).toBeUndefined();
  });

  it('is idempotent: a second call returns the same handle and injects once', async () => {
    const first = instrumentOutgoingHttp();
    const second = instrumentOutgoingHttp();
    try {
      expect(second).toBe(first);
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        exchange((done) => http.request(server.url, done)),
      );
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
    } finally {
      first.uninstall();
      second.uninstall();
    }
    expect(http.request).toBe(ORIGINALS.httpRequest);
  });

  it('leaves a later patch in place on uninstall, switching its own to a pass-through', async () => {
    const outgoing = instrumentOutgoingHttp();
    const ours = http.request;
    const theirs = function (this: unknown, ...args: Parameters<typeof http.request>) {
      return ours.apply(this, args);
    } as typeof http.request;
    http.request = theirs;
    try {
      outgoing.uninstall();
      expect(http.request).toBe(theirs);
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        exchange((done) => http.request(server.url, done)),
      );
      expect(server.last().traceparent).toBeUndefined();
    } finally {
      http.request = ORIGINALS.httpRequest;
    }
  });
});
