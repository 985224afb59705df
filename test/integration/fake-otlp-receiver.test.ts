import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { startFakeReceiver } from './fake-otlp-receiver.js';
import type { FakeReceiver } from './fake-otlp-receiver.js';

const JSON_BODY = '{"resourceLogs":[]}';

function post(url: string, contentType = 'application/json', body = JSON_BODY): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('startFakeReceiver', () => {
  let fake: FakeReceiver | undefined;
  afterEach(() => fake?.close());

  describe('answering ok', () => {
    it('returns {} to a JSON request', async () => {
      fake = await startFakeReceiver();
      const response = await post(fake.logsUrl);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({});
    });

    it('returns an empty body, a valid empty ExportLogsServiceResponse, to protobuf', async () => {
      fake = await startFakeReceiver();
      const response = await post(fake.logsUrl, 'application/x-protobuf', '');
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes).toHaveLength(0);
      expect(ProtobufLogsSerializer.deserializeResponse(bytes)).toEqual({});
    });
  });

  describe.each([429, 503])('answering %i with Retry-After', (status) => {
    it('sends the header, then answers the retry as scripted, recording both attempts', async () => {
      fake = await startFakeReceiver([{ kind: 'status', status, retryAfter: 2 }, { kind: 'ok' }]);
      const first = await post(fake.logsUrl);
      expect(first.status).toBe(status);
      expect(first.headers.get('retry-after')).toBe('2');
      expect((await post(fake.logsUrl)).status).toBe(200);
      expect(
        fake.requests.map((r) => [r.method, r.path, r.contentType, r.body.toString()]),
      ).toEqual([
        ['POST', '/v1/logs', 'application/json', JSON_BODY],
        ['POST', '/v1/logs', 'application/json', JSON_BODY],
      ]);
    });
  });

  describe('resetting the connection', () => {
    it('fails the request with ECONNRESET after recording it', async () => {
      fake = await startFakeReceiver([{ kind: 'reset' }]);
      const error = await post(fake.logsUrl).then(
        () => undefined,
        (e: unknown) => e as Error & { cause?: { code?: string } },
      );
      expect(error?.cause?.code).toBe('ECONNRESET');
      expect(await fake.waitForRequests(1)).toHaveLength(1);
    });
  });

  describe('answering slowly', () => {
    it('holds the answer for the given delay', async () => {
      fake = await startFakeReceiver([{ kind: 'delay', ms: 300 }]);
      const started = Date.now();
      expect((await post(fake.logsUrl)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('drops a pending answer on close, so the client sees the connection end', async () => {
      fake = await startFakeReceiver([{ kind: 'delay', ms: 60_000 }]);
      const pending = post(fake.logsUrl);
      await fake.waitForRequests(1);
      await fake.close();
      await expect(pending).rejects.toThrow();
    });
  });

  describe('with a script function', () => {
    it('answers by request index', async () => {
      fake = await startFakeReceiver((_request, index) =>
        index < 2 ? { kind: 'status', status: 503 } : { kind: 'ok' },
      );
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(fake.logsUrl)).status);
      expect(statuses).toEqual([503, 503, 200]);
    });
  });
});
