import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { instrumentOutgoingHttp } from '../../../src/propagation/http-client/node-http';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import { TRACEPARENT, exchange, useCaptureServer, useW3CPropagation } from './capture-server';

useW3CPropagation();
const server = useCaptureServer();

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
      expect(server.last().traceparent).toBe(TRACEPARENT);
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
      expect(server.last().traceparent).toBe(TRACEPARENT);
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
