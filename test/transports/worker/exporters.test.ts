import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { close, listen } from '../../helpers/http-server.js';
import { decodeLogsRequest } from '../encode/otlp-logs-schema.js';
import { typedRecordsOfJson } from '../encode/any-values.js';
import { NUMBERS } from './fixtures/numbers.js';
import {
  PARTIAL_SUCCESS_ANSWER,
  PARTIAL_SUCCESS_MESSAGE,
} from '../encode/partial-success-answer.js';

const execFileAsync = promisify(execFile);
const CHILD = join(__dirname, 'fixtures', 'export-both.ts');

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let base: string;
let received: Received[] = [];

// What the server answers: an empty ExportLogsServiceResponse, unless a test sets a partial
// success (rejected_log_records 3, error_message "3 bad records").
const FULL_SUCCESS = { protobuf: Buffer.alloc(0), json: '{}' };
const MESSAGE = PARTIAL_SUCCESS_MESSAGE;
const PARTIAL_SUCCESS = {
  protobuf: PARTIAL_SUCCESS_ANSWER,
  json: JSON.stringify({ partialSuccess: { rejectedLogRecords: '3', errorMessage: MESSAGE } }),
};
let answer = FULL_SUCCESS;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { method, url, headers } = req;
      delete headers.host;
      delete headers.connection;
      received.push({ method, url, headers, body: Buffer.concat(chunks) });
      const json = headers['content-type'] === 'application/json';
      res
        .writeHead(200, { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' })
        .end(json ? answer.json : answer.protobuf);
    });
  });
  base = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  received = [];
  answer = FULL_SUCCESS;
});

/**
 * Runs the official exporter then ours (protobuf, or JSON with `json`) in a child process;
 * returns their two requests, and what ours was told of rejected records.
 */
async function exportBoth(
  config: object,
  env: NodeJS.ProcessEnv = {},
  json = false,
  numbers = false,
): Promise<Received[] & { rejections?: unknown }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      JSON.stringify(config),
      ...(json ? ['json'] : []),
      ...(numbers ? ['numbers'] : []),
    ],
    { env: { ...process.env, ...env }, timeout: 20_000 },
  );
  const [codes, rejections] = stdout.trim().split('\n');
  expect(JSON.parse(codes ?? '')).toEqual([0, 0]); // ExportResultCode.SUCCESS, both
  expect(received).toHaveLength(2);
  return Object.assign(received, { rejections: JSON.parse(rejections ?? '') as unknown });
}

describe('ProtobufLogExporter.overHttp', () => {
  it('sends what the official OTLPLogExporter sends: method, path, headers, bytes', async () => {
    const [theirs, ours] = await exportBoth({
      url: `${base}/v1/logs`,
      headers: { 'x-tenant': 't1' },
    });
    expect(ours).toEqual(theirs);
    expect(ours.method).toBe('POST');
    expect(ours.headers['content-type']).toBe('application/x-protobuf');
    expect(ours.headers['x-tenant']).toBe('t1');
    expect(decodeLogsRequest(ours.body).resource_logs).toHaveLength(1);
  }, 30_000);

  it('reads OTEL_EXPORTER_OTLP_LOGS_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS as it does', async () => {
    const [theirs, ours] = await exportBoth(
      {},
      {
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${base}/custom/logs`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-from-env=yes',
      },
    );
    expect(ours).toEqual(theirs);
    expect(ours.url).toBe('/custom/logs');
    expect(ours.headers['x-from-env']).toBe('yes');
  }, 30_000);

  it('compresses as it does, with compression: gzip', async () => {
    const [theirs, ours] = await exportBoth({ url: `${base}/v1/logs`, compression: 'gzip' });
    expect(ours.headers['content-encoding']).toBe('gzip');
    expect(ours.headers).toEqual(theirs.headers);
    expect(gunzipSync(ours.body)).toEqual(gunzipSync(theirs.body));
  }, 30_000);

  it('tells its listener what a partial success says was rejected', async () => {
    answer = PARTIAL_SUCCESS;
    const both = await exportBoth({ url: `${base}/v1/logs` });
    expect(both.rejections).toEqual([[3, MESSAGE]]);
  }, 30_000);

  it('tells its listener nothing on a full success', async () => {
    const both = await exportBoth({ url: `${base}/v1/logs` });
    expect(both.rejections).toEqual([]);
  }, 30_000);
});

describe('createJsonLogExporter', () => {
  it('sends what the official OTLP/HTTP JSON exporter sends: method, path, headers, body', async () => {
    const [theirs, ours] = await exportBoth(
      { url: `${base}/v1/logs`, headers: { 'x-tenant': 't1' } },
      {},
      true,
    );
    expect(ours).toEqual(theirs);
    expect(ours?.headers['content-type']).toBe('application/json');
    expect(ours?.headers['x-tenant']).toBe('t1');
  }, 30_000);

  it('tells its listener what a partial success says was rejected', async () => {
    answer = PARTIAL_SUCCESS;
    const both = await exportBoth({ url: `${base}/v1/logs` }, {}, true);
    expect(both.rejections).toEqual([[3, MESSAGE]]);
  }, 30_000);

  it('sends integers beyond 2^53 as their exact digits, and numbers outside int64 as doubles', async () => {
    const [theirs, ours] = await exportBoth({ url: `${base}/v1/logs` }, {}, true, true);
    // The official serializer writes 1e22 as an int64 the collector rejects, with the request.
    expect(theirs?.body.toString()).toContain('"intValue":1e+22');
    const [record] = typedRecordsOfJson(ours?.body ?? Buffer.alloc(0));
    expect(record?.attributes).toEqual({
      beyondSafe: 9007199254740994n,
      belowInt64Max: 9223372036854774784n,
      int64Min: -9223372036854775808n,
      pastInt64: NUMBERS.pastInt64,
      huge: 1e22,
      max: Number.MAX_VALUE,
      safe: 42n,
    });
    expect(ours?.body.toString()).toContain('"intValue":"9223372036854774784"');
    expect(ours?.body.toString()).toContain('"doubleValue":1e+22');
  }, 30_000);
});
