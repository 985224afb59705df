import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { close, listen } from '../../../helpers/http-server.js';
import { decodeLogsRequest } from './otlp-logs-schema.js';

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

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { method, url, headers } = req;
      delete headers.host;
      delete headers.connection;
      received.push({ method, url, headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
    });
  });
  base = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  received = [];
});

/** Runs the official exporter then ours in a child process; returns their two requests. */
async function exportBoth(config: object, env: NodeJS.ProcessEnv = {}): Promise<Received[]> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', CHILD, JSON.stringify(config)],
    { env: { ...process.env, ...env }, timeout: 20_000 },
  );
  expect(JSON.parse(stdout)).toEqual([0, 0]); // ExportResultCode.SUCCESS, both
  expect(received).toHaveLength(2);
  return received;
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
});
