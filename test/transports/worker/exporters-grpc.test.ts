import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeLogsRequest } from '../encode/otlp-logs-schema.js';

const execFileAsync = promisify(execFile);
const CHILD = join(__dirname, 'fixtures', 'export-both-grpc.ts');

interface Run {
  codes: [number, number, number];
  received: { body: string; metadata: Record<string, unknown> }[];
  /** What ours was told by a last export answered with a partial success (3 rejected). */
  rejections: [number, string | undefined][];
}

/**
 * Runs the official gRPC exporter, ours, and ours as `createProtobufLogExporter` makes it from
 * the transport options, against a local gRPC server, in a child process.
 */
async function exportBoth(config: object, headers: Record<string, string> = {}): Promise<Run> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', CHILD, JSON.stringify(config), JSON.stringify(headers)],
    { timeout: 20_000 },
  );
  const run = JSON.parse(stdout) as Run;
  expect(run.codes).toEqual([0, 0, 0]); // ExportResultCode.SUCCESS, all three
  expect(run.received).toHaveLength(3);
  return run;
}

describe('ProtobufLogExporter.overGrpc', () => {
  it('sends what the official gRPC OTLPLogExporter sends: the same message bytes and metadata', async () => {
    const { received } = await exportBoth({}, { 'x-tenant': 't1' });
    const [theirs, ours, fromOptions] = received;
    expect(ours.body).toBe(theirs.body);
    expect(ours.metadata).toEqual(theirs.metadata);
    expect(ours.metadata['x-tenant']).toBe('t1');
    // The transports' `headers` option arrives as the same metadata.
    expect(fromOptions).toEqual(theirs);
    const request = decodeLogsRequest(Buffer.from(ours.body, 'hex'));
    expect(request.resource_logs).toHaveLength(1);
  }, 30_000);

  // Compression itself is the official delegate's (grpc-js's) work: what is checked here is
  // that our serializer's output goes through it and arrives as the same message.
  it('exports with compression: gzip, and the same message arrives', async () => {
    const { received } = await exportBoth({ compression: 'gzip' });
    const [theirs, ours, fromOptions] = received;
    expect(ours.body).toBe(theirs.body); // grpc-js hands the handler the decompressed message
    expect(fromOptions.body).toBe(theirs.body);
  }, 30_000);

  it('tells its listener what a partial success answer says was rejected', async () => {
    const { rejections } = await exportBoth({});
    expect(rejections).toEqual([[3, '3 bad records']]);
  }, 30_000);
});
